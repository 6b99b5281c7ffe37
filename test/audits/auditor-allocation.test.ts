import t from 'tap'
import fc from 'fast-check'
import {
  allocateToAuditors,
  mayReview,
  type AllocatableCase,
  type AvailableAuditor,
} from '../../audits/auditor-allocation.ts'

const cases = (n: number, owner: (i: number) => number | null = () => null): AllocatableCase[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, owningAgencyId: owner(i) }))

t.test('an auditor never reviews a case their home agency owns', async (t) => {
  t.equal(mayReview({ agencyId: 3 }, { owningAgencyId: 3 }), false)
  t.equal(mayReview({ agencyId: 3 }, { owningAgencyId: 4 }), true)
  t.equal(mayReview({ agencyId: 3 }, { owningAgencyId: null }), true, 'a case with no owner marked is anyone’s')
  t.equal(
    mayReview({ agencyId: null }, { owningAgencyId: 3 }),
    true,
    'an auditor with no home agency may take any case',
  )
})

t.test('with no exclusions the cases are shared out evenly', async (t) => {
  const result = allocateToAuditors(cases(10), [
    { id: 7, agencyId: 1, load: 0 },
    { id: 8, agencyId: 2, load: 0 },
    { id: 9, agencyId: 3, load: 0 },
  ])
  t.same([...result.loads.values()].sort(), [3, 3, 4])
  t.equal(result.assignments.length, 10)
  t.same(result.unassignable, [])
})

t.test('cases already held count towards the balance', async (t) => {
  const result = allocateToAuditors(cases(6), [
    { id: 1, agencyId: null, load: 5 },
    { id: 2, agencyId: null, load: 0 },
  ])
  // 11 cases in all: 6 and 5, the tie at 5 each going to the lower id.
  t.same(Object.fromEntries(result.loads), { 1: 6, 2: 5 })
  t.equal(
    result.assignments.filter((a) => a.auditorId === 2).length,
    5,
    'the auditor who held none takes most of the new cases',
  )
})

t.test('own-agency cases go to the others; cases nobody may review are reported', async (t) => {
  const auditors: AvailableAuditor[] = [
    { id: 1, agencyId: 10, load: 0 },
    { id: 2, agencyId: 20, load: 0 },
  ]
  const result = allocateToAuditors(
    [
      { id: 1, owningAgencyId: 10 },
      { id: 2, owningAgencyId: 10 },
      { id: 3, owningAgencyId: 20 },
      { id: 4, owningAgencyId: null },
    ],
    auditors,
  )
  const to = Object.fromEntries(result.assignments.map((a) => [a.caseId, a.auditorId]))
  t.equal(to[1], 2)
  t.equal(to[2], 2)
  t.equal(to[3], 1)
  t.equal(to[4], 1, 'the free case evens the loads')

  const alone = allocateToAuditors([{ id: 5, owningAgencyId: 10 }], [{ id: 1, agencyId: 10, load: 0 }])
  t.same(alone.assignments, [])
  t.same(alone.unassignable, [5])
})

t.test('a case placed greedily with a busy auditor is moved to a less busy one', async (t) => {
  // Every case has two eligible auditors, so they are placed in id order: case 1 goes to auditor 2
  // (then the least busy) before cases 2–4 load auditor 2 further. Moving case 1 to auditor 1
  // evens the loads.
  const result = allocateToAuditors(
    [
      { id: 1, owningAgencyId: 3 },
      { id: 2, owningAgencyId: 1 },
      { id: 3, owningAgencyId: 1 },
      { id: 4, owningAgencyId: 1 },
    ],
    [
      { id: 1, agencyId: 1, load: 2 },
      { id: 2, agencyId: null, load: 1 },
      { id: 3, agencyId: 3, load: 2 },
    ],
  )
  t.same(Object.fromEntries(result.loads), { 1: 3, 2: 3, 3: 3 })
  t.equal(result.assignments.find((a) => a.caseId === 1)?.auditorId, 1)
})

