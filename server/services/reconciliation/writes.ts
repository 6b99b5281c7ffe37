// The writes of reconciliation: an agency's reported figure (one, or a whole upload in one
// transaction), and a flag turned into a draft finding through the findings write path. Each in
// one transaction with its audit-log entry, before and after.
import { and, eq } from 'drizzle-orm'
import { reportedFigures } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import { getFramework, getItem } from '../../../audits/frameworks/index.ts'
import { itemsForEdition } from '../../../audits/scoring.ts'
import { periodText, type ReportedFigure } from '../../../audits/reconciliation.ts'
import { actorOf, recordAudit, updateRecorded } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import { pct } from '../../view-helpers.ts'
import { createFinding } from '../findings/writes.ts'
import { findRound, type ScoreRound } from '../scores/rounds-queries.ts'
import type { ReconciliationRow } from './queries.ts'

type Stored = typeof reportedFigures.$inferSelect

/** Saves one reported figure; the same agency, measure and period again replaces the figure. */
function save(db: Db, scope: Scope, agencyId: number, f: ReportedFigure, now: string, via: 'form' | 'upload'): number {
  const key = and(
    eq(reportedFigures.agencyId, agencyId),
    eq(reportedFigures.measure, f.measure.key),
    eq(reportedFigures.periodFrom, f.periodFrom),
    eq(reportedFigures.periodTo, f.periodTo),
  )
  const before: Stored | undefined = db.select().from(reportedFigures).where(key).get()
  const values = { percent: f.percent, cases: f.cases, enteredBy: scope.userId, updatedAt: now }
  const after = before
    ? db.update(reportedFigures).set(values).where(eq(reportedFigures.id, before.id)).returning().get()
    : db
        .insert(reportedFigures)
        .values({
          agencyId,
          measure: f.measure.key,
          periodFrom: f.periodFrom,
          periodTo: f.periodTo,
          createdAt: now,
          ...values,
        })
        .returning()
        .get()
  if (!after) throw new Error('reported figure vanished inside its transaction')
  recordAudit(
    db,
    {
      actor: actorOf(scope),
      action: before ? 'reported_figure_replaced' : 'reported_figure_entered',
      entity: 'reported_figure',
      entityId: after.id,
      before: before ? { ...before, via } : undefined,
      after: { ...after, via },
    },
    now,
  )
  return after.id
}

export function saveReportedFigure(
  db: Db,
  scope: Scope,
  agencyId: number,
  figure: ReportedFigure,
  now = new Date().toISOString(),
): number {
  return db.transaction(() => save(db, scope, agencyId, figure, now, 'form'))
}

/** Every figure of an upload, or (if anything throws) none of them. */
export function saveReportedFigures(
  db: Db,
  scope: Scope,
  agencyId: number,
  figures: readonly ReportedFigure[],
  now = new Date().toISOString(),
): number[] {
  return db.transaction(() => figures.map((f) => save(db, scope, agencyId, f, now, 'upload')))
}

/** The items of a round's edition a finding about this measure concerns. */
export function findingItems(row: ReconciliationRow, round: ScoreRound): string[] {
  const items = getFramework(round.edition).items
  if (row.measure.kind === 'moj') {
    const id = row.measure.id
    return items.filter((i) => i.mojMeasure === id).map((i) => i.id)
  }
  const item = getItem(row.measure.id)
  if (!item) return []
  return item.edition === round.edition ? [item.id] : itemsForEdition(item.id, item.edition, round.edition).ids
}

export type RaiseResult = { ok: true; findingId: number } | { ok: false; problem: string }

/**
 * Raises a draft finding from a flagged reconciliation, on the latest published round covering
 * the period, and links it to the reported figure. The caller has checked the user may raise it.
 */
export function raiseFindingFromFlag(
  db: Db,
  scope: Scope,
  row: ReconciliationRow,
  now = new Date().toISOString(),
): RaiseResult {
  if (!row.result.flagged)
    return { ok: false, problem: 'Only a figure the audit does not support can become a finding' }
  if (row.findingId !== null) return { ok: false, problem: 'A finding has already been raised from this figure' }
  const round = row.roundId === null ? undefined : findRound(db, scope, row.roundId)
  if (!round) return { ok: false, problem: 'No published round covers this period' }
  const itemIds = findingItems(row, round)
  if (itemIds.length === 0) return { ok: false, problem: `The ${round.edition} Code has no item for this measure` }
  const period = periodText(row.periodFrom, row.periodTo)
  const r = row.result
  return db.transaction(() => {
    const findingId = createFinding(
      db,
      scope,
      {
        round,
        agencyId: row.agencyId,
        title: `Reported figure not supported by the audit: ${row.measure.name}, ${period}`.slice(0, 200),
        itemIds,
        caseRefs: [],
        severity: 'medium',
        recommendation:
          `The agency reported ${row.percent.toLocaleString('en-GB')}% of ${row.cases.toLocaleString('en-GB')} cases ` +
          `for ${period}. The audit found ${r.rate === null ? 'no applicable cases' : pct(r.rate)} ` +
          `(n = ${r.n}; 95% interval ${r.lower === null ? '–' : pct(r.lower)} ` +
          `to ${r.upper === null ? '–' : pct(r.upper)}), ` +
          'so the audit does not support the reported figure. Check how the figure is recorded and counted, and ' +
          'explain the difference.',
        status: 'draft',
      },
      now,
    )
    const log = { action: 'reported_figure_finding_raised', entity: 'reported_figure' }
    updateRecorded(db, scope, reportedFigures, row.id, { findingId, updatedAt: now }, log, now)
    return { ok: true as const, findingId }
  })
}
