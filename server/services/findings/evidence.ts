// The scores a finding rests on: each item's figure when it was raised, the cases that fell short,
// and how later rounds compare (carried forward through the edition crosswalk).
import type { Db } from '../../../schema/database.ts'
import { carryForward, type CarryForward } from '../../../audits/findings.ts'
import { getItem } from '../../../audits/frameworks/index.ts'
import { itemsForEdition } from '../../../audits/scoring.ts'
import type { Scope } from '../../scope.ts'
import { figure } from '../scores/figures.ts'
import { caseAnswers, emptyCounts, roundRollup } from '../scores/rollup-queries.ts'
import { thresholdsOf } from '../scores/round-model.ts'
import { visibleRounds, type ScoreRound } from '../scores/rounds-queries.ts'
import { parseMeasure, trendCounts } from '../scores/trend-model.ts'

/** One item's score when the finding was raised: the figures the finding rests on. */
export interface EvidenceFigure {
  itemId: string
  title: string
  n: number
  k: number
  rate: number | null
  lower: number | null
  upper: number | null
}

/** What carrying a finding forward needs of it. */
export interface FindingEvidence {
  roundId: number
  roundPeriodTo: string
  agencyId: number
  evidence: readonly EvidenceFigure[]
}

/** Each item's current score for one agency in one round: the evidence a new finding records. */
export function evidenceFor(db: Db, round: ScoreRound, agencyId: number, itemIds: readonly string[]): EvidenceFigure[] {
  const rollup = roundRollup(db, round.id, agencyId, ['agency_item'])
  return itemIds.map((id) => {
    const f = figure(rollup.get('agency_item', agencyId, id), thresholdsOf(round))
    return { itemId: id, title: getItem(id)?.title ?? id, n: f.n, k: f.k, rate: f.rate, lower: f.lower, upper: f.upper }
  })
}

/** Cases of the sample where the item was not fully met: the cases a finding points to. */
export function shortfallCases(db: Db, roundId: number, agencyId: number, itemId: string): string[] {
  const refs = caseAnswers(db, roundId, agencyId, itemId)
    .filter((a) => a.outcome === 'not_met' || a.outcome === 'partially_met' || a.outcome === 'not_evidenced')
    .map((a) => a.caseRef)
  return [...new Set(refs)]
}

export interface CarryRow {
  itemId: string
  round: ScoreRound
  n: number
  k: number
  rate: number | null
  countedItems: string[]
  result: CarryForward
}

/** Later rounds the user may see, scored on the finding's items (through the crosswalk). */
export function carryForwardFor(db: Db, scope: Scope, f: FindingEvidence): CarryRow[] {
  const later = visibleRounds(db, scope).filter((r) => r.id !== f.roundId && r.periodFrom > f.roundPeriodTo)
  if (later.length === 0) return []
  const rows: CarryRow[] = []
  for (const e of f.evidence) {
    const measure = parseMeasure(`item:${e.itemId}`)
    const item = getItem(e.itemId)
    if (!measure || !item) continue
    const counts = trendCounts(db, later, f.agencyId, measure)
    for (const round of later) {
      const mapped = itemsForEdition(item.id, item.edition, round.edition)
      const after = figure(counts.get(round.id) ?? emptyCounts, thresholdsOf(round))
      rows.push({
        itemId: e.itemId,
        round,
        n: after.n,
        k: after.k,
        rate: after.rate,
        countedItems: mapped.match === 'same' ? [] : mapped.ids,
        result: carryForward(
          { successes: e.k, n: e.n },
          { successes: after.k, n: after.n },
          mapped.ids.length > 0 ? mapped.match : null,
        ),
      })
    }
  }
  return rows
}
