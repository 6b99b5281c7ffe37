// The sample planner's arithmetic and wording: how many cases give what precision, how a total is
// split between strata, and how to say so in plain English. Margins are whole tenths of a
// percentage point (50 = ±5.0 points) and confidence whole percent (95), as stored with a draw.
import { allocate, type AllocationMethod } from './sample-allocation.ts'
import { sampleSize } from './sample-size.ts'
import { twoSidedZ } from './normal-distribution.ts'

export const stratifications = ['district', 'offence_group', 'agency', 'none'] as const
export type Stratification = (typeof stratifications)[number]
export const allocationMethods = ['proportional', 'neyman', 'equal'] as const satisfies readonly AllocationMethod[]
export const plannerMargins = [50, 75, 100] as const
export const plannerConfidences = [90, 95, 99] as const

/** The one stratum of an unstratified draw. */
export const WHOLE_POPULATION = 'all'

/** The stratum, in a draw by agency, of cases whose file names no agency. */
export const NO_AGENCY_STRATUM = '(none named)'

export interface PrecisionCell {
  marginOfError: number
  confidence: number
  sampleSize: number
}

/** Sample sizes for each planner margin (rows) at each planner confidence (columns). */
export function precisionTable(population: number): PrecisionCell[][] {
  return plannerMargins.map((marginOfError) =>
    plannerConfidences.map((confidence) => ({
      marginOfError,
      confidence,
      sampleSize: sizeFor(population, marginOfError, confidence),
    })),
  )
}

export function sizeFor(population: number, marginOfError: number, confidence: number): number {
  return sampleSize({ population, marginOfError: marginOfError / 1000, confidence: confidence / 100 })
}

/**
 * The margin of error (a fraction, e.g. 0.05) that n cases out of N give for a proportion near
 * 50%, the worst case; null for no sample. With the whole population sampled it is 0.
 */
export function achievedMargin(n: number, population: number, confidence: number): number | null {
  if (n <= 0 || population <= 0) return null
  if (n >= population) return 0
  // Here 0 < n < population, so population ≥ 2.
  const fpc = (population - n) / (population - 1)
  return twoSidedZ(confidence / 100) * Math.sqrt((0.25 / n) * fpc)
}

/** "±5" or "±7.5" percentage points, from tenths of a point. */
export function formatMargin(marginOfError: number): string {
  return `±${Number((marginOfError / 10).toFixed(1))}`
}

/** A fraction such as 0.0512 as "±5.1". */
export function formatFractionMargin(margin: number): string {
  return `±${(margin * 100).toFixed(1)}`
}

/** 95 → "19 times in 20": how often the true rate lies within the margin, in words people use. */
export function confidencePhrase(confidence: number): string {
  if (confidence === 90) return '9 times in 10'
  if (confidence === 95) return '19 times in 20'
  if (confidence === 99) return '99 times in 100'
  return `${confidence} times in 100`
}

/** "A sample of 218 gives the compliance rate to within about ±5 percentage points, 19 times in 20." */
export function explainSample(n: number, marginOfError: number, confidence: number): string {
  return `A sample of ${n.toLocaleString('en-GB')} gives the compliance rate to within about ${formatMargin(marginOfError)} percentage points, ${confidencePhrase(confidence)}.`
}

export interface PlannedStratum {
  key: string
  population: number
  take: number
  /** Margin this stratum's own figure would have, as a fraction; null when nothing is taken. */
  margin: number | null
}

export type StrataPlan =
  | { ok: true; total: number; strata: PlannedStratum[] }
  | { ok: false; problem: 'minimum'; message: string }

/**
 * Splits `total` between strata (sizes given) by the method, with at least `minimum` per stratum
 * where the stratum has that many cases. The total never exceeds the population.
 */
export function planStrata(
  strata: readonly { key: string; population: number }[],
  total: number,
  method: AllocationMethod,
  minimum: number,
  confidence: number,
): StrataPlan {
  const sizes = strata.map((s) => ({ key: s.key, size: s.population }))
  const needed = strata.reduce((sum, s) => sum + Math.min(minimum, s.population), 0)
  const possible = Math.min(
    total,
    strata.reduce((sum, s) => sum + s.population, 0),
  )
  if (needed > possible) {
    return {
      ok: false,
      problem: 'minimum',
      message: `A minimum of ${minimum} per stratum needs ${needed} cases, more than the sample of ${possible}: lower the minimum or enlarge the sample`,
    }
  }
  const allocated = allocate(sizes, total, method, minimum)
  const planned = allocated.map((a, i) => {
    const population = (strata[i] as { population: number }).population
    return { key: a.key, population, take: a.allocated, margin: achievedMargin(a.allocated, population, confidence) }
  })
  return { ok: true, total: planned.reduce((sum, s) => sum + s.take, 0), strata: planned }
}
