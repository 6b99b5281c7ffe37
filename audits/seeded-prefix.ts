// The start of a seeded order without shuffling the rest. seededOrder (sampling.ts) sorts the ids
// and runs a forward Fisher–Yates over all of them; its first k places depend only on the first
// k swaps, so a draw of 500 from a stratum of a million needs 500 random numbers, not a million.
import { createRng } from './seeded-random.ts'

/**
 * The first `k` places of seededOrder over `n` ids, as indices into the ids sorted by UTF-16
 * code units: `seededOrderPrefix(n, seed, k).map((i) => sorted[i])` equals
 * `seededOrder(ids, seed).slice(0, k)`. It uses the same generator and the same swaps
 * (for i = 0 … k−1: swap place i with place i + int(n − i)), with the swapped places kept in a map
 * so nothing of size n is allocated.
 */
export function seededOrderPrefix(n: number, seed: string | number, k: number): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`)
  if (!Number.isSafeInteger(k) || k < 0 || k > n)
    throw new RangeError(`k must be an integer from 0 to n (${n}), got ${k}`)
  const rng = createRng(seed)
  const moved = new Map<number, number>()
  const at = (i: number) => moved.get(i) ?? i
  const out: number[] = []
  // The full shuffle stops at n − 2: the last place takes whatever is left, with no draw.
  const swaps = Math.min(k, n - 1)
  for (let i = 0; i < swaps; i++) {
    const j = i + rng.nextInt(n - i)
    const picked = at(j)
    moved.set(j, at(i))
    moved.set(i, picked)
    out.push(picked)
  }
  if (k === n && n > 0) out.push(at(n - 1))
  return out
}
