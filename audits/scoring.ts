// Compliance roll-ups: from counts of outcomes to strict and lenient rates with Wilson intervals,
// red/amber/green bands, timeliness summaries, the design-weighted estimate for stratified
// samples, and which items of another Code edition stand for an item in a trend.
// Formulas follow reference/statistics.md. Pure: the counting itself happens in SQL.
import { crosswalk as defaultCrosswalk } from './frameworks/index.ts'
import type { CrosswalkEntry, Edition } from './frameworks/index.ts'
import { effectiveWilsonInterval, wilsonInterval, type Interval } from './proportion-intervals.ts'
import { combineStrata } from './stratified-estimate.ts'
import { compareProportions, type ChangeVerdict, type Proportion } from './round-comparison.ts'
import { checkCount } from './argument-checks.ts'

/** Below this many applicable answers a figure is flagged "small sample". */
export const SMALL_SAMPLE = 10

/**
 * A change between rounds is judged only when each side rests on at least this many applicable
 * obligations. Below it the verdict is "too few cases to say", whatever the test returns: with
 * n = 2 a score interval can still exclude 0 for a swing of 90 points, which says more about the
 * two cases than about the agency.
 */
export const MINIMUM_PER_SIDE = 10

export type TrendVerdict = ChangeVerdict | 'too few cases to say'

export interface Change {
  verdict: TrendVerdict
  difference: number | null
  lower: number | null
  upper: number | null
}

/**
 * The change from round `before` to round `after` as pages report it: compareProportions' verdict
 * when both sides have at least `minimumPerSide` applicable obligations, otherwise "too few cases
 * to say" (the difference and its interval are still given, for whoever wants them).
 */
export function judgeChange(
  before: Proportion,
  after: Proportion,
  minimumPerSide = MINIMUM_PER_SIDE,
  confidence = 0.95,
): Change {
  const c = compareProportions(before, after, confidence)
  const tooFew = before.n < minimumPerSide || after.n < minimumPerSide
  return {
    verdict: tooFew ? 'too few cases to say' : c.verdict,
    difference: c.difference,
    lower: c.lower,
    upper: c.upper,
  }
}

export interface OutcomeCounts {
  met: number
  partial: number
  notMet: number
  notEvidenced: number
  notApplicable: number
}

export interface Rate {
  /** Successes: met (strict) or met + partially met (lenient). */
  k: number
  /** Applicable answers: everything except not applicable. */
  n: number
  /** k / n, or null when n = 0 (no estimate: "no applicable cases", never 0%). */
  rate: number | null
  interval: Interval | null
}

export interface Compliance {
  n: number
  strict: Rate
  lenient: Rate
  smallSample: boolean
  notApplicable: number
}

export function rate(k: number, n: number, confidence = 0.95): Rate {
  const interval = wilsonInterval(k, n, confidence)
  return { k, n, rate: n === 0 ? null : k / n, interval }
}

/**
 * Strict: met / (met + partially met + not met + not evidenced). Lenient counts partially met as
 * met. Not applicable is outside the denominator; not evidenced counts against (the file must
 * show the duty was done).
 */
export function compliance(counts: OutcomeCounts, confidence = 0.95): Compliance {
  checkCount(counts.met, 'met')
  checkCount(counts.partial, 'partial')
  checkCount(counts.notMet, 'notMet')
  checkCount(counts.notEvidenced, 'notEvidenced')
  checkCount(counts.notApplicable, 'notApplicable')
  const n = counts.met + counts.partial + counts.notMet + counts.notEvidenced
  return {
    n,
    strict: rate(counts.met, n, confidence),
    lenient: rate(counts.met + counts.partial, n, confidence),
    smallSample: n > 0 && n < SMALL_SAMPLE,
    notApplicable: counts.notApplicable,
  }
}

export type RagBand = 'green' | 'amber' | 'red' | 'no_data'

export interface RagThresholds {
  /** Percentages, e.g. 95 and 80, as a round stores them. */
  green: number
  amber: number
}

/**
 * Green at or above the green threshold, amber at or above the amber one, red below; no data
 * when n = 0. Compared as 100·k ≥ t·n so 19 of 20 is exactly 95% and lands in green.
 */
export function ragBand(k: number, n: number, t: RagThresholds): RagBand {
  if (n === 0) return 'no_data'
  if (100 * k >= t.green * n) return 'green'
  if (100 * k >= t.amber * n) return 'amber'
  return 'red'
}

/** The same bands for an estimate given as a fraction (the weighted estimate). */
export function ragBandOf(fraction: number | null, t: RagThresholds): RagBand {
  if (fraction === null) return 'no_data'
  const pct = fraction * 100
  // A hair of tolerance: 0.95 * 100 is 95.00000000000001 in some arithmetic paths and not in others.
  if (pct >= t.green - 1e-9) return 'green'
  if (pct >= t.amber - 1e-9) return 'amber'
  return 'red'
}

/**
 * The p-quantile of a list by linear interpolation between order statistics (Hyndman and Fan's
 * type 7, as Excel's PERCENTILE.INC): the median of [1, 2] is 1.5. Null for an empty list.
 */
