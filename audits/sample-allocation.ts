// Splitting a stratified sample's total across its strata (reference/statistics.md, "Allocation").
import { checkCount } from './argument-checks.ts'

export type AllocationMethod = 'proportional' | 'neyman' | 'equal'

export interface AllocationStratum {
  key: string
  /** Cases in the stratum, N_h. */
  size: number
  /** For Neyman: the stratum's proportion in the previous round (0.5 when unknown). */
  expectedProportion?: number
}

export interface Allocation {
  key: string
  allocated: number
}

// Remainders are compared at this resolution so that floating-point noise cannot overrule the
// documented tie-break by key.
const REMAINDER_RESOLUTION = 1e9

/**
 * Splits a total sample across strata. Returns one entry per stratum, in input order.
 *
 * - proportional: in proportion to size, N_h.
 * - neyman: in proportion to N_h·S_h with S_h = sqrt(p_h(1 − p_h)), p_h the expected proportion
 *   (0.5 when not given). A stratum expected to be all-or-nothing (p_h = 0 or 1) gets only its
 *   minimum, unless every other stratum is already full; the rest then goes to such strata in
 *   proportion to size, so the total is still reached.
 * - equal: the same for every stratum.
 *
 * Each stratum gets between min(minimum, N_h) and N_h. Within those bounds the shares follow the
 * method: a stratum whose share exceeds its size is capped and the excess goes to the others
 * in the method's proportions, and a stratum whose share falls below the minimum is raised to
 * it at the others' expense. Shares are then rounded by largest remainder, ties going to the key
 * that sorts first (UTF-16 code units), so the parts add up to exactly min(total, ΣN_h).
 * A RangeError names `minimum` if the minimums alone would exceed that.
 */
export function allocate(
  strata: readonly AllocationStratum[],
  total: number,
  method: AllocationMethod,
  minimum = 0,
): Allocation[] {
  if (method !== 'proportional' && method !== 'neyman' && method !== 'equal') {
    throw new RangeError(`method must be 'proportional', 'neyman' or 'equal', got ${String(method)}`)
  }
  checkCount(total, 'total')
  checkCount(minimum, 'minimum')
  const keys = new Set<string>()
  strata.forEach((s, i) => {
    checkCount(s.size, `strata[${i}].size`)
    if (keys.has(s.key)) throw new RangeError(`strata[${i}].key "${s.key}" is used twice`)
    keys.add(s.key)
    const p = s.expectedProportion
    if (p !== undefined && !(p >= 0 && p <= 1)) {
      throw new RangeError(`strata[${i}].expectedProportion must be between 0 and 1, got ${p}`)
    }
  })
  const hi = strata.map((s) => s.size)
  let lo = strata.map((s) => Math.min(minimum, s.size))
  const target = Math.min(total, sum(hi))
  if (sum(lo) > target) {
    throw new RangeError(`minimum of ${minimum} per stratum needs ${sum(lo)} cases but only ${target} can be allocated`)
  }
  let w = strata.map((s) => {
    if (method === 'equal') return 1
    const p = s.expectedProportion ?? 0.5
    return method === 'neyman' ? s.size * Math.sqrt(p * (1 - p)) : s.size
  })
  if (target > sum(w.map((wh, h) => (wh > 0 ? (hi[h] as number) : (lo[h] as number))))) {
    // Only zero-weight strata have room left: fill the others, then share the rest by size.
    lo = lo.map((l, h) => ((w[h] as number) > 0 ? (hi[h] as number) : l))
    w = w.map((wh, h) => (wh > 0 ? 0 : (hi[h] as number)))
  }
  const shares = waterFill(lo, hi, w, target)
  return largestRemainder(
    shares,
    hi,
    target,
    strata.map((s) => s.key),
  ).map((allocated, h) => ({
    key: (strata[h] as AllocationStratum).key,
    allocated,
  }))
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0)
}

/**
 * Continuous shares x_h = clamp(λ·w_h, lo_h, hi_h) with Σ x_h = target. The sum is continuous,
 * non-decreasing and piecewise linear in λ with breakpoints at lo_h/w_h and hi_h/w_h, so λ is
 * found exactly by locating the segment that crosses the target. Requires
 * Σ lo ≤ target ≤ Σ (w_h > 0 ? hi_h : lo_h).
 */
function waterFill(lo: number[], hi: number[], w: number[], target: number): number[] {
  const at = (lambda: number): number[] =>
    w.map((wh, h) => Math.min(hi[h] as number, Math.max(lo[h] as number, lambda * wh)))
  const points = [0]
  w.forEach((wh, h) => {
    if (wh > 0) points.push((lo[h] as number) / wh, (hi[h] as number) / wh)
  })
  points.sort((a, b) => a - b)
  const totals = points.map((p) => sum(at(p)))
  const i = totals.findIndex((t) => t >= target)
  if (i <= 0) return at(0)
  const a = points[i - 1] as number
  const fa = totals[i - 1] as number
  const b = points[i] as number
  const fb = totals[i] as number
  return at(a + ((target - fa) * (b - a)) / (fb - fa))
}

function largestRemainder(shares: number[], hi: number[], target: number, keys: string[]): number[] {
  // The small allowance stops a share computed as 4.9999999999 from being floored to 4.
  const parts = shares.map((x) => Math.floor(x + 1e-9))
  const remainders = shares.map((x, h) => Math.round((x - (parts[h] as number)) * REMAINDER_RESOLUTION))
  const order = shares
    .map((_, h) => h)
    .sort((a, b) => {
      const byRemainder = (remainders[b] as number) - (remainders[a] as number)
      if (byRemainder !== 0) return byRemainder
      const ka = keys[a] as string
      const kb = keys[b] as string
      return ka < kb ? -1 : ka > kb ? 1 : 0
    })
  let left = target - sum(parts)
  // One unit each in order suffices in exact arithmetic; cycling again only guards against
  // rounding having left the shares a unit short.
  for (let i = 0; left > 0; i++) {
    const h = order[i % order.length] as number
    if ((parts[h] as number) < (hi[h] as number)) {
      parts[h] = (parts[h] as number) + 1
      left--
    }
  }
  return parts
}
