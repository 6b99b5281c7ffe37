// An agency lead's home: the latest published round's overall and per-Right scores, the trend of
// their overall score across published rounds, and how they compare with the partnership and the
// other agencies, which appear only as "Agency A", "Agency B" (letters fixed within a round and
// reshuffled between rounds: audits/comparison-letters.ts). No other agency's name, type, cases,
// answers or notes are read into the model, so none can reach a page, chart or table built from it.
import { createHmac } from 'node:crypto'
import type { Db } from '../../../schema/database.ts'
import { anonymousLabel, comparisonLetters } from '../../../audits/comparison-letters.ts'
import type { Scope } from '../../scope.ts'
import { barChart } from '../../charts/bar.ts'
import { trendChart } from '../../charts/trend.ts'
import { responsiveChart } from '../../charts/svg.ts'
import { figure, type Figure } from '../scores/figures.ts'
import { roundRollup } from '../scores/rollup-queries.ts'
import { buildRoundModel, thresholdsOf, type ScoreBlock } from '../scores/round-model.ts'
import { visibleRounds, type ScoreRound } from '../scores/rounds-queries.ts'
import { buildTrend, OVERALL, type TrendPoint } from '../scores/trend-model.ts'
import { listReconciliation } from '../reconciliation/queries.ts'

export interface ComparisonRow {
  label: string
  kind: 'partnership' | 'own' | 'other'
  figure: Figure
}

export interface AgencyHome {
  round: ScoreRound | null
  /** The agency's own scores in that round (overall, themes, Rights); null if it had none. */
  block: ScoreBlock | null
  trend: TrendPoint[]
  trendChart: string
  comparison: ComparisonRow[]
  comparisonChart: string
  reported: { total: number; flagged: number; tooFew: number }
}

/**
 * The seed that letters a round's agencies: keyed by a server secret, so nobody can recompute the
 * letters from the round's id and the list of agencies (which would undo the anonymising).
 */
export function lettersSeed(secret: string, roundId: number): string {
  return createHmac('sha256', secret).update(`comparison-letters|round:${roundId}`).digest('hex')
}

function guides(round: ScoreRound) {
  return [
    { value: round.ragAmber / 100, label: `Amber ${round.ragAmber}%` },
    { value: round.ragGreen / 100, label: `Green ${round.ragGreen}%` },
  ]
}

/** The partnership, the reader's agency, then every other agency by letter; overall strict rates. */
export function comparisonFor(db: Db, ownAgencyId: number, round: ScoreRound, secret: string): ComparisonRow[] {
  const t = thresholdsOf(round)
  const rollup = roundRollup(db, round.id, null, ['agency', 'all'])
  const ids = rollup.agencyIds()
  const letters = comparisonLetters(ids, lettersSeed(secret, round.id))
  const others = ids
    .filter((id) => id !== ownAgencyId)
    .map((id) => ({ letter: letters.get(id) ?? '', figure: figure(rollup.get('agency', id), t) }))
    .sort((a, b) => a.letter.length - b.letter.length || a.letter.localeCompare(b.letter))
  return [
    { label: 'All agencies (partnership)', kind: 'partnership', figure: figure(rollup.get('all', null), t) },
    {
      // Its own letter, so the gap in the others' letters is explained and the agency can follow
      // what others say about "Agency C" this round.
      label: letters.has(ownAgencyId)
        ? `Your agency (${anonymousLabel(letters.get(ownAgencyId) ?? '')})`
        : 'Your agency',
      kind: 'own',
      figure: figure(rollup.get('agency', ownAgencyId), t),
    },
    ...others.map((o) => ({ label: anonymousLabel(o.letter), kind: 'other' as const, figure: o.figure })),
  ]
}

export function agencyHome(db: Db, scope: Scope, secret: string): AgencyHome {
  const own = scope.agencyId
  // Agency users see published rounds only (visibleRounds applies the access rules). The home
  // follows the Victims' Code rounds: a commissioned-services dip sample asks other questions.
  const rounds = visibleRounds(db, scope, 'victims_code')
  const round = rounds[rounds.length - 1] ?? null
  const reportedRows = own === null ? [] : listReconciliation(db, scope)
  const reported = {
    total: reportedRows.length,
    flagged: reportedRows.filter((r) => r.result.flagged).length,
    tooFew: reportedRows.filter((r) => r.result.verdict === 'too_few').length,
  }
  if (!round || own === null)
    return { round, block: null, trend: [], trendChart: '', comparison: [], comparisonChart: '', reported }
  const model = buildRoundModel(db, scope, round, 'full')
  const block = model.blocks.find((b) => b.agency?.id === own) ?? null
  const trend = buildTrend(db, rounds, own, OVERALL)
  const trendSvg = responsiveChart(trendChart, {
    id: 'home-trend',
    title: 'Your agency’s overall strict compliance, by published round',
    description:
      'A line through each round’s strict compliance rate, inside a shaded band for its 95% interval. ' +
      'Dashed lines mark the latest round’s amber and green thresholds. The same figures are in the table below.',
    data: trend.map((p) => ({
      label: p.round.name,
      value: p.figure.rate,
      lower: p.figure.lower,
      upper: p.figure.upper,
    })),
    guides: guides(round),
  })
  const comparison = comparisonFor(db, own, round, secret)
  const comparisonSvg = responsiveChart(barChart, {
    id: 'home-comparison',
    title: `Overall strict compliance: your agency, the partnership and other agencies (anonymised), ${round.name}`,
    description:
      "Horizontal bars show each strict compliance rate with its 95% interval as a line across the bar's end; " +
      'other agencies are shown by letter only. ' +
      `Dashed lines mark the amber (${round.ragAmber}%) and green (${round.ragGreen}%) thresholds. ` +
      'The same figures are in the table below the chart.',
    data: comparison.map((c) => ({
      label: c.label,
      value: c.figure.rate,
      lower: c.figure.lower,
      upper: c.figure.upper,
    })),
    guides: guides(round),
  })
  return { round, block, trend, trendChart: trendSvg, comparison, comparisonChart: comparisonSvg, reported }
}
