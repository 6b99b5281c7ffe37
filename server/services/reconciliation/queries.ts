// Reported figures beside the audit: for each figure an agency reported, the audited strict rate
// for the same agency, measure and period, counted in SQL (one statement for every figure shown)
// over the answers that count towards scores (rollup-queries.ts `effectiveAnswers`) in published
// rounds, of sampled cases reported to the agency within the period. Agency users are confined to
// their own rows in SQL.
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import { agencies, reportedFigures } from '../../../schema/index.ts'
import {
  parseReportedMeasure,
  reconcile,
  type Reconciliation,
  type ReportedMeasure,
} from '../../../audits/reconciliation.ts'
import { agencyRestriction, publishedStages } from '../../access.ts'
import type { Scope } from '../../scope.ts'
import { effectiveAnswers } from '../scores/rollup-queries.ts'

export interface ReconciliationRow {
  id: number
  agencyId: number
  agencyName: string
  measure: ReportedMeasure
  periodFrom: string
  periodTo: string
  /** As reported, 0–100. */
  percent: number
  cases: number
  findingId: number | null
  result: Reconciliation
  /** The latest published round whose period overlaps the figure's: where a finding would go. */
  roundId: number | null
}

export interface ReconciliationFilter {
  agencyId?: number | null
  flaggedOnly?: boolean
}

const PUBLISHED = sql.raw(`(${publishedStages.map((s) => `'${s}'`).join(', ')})`)

/** The reported figures a user may see, as a condition for a query's where (undefined: all of them). */
function visible(scope: Scope): SQL | undefined {
  const own = agencyRestriction(scope)
  if (own !== null) return eq(reportedFigures.agencyId, own)
  return scope.role === 'admin' || scope.role === 'moderator' || scope.role === 'viewer' ? undefined : sql`0`
}

/**
 * Met and applicable audited obligations behind each reported figure picked by `where` (on rf), in
 * one statement: the answers that count, of published rounds, of the figure's agency, for its
 * measure (an item, or the items of a Ministry of Justice measure), of sampled cases reported to
 * the agency within its period.
 */
function auditedCounts(db: Db, where: SQL | undefined): Map<number, { k: number; n: number }> {
  const publishedRounds = sql`sc.round_id IN (SELECT r.id FROM rounds r WHERE r.status IN ${PUBLISHED})`
  // Raw: a roll-up over the effectiveAnswers CTE (answers that count, moderated over first marks), which the
  // builder can't express.
  const rows = db.all<{ id: number; k: number; n: number }>(sql`
    WITH ${effectiveAnswers(publishedRounds, null)},
    figs AS (SELECT id, agency_id, measure, period_from, period_to
             FROM reported_figures WHERE ${where ?? sql`1 = 1`})
    SELECT figs.id,
           coalesce(sum(eff.outcome = 'met'), 0) AS k,
           coalesce(sum(eff.outcome IN ('met', 'partially_met', 'not_met', 'not_evidenced')), 0) AS n
    FROM figs
    JOIN eff ON eff.agency_id = figs.agency_id
    JOIN sample_cases s ON s.id = eff.case_id
    JOIN population_cases pc ON pc.id = s.population_case_id
    LEFT JOIN framework_items fi ON fi.id = eff.item_id
    WHERE pc.reported_on BETWEEN figs.period_from AND figs.period_to
      AND (figs.measure = 'item:' || eff.item_id OR figs.measure = 'moj:' || fi.moj_measure)
    GROUP BY figs.id`)
  return new Map(rows.map((r) => [r.id, { k: r.k, n: r.n }]))
}

/** The latest published Victims' Code round whose period overlaps the figure's. */
const overlappingRound = sql<number | null>`(SELECT r.id FROM rounds r
    WHERE r.status IN ${PUBLISHED} AND r.framework = 'victims_code'
      AND r.period_from <= ${reportedFigures.periodTo} AND r.period_to >= ${reportedFigures.periodFrom}
    ORDER BY r.period_to DESC, r.id DESC LIMIT 1)`

function listStored(db: Db, scope: Scope, where: SQL | undefined) {
  return db
    .select({
      id: reportedFigures.id,
      agencyId: reportedFigures.agencyId,
      agencyName: agencies.name,
      measure: reportedFigures.measure,
      periodFrom: reportedFigures.periodFrom,
      periodTo: reportedFigures.periodTo,
      percent: reportedFigures.percent,
      cases: reportedFigures.cases,
      findingId: reportedFigures.findingId,
      roundId: overlappingRound,
    })
    .from(reportedFigures)
    .innerJoin(agencies, eq(agencies.id, reportedFigures.agencyId))
    .where(and(visible(scope), where))
    .orderBy(
      asc(agencies.name),
      desc(reportedFigures.periodFrom),
      asc(reportedFigures.measure),
      asc(reportedFigures.id),
    )
    .all()
}

type StoredRow = ReturnType<typeof listStored>[number]

function withAudit(r: StoredRow, audited: Map<number, { k: number; n: number }>): ReconciliationRow | null {
  const measure = parseReportedMeasure(r.measure)
  // A stored key is always valid when written; one the framework no longer knows is left out.
  if (!measure) return null
  const { k, n } = audited.get(r.id) ?? { k: 0, n: 0 }
  return {
    ...r,
    measure,
    result: reconcile(Math.min(1, Math.max(0, r.percent / 100)), k, n),
  }
}

function reconciled(db: Db, scope: Scope, where: SQL | undefined): ReconciliationRow[] {
  const audited = auditedCounts(db, and(visible(scope), where))
  return listStored(db, scope, where)
    .map((r) => withAudit(r, audited))
    .filter((r): r is ReconciliationRow => r !== null)
}

/** Every reported figure the user may see with the audit's figure beside it. */
export function listReconciliation(db: Db, scope: Scope, filter: ReconciliationFilter = {}): ReconciliationRow[] {
  const rows = reconciled(db, scope, filter.agencyId ? eq(reportedFigures.agencyId, filter.agencyId) : undefined)
  return filter.flaggedOnly ? rows.filter((r) => r.result.flagged) : rows
}

/** One reported figure with its reconciliation, if the user may see it. */
export function getReconciliation(db: Db, scope: Scope, id: number): ReconciliationRow | undefined {
  return reconciled(db, scope, eq(reportedFigures.id, id))[0]
}

/** Agencies with reported figures the user may see, for the filter. */
export function reportingAgencies(db: Db, scope: Scope): { id: number; name: string }[] {
  return db
    .selectDistinct({ id: agencies.id, name: agencies.name })
    .from(reportedFigures)
    .innerJoin(agencies, eq(agencies.id, reportedFigures.agencyId))
    .where(visible(scope))
    .orderBy(asc(agencies.name))
    .all()
}