t.test('bad input is refused, not half-allocated', async (t) => {
  t.throws(
    () =>
      allocateToAuditors(cases(1), [
        { id: 1, agencyId: null, load: 0 },
        { id: 1, agencyId: null, load: 0 },
      ]),
    RangeError,
  )
  t.throws(() => allocateToAuditors(cases(1), [{ id: 1, agencyId: null, load: -1 }]), RangeError)
  t.throws(
    () =>
      allocateToAuditors(
        [
          { id: 1, owningAgencyId: null },
          { id: 1, owningAgencyId: null },
        ],
        [{ id: 1, agencyId: null, load: 0 }],
      ),
    RangeError,
  )
  t.same(allocateToAuditors(cases(3), []).unassignable, [1, 2, 3], 'no auditors: every case is reported')
})

// Up to 6 agencies; auditors with distinct ids; cases with distinct ids.
const arbAuditors = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 60 }),
    agencyId: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
    load: fc.integer({ min: 0, max: 8 }),
  }),
  { selector: (a) => a.id, minLength: 0, maxLength: 8 },
)
const arbCases = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 10_000 }),
    owningAgencyId: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
  }),
  {
    selector: (c) => c.id,
    maxLength: 80,
  },
)

t.test('property: never own agency, every case placed when anyone may take it, loads add up', async (_t) => {
  fc.assert(
    fc.property(arbCases, arbAuditors, (cs, as) => {
      const result = allocateToAuditors(cs, as)
      const byId = new Map(as.map((a) => [a.id, a]))
      for (const a of result.assignments) {
        const c = cs.find((x) => x.id === a.caseId) as AllocatableCase
        if (!mayReview(byId.get(a.auditorId) as AvailableAuditor, c)) return false
      }
      const placed = new Set(result.assignments.map((a) => a.caseId))
      for (const c of cs) {
        const someone = as.some((a) => mayReview(a, c))
        if (someone !== placed.has(c.id)) return false
        if (!someone && !result.unassignable.includes(c.id)) return false
      }
      const before = as.reduce((s, a) => s + a.load, 0)
      const after = [...result.loads.values()].reduce((s, n) => s + n, 0)
      return after === before + result.assignments.length
    }),
  )
})

t.test('property: balanced — no case could move to an eligible auditor holding two or more fewer', async (_t) => {
  fc.assert(
    fc.property(arbCases, arbAuditors, (cs, as) => {
      const result = allocateToAuditors(cs, as)
      const load = (id: number) => result.loads.get(id) ?? 0
      return result.assignments.every((a) => {
        const c = cs.find((x) => x.id === a.caseId) as AllocatableCase
        return as.every((b) => !mayReview(b, c) || load(b.id) > load(a.auditorId) - 2)
      })
    }),
  )
})

t.test('property: with no exclusions and nothing held, counts differ by at most one', async (_t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 9 }), (n, k) => {
      const result = allocateToAuditors(
        cases(n),
        Array.from({ length: k }, (_, i) => ({ id: i + 1, agencyId: i + 1, load: 0 })),
      )
      const loads = [...result.loads.values()]
      return Math.max(...loads) - Math.min(...loads) <= 1
    }),
  )
})

t.test('property: deterministic, whatever order cases and auditors arrive in', async (_t) => {
  fc.assert(
    fc.property(arbCases, arbAuditors, fc.integer(), (cs, as, salt) => {
      const shuffle = <T>(xs: T[]) =>
        xs
          .map((x, i) => ({ x, k: Math.imul(i + 1, salt | 1) >>> 0 }))
          .sort((p, q) => p.k - q.k)
          .map((p) => p.x)
      const a = allocateToAuditors(cs, as)
      const b = allocateToAuditors(shuffle(cs), shuffle(as))
      return (
        JSON.stringify(a.assignments) === JSON.stringify(b.assignments) &&
        JSON.stringify(a.unassignable) === JSON.stringify(b.unassignable)
      )
    }),
  )
})
