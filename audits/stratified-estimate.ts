// Stratified estimates of a proportion: population-weighted, with a normal-approximation interval
// (reference/statistics.md). Null, never NaN or 0, when nothing was sampled.
import { checkCount } from './argument-checks.ts'
import { twoSidedZ } from './normal-distribution.ts'
import type { Interval } from './proportion-intervals.ts'

export interface Stratum {
  /** Cases in the stratum, N_h. */
  population: number
  /** Cases sampled from it, n_h. */
  sampled: number
  /** Sampled cases that met the standard, k_h. */
  met: number
}

export interface StratifiedEstimate extends Interval {
  /** Population-weighted proportion, Σ W_h p_h. */
  estimate: number
  standardError: number
  /**
   * Indices (into the input) of strata with nothing sampled. They cannot contribute a p_h, so
   * they are left out and the others' weights renormalised: the estimate then describes only
   * the sampled strata's population, and a screen should say which strata it omits.
   */
  excluded: number[]
}

/**
 * Stratified estimate of a proportion with its normal-approximation interval, clipped to
 * [0, 1]. Weights are population shares, so strata sampled at different rates are not biased
 * towards the over-sampled ones (an unweighted pooled percentage would be).
 *
 * A stratum with a single sampled case adds to the estimate but not to the variance: with
 * n_h = 1 there is no within-stratum spread to estimate, as the reference formula's n_h ≥ 2
 * condition reflects. A fully sampled stratum (n_h = N_h) adds no variance through the finite
 * population correction. Returns null when no stratum was sampled.
 */
export function stratifiedEstimate(strata: readonly Stratum[], confidence = 0.95): StratifiedEstimate | null {
  strata.forEach((s, i) => {
    checkCount(s.population, `strata[${i}].population`)
    checkCount(s.sampled, `strata[${i}].sampled`)
    checkCount(s.met, `strata[${i}].met`)
    if (s.sampled > s.population) throw new RangeError(`strata[${i}].sampled must not exceed its population`)
    if (s.met > s.sampled) throw new RangeError(`strata[${i}].met must not exceed its sampled`)
  })
  const excluded = strata.flatMap((s, i) => (s.sampled === 0 ? [i] : []))
  const combined = combineStrata(
    strata.map((s) => ({
      size: s.sampled === 0 ? 0 : s.population,
      p: s.sampled === 0 ? 0 : s.met / s.sampled,
      n: s.sampled,
      fpc: s.sampled === 0 ? 0 : 1 - s.sampled / s.population,
    })),
    confidence,
  )
  return combined && { ...combined, excluded }
}

/** One stratum's part in a weighted estimate: its weight before scaling, rate, n and finite population correction. */
export interface StratumPart {
  size: number
  p: number
  n: number
  fpc: number
}

/**
 * The weighted combination behind every stratified figure:
 *   W_h = size_h / Σ size,  estimate = Σ W_h p_h,  Var = Σ W_h² fpc_h p_h (1 − p_h) / (n_h − 1)
 * Parts of size 0 take no part; parts with n_h < 2 add to the estimate but not the variance.
 * The interval is estimate ± z·SE, clipped to [0, 1]. Null when no part has any size.
 */
export function combineStrata(
  parts: readonly StratumPart[],
  confidence = 0.95,
): (Interval & { estimate: number; standardError: number }) | null {
  const z = twoSidedZ(confidence)
  const total = parts.reduce((sum, part) => sum + part.size, 0)
  if (!(total > 0)) return null
  let estimate = 0
  let variance = 0
  for (const part of parts) {
    if (part.size === 0) continue
    const w = part.size / total
    estimate += w * part.p
    if (part.n >= 2) variance += (w * w * part.fpc * part.p * (1 - part.p)) / (part.n - 1)
  }
  // Rounding can leave a sum of shares a hair outside [0, 1].
  estimate = Math.min(1, Math.max(0, estimate))
  const standardError = Math.sqrt(variance)
  return {
    estimate,
    standardError,
    lower: Math.max(0, estimate - z * standardError),
    upper: Math.min(1, estimate + z * standardError),
  }
}
