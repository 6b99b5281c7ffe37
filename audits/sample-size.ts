// How many cases to sample for a proportion (reference/statistics.md, Cochran's formula).
import { checkConfidence, checkCount } from './argument-checks.ts'
import { twoSidedZ } from './normal-distribution.ts'

export interface SampleSizeOptions {
  /** Number of cases in the population, N. */
  population: number
  /** Margin of error e as a fraction, e.g. 0.05 for ±5 percentage points. */
  marginOfError: number
  /** Confidence level, default 0.95. */
  confidence?: number
  /** Planning value for the proportion, default 0.5 (the most conservative). */
  expectedProportion?: number
}

// A computed size within this of an integer is taken to be that integer: without it, rounding
// noise of a few ulps above an exact integer would cost a whole extra case.
const CEIL_SLACK = 1e-9

/**
 * Cochran's sample size for estimating a proportion, with the finite population correction,
 * rounded up and never above the population (see reference/statistics.md). A population of 0
 * needs no sample. `expectedProportion` must lie strictly inside (0, 1): at 0 or 1 the formula
 * degenerates to a sample of nothing, which is never a sound plan.
 */
export function sampleSize(o: SampleSizeOptions): number {
  const { population, marginOfError, confidence = 0.95, expectedProportion = 0.5 } = o
  checkCount(population, 'population')
  if (!(marginOfError > 0 && marginOfError < 1)) {
    throw new RangeError(`marginOfError must be strictly between 0 and 1, got ${marginOfError}`)
  }
  checkConfidence(confidence)
  checkConfidence(expectedProportion, 'expectedProportion')
  if (population === 0) return 0
  const z = twoSidedZ(confidence)
  const n0 = (z * z * expectedProportion * (1 - expectedProportion)) / (marginOfError * marginOfError)
  // n0 / (1 + (n0 − 1)/N) rewritten as N / (1 + (N − 1)/n0): in this form every floating-point
  // step is monotone in n0, so a larger margin can never round to a larger sample.
  const n = population / (1 + (population - 1) / n0)
  return Math.min(population, Math.max(1, Math.ceil(n - CEIL_SLACK)))
}
