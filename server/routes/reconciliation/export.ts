// The reconciliation as CSV: one row per reported figure, with the audited figure, its interval,
// n and the verdict, worded as on the page. Written by the scores exports' CSV writer.
import { periodText, reconciliationLabels } from '../../../audits/reconciliation.ts'
import { csvLines } from '../../csv.ts'
import type { ReconciliationRow } from '../../services/reconciliation/queries.ts'

const pct1 = (v: number | null) => (v === null ? '' : (Math.round(v * 1000) / 10).toFixed(1))

export const reconciliationCsvHeader = [
  'Agency',
  'Measure',
  'Period',
  'Period from',
  'Period to',
  'Reported %',
  'Reported cases',
  'Audited strict %',
  'Audited applicable obligations (n)',
  'Audited met (k)',
  '95% interval lower %',
  '95% interval upper %',
  'Verdict',
  'Finding raised',
]

export function reconciliationCsv(rows: readonly ReconciliationRow[]): string {
  return csvLines([
    reconciliationCsvHeader,
    ...rows.map((r) => [
      r.agencyName,
      r.measure.name,
      periodText(r.periodFrom, r.periodTo),
      r.periodFrom,
      r.periodTo,
      r.percent,
      r.cases,
      pct1(r.result.rate),
      r.result.n,
      r.result.k,
      pct1(r.result.lower),
      pct1(r.result.upper),
      reconciliationLabels[r.result.verdict],
      r.findingId === null ? '' : `Finding ${r.findingId}`,
    ]),
  ])
}
