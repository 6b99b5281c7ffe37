import t from 'tap'
import fc from 'fast-check'
import { seededOrder } from '../../audits/sampling.ts'
import { sortByCodeUnits } from '../../audits/code-unit-sort.ts'
import { seededOrderPrefix } from '../../audits/seeded-prefix.ts'

t.test('property: the prefix is exactly the start of seededOrder', async (_t) => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 60 }),
      fc.string({ maxLength: 12 }),
      fc.nat(),
      (ids, seed, k0) => {
        const sorted = sortByCodeUnits(ids)
        const k = ids.length === 0 ? 0 : k0 % (ids.length + 1)
        const full = seededOrder(ids, seed)
        const prefix = seededOrderPrefix(ids.length, seed, k).map((i) => sorted[i])
        return JSON.stringify(prefix) === JSON.stringify(full.slice(0, k))
      },
    ),
  )
})

t.test('a longer prefix extends a shorter one; a large stratum needs no full shuffle', async (t) => {
  const short = seededOrderPrefix(1_000_000, 'seed', 5)
  const long = seededOrderPrefix(1_000_000, 'seed', 50)
  t.same(long.slice(0, 5), short)
  t.equal(new Set(long).size, 50, 'no place drawn twice')
  t.ok(long.every((i) => i >= 0 && i < 1_000_000))
  t.same(seededOrderPrefix(1, 's', 1), [0])
  t.same(seededOrderPrefix(0, 's', 0), [])
  t.throws(() => seededOrderPrefix(3, 's', 4), RangeError)
  t.throws(() => seededOrderPrefix(-1, 's', 0), RangeError)
})
