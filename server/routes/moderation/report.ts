// The agreement report's model: audits/agreement-summary.ts over the round's paired answers, by
// item, theme and auditor, with every disagreement listed.
import { summariseAgreement, summariseBy, SMALL_N, type AgreementSummary } from '../../../audits/agreement-summary.ts'
import { outcomeLabels } from '../../../audits/answer-rules.ts'
import type { Queryable } from '../../../schema/database.ts'
import { pairedAnswers, selectedCases, type PairedAnswer } from '../../services/moderation/queries.ts'
import { csvLines } from '../../csv.ts'

export interface AgreementReport {
  overall: AgreementSummary
  byItem: Array<{ key: string; title: string; summary: AgreementSummary }>
  byTheme: Array<{ key: string; summary: AgreementSummary }>
  byAuditor: Array<{ key: string; summary: AgreementSummary }>
  disagreements: PairedAnswer[]
  cases: { selected: number; marked: number }
  facts: { compared: number; disagreed: number; resolved: number }
  smallN: number
}

export function agreementReport(db: Queryable, roundId: number): AgreementReport {
  const pairs = pairedAnswers(db, roundId)
  const cases = selectedCases(db, roundId)
  const marked = cases.filter((c) => c.secondCompletedAt !== null)
  const titles = new Map(pairs.map((p) => [p.itemId, p.itemTitle]))
  const pairOf = (p: PairedAnswer) => [p.first, p.second] as const
  return {
    overall: summariseAgreement(pairs.map(pairOf)),
    byItem: summariseBy(pairs, (p) => p.itemId, pairOf).map((g) => ({ ...g, title: titles.get(g.key) ?? g.key })),
    byTheme: summariseBy(pairs, (p) => p.theme, pairOf),
    byAuditor: summariseBy(pairs, (p) => p.auditorName, pairOf),
    disagreements: pairs.filter((p) => p.first !== p.second),
    cases: { selected: cases.length, marked: marked.length },
    facts: {
      compared: marked.filter((c) => c.factsAgree !== null).length,
      disagreed: marked.filter((c) => c.factsAgree === false).length,
      resolved: marked.filter((c) => c.factsAgree === false && c.factsResolved).length,
    },
    smallN: SMALL_N,
  }
}

// Numbers stay numbers, so a negative kappa is not mistaken for a formula and quoted.
const num = (x: number | null): number | string => (x === null ? 'n/a' : Number(x.toFixed(3)))

export function agreementCsv(report: AgreementReport): string {
  const rows: Array<Array<string | number>> = [
    [
      'level',
      'key',
      'title',
      'pairs',
      'agreed',
      'percent_agreement',
      'kappa',
      'kappa_label',
      'kappa_low_95',
      'kappa_high_95',
      'ac1',
      'prevalence_paradox',
      'small_n',
    ],
  ]
  const line = (level: string, key: string, title: string, s: AgreementSummary) =>
    rows.push([
      level,
      key,
      title,
      s.n,
      s.agreed,
      num(s.percent),
      num(s.kappa),
      s.label,
      num(s.interval?.[0] ?? null),
      num(s.interval?.[1] ?? null),
      num(s.ac1),
      s.paradox ? 'yes' : 'no',
      s.smallN ? 'yes' : 'no',
    ])
  line('round', 'all', 'All items', report.overall)
  for (const g of report.byItem) line('item', g.key, g.title, g.summary)
  for (const g of report.byTheme) line('theme', g.key, g.key, g.summary)
  for (const g of report.byAuditor) line('auditor', g.key, g.key, g.summary)
  rows.push([])
  rows.push([
    'disagreement_case',
    'item',
    'obligation',
    'first_marker',
    'first_outcome',
    'second_marker',
    'second_outcome',
    'final_outcome',
    'final_reason',
  ])
  const label = (o: string | null) => (o === null ? '' : ((outcomeLabels as Record<string, string>)[o] ?? o))
  for (const d of report.disagreements)
    rows.push([
      d.caseRef,
      d.itemId,
      d.obligationKey,
      d.auditorName,
      label(d.first),
      d.secondMarkerName,
      label(d.second),
      label(d.final),
      d.finalReason ?? '',
    ])
  return csvLines(rows)
}
