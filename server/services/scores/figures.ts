// From SQL counts to the figures pages and exports show: rates with n, Wilson intervals, small
// sample flags, red/amber/green bands and the weighted estimate, plus their wording.
import {
  compliance,
  ragBand,
  ragBandOf,
  timeliness,
  weightedEstimate,
  MINIMUM_PER_SIDE,
  SMALL_SAMPLE,
} from '../../../audits/scoring.ts'
import type { RagBand, RagThresholds, Timeliness } from '../../../audits/scoring.ts'
import type { Counts, Level, Rollup } from './rollup-queries.ts'
import type { CaseCounts, SampleDesign } from './rounds-queries.ts'
import { pct } from '../../view-helpers.ts'
import { outcomeLabels } from '../../../audits/vocabulary.ts'

export interface Figure {
  /** Applicable answers (the denominator). */
  n: number
  /** Met (strict successes). */
  k: number
  /** Met or partially met (lenient successes). */
  kLenient: number
  rate: number | null
  lower: number | null
  upper: number | null
  lenientRate: number | null
  lenientLower: number | null
  lenientUpper: number | null
  notApplicable: number
  smallSample: boolean
  /** Band of the strict rate against the round's thresholds. */
  rag: RagBand
  timeliness: Timeliness
}

export function figure(counts: Counts, thresholds: RagThresholds): Figure {
  const c = compliance(counts.outcomes)
  return {
    n: c.n,
    k: c.strict.k,
    kLenient: c.lenient.k,
    rate: c.strict.rate,
    lower: c.strict.interval?.lower ?? null,
    upper: c.strict.interval?.upper ?? null,
    lenientRate: c.lenient.rate,
    lenientLower: c.lenient.interval?.lower ?? null,
    lenientUpper: c.lenient.interval?.upper ?? null,
    notApplicable: c.notApplicable,
    smallSample: c.smallSample,
    rag: ragBand(c.strict.k, c.n, thresholds),
    timeliness: timeliness(counts.timeliness),
  }
}

export interface WeightedFigure {
  estimate: number
  lower: number
  upper: number
  rag: RagBand
  /** Applicable obligations the estimate rests on: the small-sample tag goes by this. */
  observations: number
  /** Strata of the design left out because none of their cases has been audited yet. */
  excludedStrata: string[]
}

/**
 * The design-weighted strict rate for one agency (or the partnership, agencyId null) from the
 * per-stratum counts at `lvl`, the stratum populations of the draw and the audited cases.
 */
export function weightedFigure(
  rollup: Rollup,
  lvl: Extract<Level, 'agency_stratum' | 'stratum'>,
  agencyId: number | null,
  design: SampleDesign | null,
  cases: CaseCounts,
  thresholds: RagThresholds,
): WeightedFigure | null {
  if (!design?.weighted) return null
  const strata = design.strata.map((s) => {
    const c = rollup.get(lvl, agencyId, s.key).outcomes
    const cases_ = cases.answeredByStratum.get(s.key) ?? 0
    return {
      population: Math.max(s.population, cases_),
      cases: cases_,
      obligations: c.met + c.partial + c.notMet + c.notEvidenced,
      met: c.met,
    }
  })
  const w = weightedEstimate(strata)
  if (!w) return null
  return {
    estimate: w.estimate,
    lower: w.lower,
    upper: w.upper,
    rag: ragBandOf(w.estimate, thresholds),
    observations: w.observations,
    excludedStrata: w.excluded.map((i) => design.strata[i]?.key ?? ''),
  }
}

// ---------------------------------------------------------------------------------------------
// Wording, shared by pages, the report and the exports so a figure reads the same everywhere.

export const NO_DATA_TEXT = 'No applicable cases'

/** "87.5% (n = 40)", or "No applicable cases" when there is nothing to estimate from. */
export function rateText(rate: number | null, n: number): string {
  if (rate === null || n === 0) return NO_DATA_TEXT
  return `${pct(rate)} (n = ${n.toLocaleString('en-GB')})`
}

export function intervalText(lower: number | null, upper: number | null): string {
  if (lower === null || upper === null) return ''
  return `${pct(lower)} to ${pct(upper)}`
}

export const ragLabels: Record<RagBand, string> = { green: 'Green', amber: 'Amber', red: 'Red', no_data: 'No data' }

export const ragTagClasses: Record<RagBand, string> = {
  green: 'govuk-tag--green',
  amber: 'govuk-tag--yellow',
  red: 'govuk-tag--red',
  no_data: 'govuk-tag--grey',
}

export function daysText(days: number | null): string {
  if (days === null) return '–'
  const rounded = Math.round(days * 10) / 10
  return `${rounded.toLocaleString('en-GB')} ${rounded === 1 ? 'working day' : 'working days'}`
}

export const verdictLabels: Record<string, string> = {
  better: 'Better',
  worse: 'Worse',
  'no clear change': 'No clear change',
  'too few cases to say': 'Too few cases to say',
}

export const verdictTagClasses: Record<string, string> = {
  better: 'govuk-tag--green',
  worse: 'govuk-tag--red',
  'no clear change': 'govuk-tag--grey',
  'too few cases to say': 'govuk-tag--grey',
}

/** Signed percentage points, e.g. "+4.2" or "−3.0". */
export function pointsText(difference: number | null): string {
  if (difference === null) return '–'
  const v = (difference * 100).toFixed(1)
  return difference > 0 ? `+${v}` : difference < 0 ? `−${v.slice(1)}` : v
}

/** Everything templates need to word a figure, handed over as `it.f`. */
export const wording = {
  rateText,
  intervalText,
  pctText: pct,
  daysText,
  pointsText,
  ragLabels,
  ragTagClasses,
  outcomeLabels,
  verdictLabels,
  verdictTagClasses,
  NO_DATA_TEXT,
  SMALL_SAMPLE,
  MINIMUM_PER_SIDE,
}
