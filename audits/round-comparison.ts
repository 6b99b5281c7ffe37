// Round-on-round comparison of two proportions (reference/statistics.md).
import { wilsonInterval } from './proportion-intervals.ts'

export interface Proportion {
  successes: number
  n: number
}

export type ChangeVerdict = 'better' | 'worse' | 'no clear change'

export type Comparison =
  | { difference: number; lower: number; upper: number; verdict: ChangeVerdict }
  | { difference: null; lower: null; upper: null; verdict: 'no clear change' }

/**
 * Change from round `a` to round `b`: the difference b − a with Newcombe's hybrid score
 * interval (Newcombe 1998, method 10), built from the two Wilson intervals. Unlike the Wald
 * interval it behaves at 0% and 100%, where audit results often sit.
 *
 * The verdict is 'better' only when the whole interval lies above 0, 'worse' only when it lies
 * wholly below, and otherwise 'no clear change'. When either round has n = 0 there is nothing
 * to compare: the difference and bounds are null and the verdict 'no clear change'.
 */
export function compareProportions(a: Proportion, b: Proportion, confidence = 0.95): Comparison {
  const ia = wilsonInterval(a.successes, a.n, confidence)
  const ib = wilsonInterval(b.successes, b.n, confidence)
  if (ia === null || ib === null) return { difference: null, lower: null, upper: null, verdict: 'no clear change' }
  const pa = a.successes / a.n
  const pb = b.successes / b.n
  const difference = pb - pa
  const lower = difference - Math.hypot(pb - ib.lower, ia.upper - pa)
  const upper = difference + Math.hypot(ib.upper - pb, pa - ia.lower)
  const verdict: ChangeVerdict = lower > 0 ? 'better' : upper < 0 ? 'worse' : 'no clear change'
  return { difference, lower, upper, verdict }
}
