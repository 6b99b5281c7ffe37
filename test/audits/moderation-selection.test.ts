import t from 'tap'
import fc from 'fast-check'
import { selectForModeration, shareTarget, type ModerationCandidate } from '../../audits/moderation-selection.ts'

const cases = (n: number, auditors: number, unsure: number[] = []): ModerationCandidate[] =>
  Array.from({ length: n }, (_, i) => ({
    ref: `C-${String(i).padStart(4, '0')}`,
    auditorId: (i % auditors) + 1,
    unsure: unsure.includes(i),
  }))

t.test('share target', async (t) => {
  const table: Array<[number, number, number]> = [
    [0, 0.1, 0],
    [1, 0.1, 1],
    [9, 0.1, 1],
    [10, 0.1, 1],
    [11, 0.1, 2],
    [48, 0.1, 5],
    [40, 0.25, 10],
    [30, 1, 30],
    // 0.1 × 30 is 3.0000000000000004 in floating point; still 3.
    [30, 0.1, 3],
  ]
  for (const [n, share, want] of table) t.equal(shareTarget(n, share), want, `${n} cases at ${share}`)
  t.throws(() => shareTarget(10, 0), RangeError)
  t.throws(() => shareTarget(10, 1.5), RangeError)
  t.throws(() => shareTarget(-1, 0.1), RangeError)
})

t.test('table: the rules in turn', async (t) => {
  t.same(selectForModeration([], 0.1, 's'), [])
  // 20 cases, two auditors, 10%: two cases, one each.
  const two = selectForModeration(cases(20, 2), 0.1, 'seed-1')
  t.equal(two.length, 2)
  t.same(new Set(two.map((s) => cases(20, 2).find((c) => c.ref === s.ref)?.auditorId)), new Set([1, 2]))
  t.ok(two.every((s) => s.reason === 'auditor'))
  // Three unsure cases of one auditor, 10% of 20: the three, plus one for the other auditor.
  const unsure = selectForModeration(cases(20, 2, [0, 2, 4]), 0.1, 'seed-1')
  t.same(
    unsure
      .filter((s) => s.reason === 'unsure')
      .map((s) => s.ref)
      .sort(),
    ['C-0000', 'C-0002', 'C-0004'],
  )
  t.same(unsure.filter((s) => s.reason === 'auditor').length, 1)
  t.equal(unsure.length, 4)
  // A large share is filled up from the seeded order.
  const half = selectForModeration(cases(20, 2), 0.5, 'seed-1')
  t.equal(half.length, 10)
  t.equal(half.filter((s) => s.reason === 'share').length, 8)
  // Input order does not matter; the seed does.
  t.same(selectForModeration(cases(20, 2).reverse(), 0.5, 'seed-1'), half)
  t.not(
    JSON.stringify(selectForModeration(cases(200, 3), 0.1, 'seed-2')),
    JSON.stringify(selectForModeration(cases(200, 3), 0.1, 'seed-3')),
  )
})

const candidates = fc.uniqueArray(
  fc.record({
    ref: fc.stringMatching(/^[A-Z]-\d{1,4}$/),
    auditorId: fc.integer({ min: 1, max: 5 }),
    unsure: fc.boolean(),
  }),
  { selector: (c) => c.ref, maxLength: 120 },
)

t.test('property: every rule holds, and the same inputs give the same cases', async (t) => {
  fc.assert(
    fc.property(candidates, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.string(), (cs, share, seed) => {
      const sel = selectForModeration(cs, share, seed)
      const refs = new Set(sel.map((s) => s.ref))
      if (refs.size !== sel.length) return false
      if (!sel.every((s) => cs.some((c) => c.ref === s.ref))) return false
      if (sel.length < shareTarget(cs.length, share)) return false
      if (!cs.filter((c) => c.unsure).every((c) => refs.has(c.ref))) return false
      const auditors = new Set(cs.map((c) => c.auditorId))
      for (const a of auditors) if (!cs.some((c) => c.auditorId === a && refs.has(c.ref))) return false
      // Beyond the rules nothing extra: random picks only while under the share.
      const ruled = sel.filter((s) => s.reason !== 'share').length
      if (sel.length > Math.max(ruled, shareTarget(cs.length, share))) return false
      return JSON.stringify(selectForModeration([...cs].reverse(), share, seed)) === JSON.stringify(sel)
    }),
  )
  t.pass('holds')
})
