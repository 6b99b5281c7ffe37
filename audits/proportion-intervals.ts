// Wilson score intervals for a proportion (reference/statistics.md). Proportions are fractions in
// [0, 1]. Where there is no data to estimate from (n = 0) the functions return null, never NaN or
// 0, so a screen can say "no applicable cases".
import { checkCount } from './argument-checks.ts'
import { twoSidedZ } from './normal-distribution.ts'

export interface Interval {
  lower: number
  upper: number
}

/**
 * Wilson score interval for `successes` out of `n`.
 *
 * Returns null when n = 0: there is no estimate to put an interval round, and a screen should
 * say "no applicable cases" rather than show 0% or NaN. The bounds are exactly 0 when
 * successes = 0 and exactly 1 when successes = n (the formula gives that in exact arithmetic;
 * floating point can leave a stray 1e-17).
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval | null {
  checkCount(successes, 'successes')
  checkCount(n, 'n')
  if (successes > n) throw new RangeError(`successes (${successes}) must not exceed n (${n})`)
  const z = twoSidedZ(confidence)
  if (n === 0) return null
  return wilsonBounds(successes / n, n, z, successes === 0, successes === n)
}

// The Wilson score bounds for a rate p on n trials (n may be fractional: an effective sample size).
function wilsonBounds(p: number, n: number, z: number, atZero: boolean, atOne: boolean): Interval {
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return {
    lower: atZero ? 0 : Math.min(p, Math.max(0, centre - half)),
    upper: atOne ? 1 : Math.max(p, Math.min(1, centre + half)),
  }
}

/**
 * A Wilson score interval for a design-weighted proportion, on its effective sample size
 * (Korn and Graubard 1998; Dean and Pagano 2015): n_eff = p(1 − p) / Var, the number of
 * independent observations that would give the design's variance.
 *
 * The normal interval p ± z·SE collapses to a point at 0% and 100%, where the estimated variance
 * is zero, and so presents 6 met of 6 as certain. Here, when the variance carries no information
 * (p at 0 or 1, or zero variance), n_eff is the number of observations behind the estimate, and
 * n_eff is never taken above that number (a design effect below 1 is not credited), so the
 * interval is never narrower than Wilson's on the raw count. With Var = p(1 − p)/n it is exactly
 * the ordinary Wilson interval. Null when there are no observations.
 */
export function effectiveWilsonInterval(
  estimate: number,
  variance: number,
  observations: number,
  confidence = 0.95,
): (Interval & { effectiveN: number }) | null {
  if (!(estimate >= 0 && estimate <= 1)) throw new RangeError(`estimate must lie in [0, 1], got ${estimate}`)
  if (!(variance >= 0 && Number.isFinite(variance)))
    throw new RangeError(`variance must be a non-negative number, got ${variance}`)
  if (!(observations >= 0 && Number.isFinite(observations)))
    throw new RangeError(`observations must be a non-negative number, got ${observations}`)
  const z = twoSidedZ(confidence)
  if (observations === 0) return null
  const spread = estimate * (1 - estimate)
  // Floored at one observation (or the observations, when fewer): below that the Wilson formula
  // has no meaning, and p(1 − p) can underflow to 0 for an estimate a hair above 0.
  const effectiveN = spread > 0 && variance > 0 ? Math.min(observations, Math.max(1, spread / variance)) : observations
  return { ...wilsonBounds(estimate, effectiveN, z, estimate === 0, estimate === 1), effectiveN }
}
