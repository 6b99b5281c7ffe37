// Seeded, reproducible sampling (reference/statistics.md, "Seeded sampling" and "Allocation").
// Same population + same seed + same design gives the same cases, on any machine, and the
// procedure is simple enough to re-implement from this description alone:
//
//   1. The seed is turned into text: a string as is, a number as its JavaScript decimal form
//      (so 42 and '42' are the same seed).
//   2. cyrb128 (bryc's public-domain 128-bit string hash, over UTF-16 code units) of that text
//      gives four 32-bit words, the state of a xoshiro128** generator (Blackman & Vigna).
//   3. Integers below m come from 32-bit outputs by rejection: outputs at or above
//      2³² − (2³² mod m) are discarded, the rest reduced mod m, so every value is equally likely.
//   4. A draw sorts the case references by UTF-16 code units (import order must not matter),
//      then shuffles them with the forward Fisher–Yates: for i = 0 … n−2, swap item i with item
//      i + int(n − i). The result is the order in which cases were drawn; a sample of size n is
//      its first n and replacements come next, so enlarging a sample never changes earlier picks.
//   5. In a stratified draw each stratum uses its own seed, stratumSeed(seed, key), so adding,
//      removing or resizing one stratum leaves every other stratum's draw alone.
import { checkCount } from './argument-checks.ts'
import { sortByCodeUnits } from './code-unit-sort.ts'
import { cyrb128, seedText, stratumSeed, uniformInt, xoshiro128ss } from './seeded-random.ts'

function shuffleSorted(ids: readonly string[], seed: string | number, name: string): string[] {
  const out = sortByCodeUnits(ids, (id) => {
    throw new RangeError(`${name} contains "${id}" more than once`)
  })
  const u32 = xoshiro128ss(cyrb128(seedText(seed)))
  const n = out.length
  for (let i = 0; i < n - 1; i++) {
    const j = i + uniformInt(u32, n - i)
    const tmp = out[i] as string
    out[i] = out[j] as string
    out[j] = tmp
  }
  return out
}

/**
 * A seeded random permutation of `ids`, in draw order. It depends only on the set of ids and
 * the seed, not on the order they are given in. Duplicate ids are a RangeError: a case drawn
 * twice would make the sample smaller than it claims.
 */
export function seededOrder(ids: readonly string[], seed: string | number): string[] {
  return shuffleSorted(ids, seed, 'ids')
}

export interface DrawStratum {
  key: string
  /** Case references in the stratum, in any order. */
  ids: readonly string[]
  /** How many to sample. */
  take: number
}

export interface DrawnStratum {
  key: string
  /** The sample, in draw order. */
  chosen: string[]
  /** Every remaining case, in the order replacements should be taken. */
  reserve: string[]
}

/**
 * Draws a stratified sample: per stratum, in input order, the first `take` cases of its seeded
 * order and the rest as ordered reserves. Taking a larger `take` later extends the sample
 * without changing any earlier pick, and each stratum's draw depends only on the seed, its key
 * and its ids.
 */
export function drawSample(o: { strata: readonly DrawStratum[]; seed: string | number }): DrawnStratum[] {
  seedText(o.seed) // a bad seed is an error even when there are no strata to draw
  const keys = new Set<string>()
  o.strata.forEach((s, i) => {
    if (keys.has(s.key)) throw new RangeError(`strata[${i}].key "${s.key}" is used twice`)
    keys.add(s.key)
    checkCount(s.take, `strata[${i}].take`)
    if (s.take > s.ids.length) {
      throw new RangeError(`strata[${i}].take (${s.take}) exceeds its ${s.ids.length} ids`)
    }
  })
  return o.strata.map((s, i) => {
    const order = shuffleSorted(s.ids, stratumSeed(o.seed, s.key), `strata[${i}].ids`)
    return { key: s.key, chosen: order.slice(0, s.take), reserve: order.slice(s.take) }
  })
}
