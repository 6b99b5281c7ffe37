// Agency-reported figures held against the audit. An agency says "VPS offered in 92% of 1,204
// cases, October 2024 to March 2025"; the audit's figure for the same agency, measure and period
// is a strict compliance rate on the sampled obligations, with its 95% Wilson interval. The rule:
//
//   - fewer than MINIMUM_AUDITED applicable audited obligations: "not enough audited cases" (the
//     same minimum a trend needs before it calls a change, scoring.ts MINIMUM_PER_SIDE);
//   - otherwise a reported rate below the interval's lower bound is 'below', one above its upper
//     bound 'above' (both flagged: the audit does not support the reported figure);
//   - otherwise, including a reported rate exactly at either bound: 'inside'.
//
// Also the measures a figure can be reported against, and the reading of one reported figure
// (from the form or a CSV row) with every problem named, so both ways in apply one set of rules.
import { getItem, mojMeasures, type MojMeasureId } from './frameworks/index.ts'
import { MONTHS } from './calendar.ts'
import { MINIMUM_PER_SIDE } from './scoring.ts'
import { wilsonInterval } from './proportion-intervals.ts'

export const MINIMUM_AUDITED = MINIMUM_PER_SIDE

export const reconciliationVerdicts = ['below', 'above', 'inside', 'too_few'] as const
export type ReconciliationVerdict = (typeof reconciliationVerdicts)[number]

export const reconciliationLabels: Readonly<Record<ReconciliationVerdict, string>> = {
  below: 'The audit does not support the reported figure (reported below the audit’s interval)',
  above: 'The audit does not support the reported figure (reported above the audit’s interval)',
  inside: 'Within the audit’s interval',
  too_few: 'Not enough audited cases',
}

export interface Reconciliation {
  verdict: ReconciliationVerdict
  /** Whether the audit does not support the reported figure (outside the interval). */
  flagged: boolean
  /** Strict audited rate and its 95% interval; null when nothing was audited (n = 0). */
  rate: number | null
  lower: number | null
  upper: number | null
  k: number
  n: number
}

/** `reported` is a fraction (0.92 for 92%); `k` met of `n` applicable audited obligations. */
export function reconcile(reported: number, k: number, n: number, minimum = MINIMUM_AUDITED): Reconciliation {
  if (!(reported >= 0 && reported <= 1)) throw new RangeError(`reported must lie in [0, 1], got ${reported}`)
  const interval = wilsonInterval(k, n)
  const base = { rate: n === 0 ? null : k / n, lower: interval?.lower ?? null, upper: interval?.upper ?? null, k, n }
  if (n < minimum || !interval) return { verdict: 'too_few', flagged: false, ...base }
  const verdict: ReconciliationVerdict =
    reported < interval.lower ? 'below' : reported > interval.upper ? 'above' : 'inside'
  return { verdict, flagged: verdict !== 'inside', ...base }
}

// --- measures ----------------------------------------------------------------------------------

export type ReportedMeasure =
  | { kind: 'moj'; key: string; id: MojMeasureId; name: string }
  | { kind: 'item'; key: string; id: string; name: string }

/** A measure from its stored key ("moj:vps_offered", "item:R6.1"); null for anything unknown. */
export function parseReportedMeasure(key: string): ReportedMeasure | null {
  const moj = /^moj:([a-z_]{1,40})$/.exec(key)
  if (moj) {
    const m = mojMeasures.find((x) => x.id === moj[1])
    return m ? { kind: 'moj', key, id: m.id, name: m.name } : null
  }
  const item = /^item:([A-Za-z0-9.-]{1,20})$/.exec(key)
  const it = item?.[1] ? getItem(item[1]) : undefined
  return it ? { kind: 'item', key, id: it.id, name: `${it.id} ${it.title} (${it.edition} Code)` } : null
}

// --- reading one reported figure ----------------------------------------------------------------

/** The fields as typed or as a CSV row holds them; months as YYYY-MM. */
export interface ReportedInput {
  measure: string
  from: string
  to: string
  percent: string
  cases: string
}

export interface ReportedFigure {
  measure: ReportedMeasure
  /** First day of the first month and last day of the last month, ISO. */
  periodFrom: string
  periodTo: string
  /** As reported, 0–100, one decimal at most. */
  percent: number
  cases: number
}

export type ReportedField = keyof ReportedInput
export type ReadReported =
  | { ok: true; figure: ReportedFigure }
  | { ok: false; problems: { field: ReportedField; message: string }[] }

const MONTH = /^(\d{4})-(\d{2})$/

function monthOf(raw: string): { year: number; month: number } | null {
  const m = MONTH.exec(raw.trim())
  if (!m) return null
  const year = Number(m[1])
  const month = Number(m[2])
  return year >= 2000 && year <= 2100 && month >= 1 && month <= 12 ? { year, month } : null
}

const pad = (n: number) => String(n).padStart(2, '0')

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** "October 2024 to March 2025" for a stored period. */
export function periodText(from: string, to: string): string {
  const name = (iso: string) => `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`
  return from.slice(0, 7) === to.slice(0, 7) ? name(from) : `${name(from)} to ${name(to)}`
}

/**
 * Reads a reported figure, naming every problem. `today` (ISO) bounds the period: a figure
 * cannot be reported for a month that has not begun.
 */
export function readReported(input: ReportedInput, today: string): ReadReported {
  const problems: { field: ReportedField; message: string }[] = []
  const measure = parseReportedMeasure(input.measure.trim())
  if (input.measure.trim() === '') problems.push({ field: 'measure', message: 'Select the measure' })
  else if (!measure) problems.push({ field: 'measure', message: `“${input.measure.trim()}” is not a known measure` })
  const from = monthOf(input.from)
  const to = monthOf(input.to)
  const thisMonth = today.slice(0, 7)
  if (!from) problems.push({ field: 'from', message: 'Enter the first month of the period as a month and year' })
  if (!to) problems.push({ field: 'to', message: 'Enter the last month of the period as a month and year' })
  const fromText = from ? `${from.year}-${pad(from.month)}` : ''
  const toText = to ? `${to.year}-${pad(to.month)}` : ''
  if (from && to && fromText > toText)
    problems.push({ field: 'to', message: 'The last month must be the same as or after the first month' })
  else if (to && toText > thisMonth) problems.push({ field: 'to', message: 'The period must not end after this month' })
  const percentRaw = input.percent.trim().replace(/%$/, '').trim()
  const percent = Number(percentRaw)
  if (percentRaw === '') problems.push({ field: 'percent', message: 'Enter the reported percentage' })
  else if (!/^\d{1,3}(\.\d)?$/.test(percentRaw) || percent > 100)
    problems.push({
      field: 'percent',
      message: 'Enter the percentage as a number from 0 to 100, with one decimal at most',
    })
  const casesRaw = input.cases.trim().replace(/,/g, '')
  const cases = Number(casesRaw)
  if (casesRaw === '') problems.push({ field: 'cases', message: 'Enter the number of cases the figure covers' })
  else if (!/^\d{1,9}$/.test(casesRaw) || cases < 1)
    problems.push({ field: 'cases', message: 'Enter the number of cases as a whole number, 1 or more' })
  if (problems.length > 0 || !measure || !from || !to) return { ok: false, problems }
  return {
    ok: true,
    figure: {
      measure,
      periodFrom: `${fromText}-01`,
      periodTo: `${toText}-${pad(lastDay(to.year, to.month))}`,
      percent,
      cases,
    },
  }
}