export function quantile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be between 0 and 1, got ${p}`)
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const a = sorted[lo] as number
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number
  return a + (h - lo) * (b - a)
}

export interface TimelinessCounts {
  /** Time-limited obligations judged on time (0 working days late, or overridden as on time). */
  onTime: number
  /** Judged late (more than 0 working days late, or overridden as late). */
  late: number
  /** Working days late of each late obligation with a computed delay. */
  lateDays: readonly number[]
}

export interface Timeliness {
  n: number
  onTime: Rate
  late: number
  /** Among the late obligations: median and 90th percentile working days late; null when none. */
  medianDaysLate: number | null
  p90DaysLate: number | null
}

export function timeliness(c: TimelinessCounts, confidence = 0.95): Timeliness {
  checkCount(c.onTime, 'onTime')
  checkCount(c.late, 'late')
  return {
    n: c.onTime + c.late,
    onTime: rate(c.onTime, c.onTime + c.late, confidence),
    late: c.late,
    medianDaysLate: quantile(c.lateDays, 0.5),
    p90DaysLate: quantile(c.lateDays, 0.9),
  }
}

/** "3,1,12" as SQLite's group_concat returns it, to numbers; empty or null to []. */
export function parseDayList(list: string | null | undefined): number[] {
  if (!list) return []
  return list
    .split(',')
    .map(Number)
    .filter((v) => Number.isFinite(v))
}

// ---------------------------------------------------------------------------------------------

export interface ObligationStratum {
  /** Cases in the stratum's population, N_h. */
  population: number
  /** Sampled cases of the stratum that were audited (have answers), c_h. */
  cases: number
  /** Applicable obligations found in those cases, o_h (the denominator n_h of the rate). */
  obligations: number
  /** Of which met, k_h. */
  met: number
}

export interface WeightedEstimate extends Interval {
  estimate: number
  standardError: number
  /** Applicable obligations behind the estimate (in the strata that contribute). */
  observations: number
  /** Indices of strata with no audited case: they cannot contribute and are left out. */
  excluded: number[]
}

/**
 * The design-weighted compliance rate for a stratified sample of cases, where compliance is a
 * share of obligations (several per case). A combined ratio estimate:
 *
 *   M_h = N_h · o_h / c_h         estimated obligations in the stratum's population
 *   W_h = M_h / Σ M               p_h = k_h / o_h
 *   p_w = Σ W_h p_h
 *   Var = Σ W_h² (1 − c_h/N_h) p_h (1 − p_h) / (o_h − 1)      (strata with o_h ≥ 2)
 *
 * The interval is Wilson's on the effective sample size (statistics.effectiveWilsonInterval), so it
 * does not collapse to a point at 0% or 100%. With one obligation per case the estimate is exactly
 * statistics.stratifiedEstimate's. When every
 * stratum was sampled at the same rate it equals the pooled (unweighted) rate. The variance
 * treats a stratum's obligations as independent, which ignores that answers within one case
 * tend to go together, so the interval is somewhat too narrow: an approximation the method
 * section states. Returns null when no stratum contributes an obligation.
 */
export function weightedEstimate(strata: readonly ObligationStratum[], confidence = 0.95): WeightedEstimate | null {
  strata.forEach((s, i) => {
    checkCount(s.population, `strata[${i}].population`)
    checkCount(s.cases, `strata[${i}].cases`)
    checkCount(s.obligations, `strata[${i}].obligations`)
    checkCount(s.met, `strata[${i}].met`)
    if (s.met > s.obligations) throw new RangeError(`strata[${i}].met must not exceed its obligations`)
  })
  const excluded = strata.flatMap((s, i) => (s.cases === 0 ? [i] : []))
  const combined = combineStrata(
    strata.map((s) => ({
      // M_h: the stratum's estimated obligations in the population.
      size: s.cases === 0 ? 0 : (s.population * s.obligations) / s.cases,
      p: s.obligations === 0 ? 0 : s.met / s.obligations,
      n: s.obligations,
      // A stale population figure smaller than the sample must not make the variance negative.
      fpc: s.cases === 0 ? 0 : Math.max(0, 1 - s.cases / s.population),
    })),
    confidence,
  )
  if (!combined) return null
  // The interval: Wilson on the effective sample size, not the normal one combineStrata gives,
  // which collapses to a point when every audited obligation was met (or none was).
  const observations = strata.reduce((sum, s) => sum + (s.cases === 0 ? 0 : s.obligations), 0)
  // Never null here: a part with any weight has obligations.
  const interval = effectiveWilsonInterval(
    combined.estimate,
    combined.standardError ** 2,
    observations,
    confidence,
  ) as Interval
  return {
    estimate: combined.estimate,
    standardError: combined.standardError,
    lower: interval.lower,
    upper: interval.upper,
    observations,
    excluded,
  }
}

// ---------------------------------------------------------------------------------------------

export type SeriesMatch = 'same' | 'equivalent' | 'partial'

export interface EditionItems {
  /** Items of `edition` whose answers stand for the item in a trend (empty: not measured). */
  ids: string[]
  match: SeriesMatch | null
  /** The crosswalk's notes on what differs, for the caveat beside a partial match. */
  notes: string[]
}

/**
 * Which items of a round's edition measure `itemId` (of either edition), through the crosswalk.
 * A match is 'partial' when any crosswalk entry used is partial: the series then carries a caveat.
 */
export function itemsForEdition(
  itemId: string,
  itemEdition: Edition,
  roundEdition: Edition,
  entries: readonly CrosswalkEntry[] = defaultCrosswalk,
): EditionItems {
  if (itemEdition === roundEdition) return { ids: [itemId], match: 'same', notes: [] }
  const used =
    itemEdition === '2020' ? entries.filter((e) => e.to2020 === itemId) : entries.filter((e) => e.from2015 === itemId)
  if (used.length === 0) return { ids: [], match: null, notes: [] }
  const ids = [...new Set(used.map((e) => (itemEdition === '2020' ? e.from2015 : e.to2020)))].sort()
  // Several items combining into one, or one splitting into several, is never a like-for-like series.
  const partial = used.some((e) => e.match === 'partial') || ids.length > 1
  const notes = [...new Set(used.flatMap((e) => (e.note ? [e.note] : [])))]
  return { ids, match: partial ? 'partial' : 'equivalent', notes }
}
