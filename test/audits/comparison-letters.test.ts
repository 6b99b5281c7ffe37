// The anonymised comparison's letters: one per agency, fixed within a round, reshuffled between
// rounds, whatever order the agencies are listed in.
import t from 'tap'
import fc from 'fast-check'
import { anonymousLabel, comparisonLetters, letterAt } from '../../audits/comparison-letters.ts'

t.test('letters run A to Z, then AA, AB', async (t) => {
  t.same([0, 1, 25, 26, 27, 51, 52, 701, 702].map(letterAt), ['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA'])
  t.throws(() => letterAt(-1), RangeError)
  t.throws(() => letterAt(1.5), RangeError)
  t.equal(anonymousLabel('C'), 'Agency C')
})

t.test('every agency gets its own letter, A onwards with none skipped', async (t) => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 40 }), fc.string(), (ids, seed) => {
      const letters = comparisonLetters(ids, seed)
      t.equal(letters.size, ids.length)
      const used = [...letters.values()].sort((a, b) => a.length - b.length || a.localeCompare(b))
      t.same(
        used,
        ids.map((_, i) => letterAt(i)),
      )
    }),
    { numRuns: 200 },
  )
})

t.test('stable within a round: same seed, same letters, whatever the order of the list', async (t) => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 20 }),
      fc.string(),
      (ids, seed) => {
        const once = comparisonLetters(ids, seed)
        const again = comparisonLetters([...ids].reverse(), seed)
        t.same([...again].sort(), [...once].sort())
      },
    ),
    { numRuns: 200 },
  )
  t.throws(() => comparisonLetters([1.5], 's'), RangeError)
})

t.test('shuffled between rounds: the letter an agency gets changes with the round seed', async (t) => {
  const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9]
  const seen = new Set<string>()
  for (let round = 1; round <= 40; round++) seen.add(comparisonLetters(ids, `round-${round}`).get(3) ?? '')
  t.ok(seen.size >= 6, `agency 3 had ${seen.size} different letters over 40 rounds`)
  const a = [...comparisonLetters(ids, 'round-1')]
  const b = [...comparisonLetters(ids, 'round-2')]
  t.not(JSON.stringify(a.sort()), JSON.stringify(b.sort()), 'two rounds letter the agencies differently')
})
