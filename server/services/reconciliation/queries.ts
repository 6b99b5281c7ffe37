// Reported figures beside the audit: for each figure an agency reported, the audited strict rate
// for the same agency, measure and period, counted in SQL (one statement for every figure shown)
// over the answers that count towards scores (rollup-queries.ts `effectiveAnswers`) in published
// rounds, of sampled cases reported to the agency within the period. Agency users are confined to
// their own rows in SQL.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
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

/** The reported figures (alias rf) a user may see, as a SQL condition. */
function visible(scope: Scope): SQL {
  const own = agencyRestriction(scope)
  if (own !== null) return sql`rf.agency_id = ${own}`
  return scope.role === 'admin' || scope.role === 'moderator' || scope.role === 'viewer' ? sql`1 = 1` : sql`1 = 0`
}

/**
 * Met and applicable audited obligations behind each reported figure picked by `where` (on rf), in
 * one statement: the answers that count, of published rounds, of the figure's agency, for its
 * measure (an item, or the items of a Ministry of Justice measure), of sampled cases reported to
 * the agency within its period.
 */
function auditedCounts(db: Db, where: SQL): Map<number, { k: number; n: number }> {
  const publishedRounds = sql`sc.round_id IN (SELECT r.id FROM rounds r WHERE r.status IN ${PUBLISHED})`
  const rows = db.all<{ id: number; k: number; n: number }>(sql`
    WITH ${effectiveAnswers(publishedRounds, null)},
    figs AS (SELECT rf.id, rf.agency_id, rf.measure, rf.period_from, rf.period_to
             FROM reported_figures rf WHERE ${where})
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

interface StoredRow {
  id: number
  agency_id: number
  agency_name: string
  measure: string
  period_from: string
  period_to: string
  percent: number
  cases: number
  finding_id: number | null
  round_id: number | null
}

function listStored(db: Db, scope: Scope, where: SQL): StoredRow[] {
  return db.all<StoredRow>(sql`
    SELECT rf.id, rf.agency_id, ag.name AS agency_name, rf.measure, rf.period_from, rf.period_to, rf.percent,
           rf.cases, rf.finding_id,
           (SELECT r.id FROM rounds r WHERE r.status IN ${PUBLISHED} AND r.framework = 'victims_code'
              AND r.period_from <= rf.period_to AND r.period_to >= rf.period_from
            ORDER BY r.period_to DESC, r.id DESC LIMIT 1) AS round_id
    FROM reported_figures rf JOIN agencies ag ON ag.id = rf.agency_id
    WHERE ${visible(scope)} AND ${where}
    ORDER BY ag.name, rf.period_from DESC, rf.measure, rf.id`)
}

function withAudit(r: StoredRow, audited: Map<number, { k: number; n: number }>): ReconciliationRow | null {
  const measure = parseReportedMeasure(r.measure)
  // A stored key is always valid when written; one the framework no longer knows is left out.
  if (!measure) return null
  const { k, n } = audited.get(r.id) ?? { k: 0, n: 0 }
  return {
    id: r.id,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    measure,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    percent: r.percent,
    cases: r.cases,
    findingId: r.finding_id,
    result: reconcile(Math.min(1, Math.max(0, r.percent / 100)), k, n),
    roundId: r.round_id,
  }
}

function reconciled(db: Db, scope: Scope, where: SQL): ReconciliationRow[] {
  const audited = auditedCounts(db, sql`${visible(scope)} AND ${where}`)
  return listStored(db, scope, where)
    .map((r) => withAudit(r, audited))
    .filter((r): r is ReconciliationRow => r !== null)
}

/** Every reported figure the user may see with the audit's figure beside it. */
export function listReconciliation(db: Db, scope: Scope, filter: ReconciliationFilter = {}): ReconciliationRow[] {
  const rows = reconciled(db, scope, filter.agencyId ? sql`rf.agency_id = ${filter.agencyId}` : sql`1 = 1`)
  return filter.flaggedOnly ? rows.filter((r) => r.result.flagged) : rows
}

/** One reported figure with its reconciliation, if the user may see it. */
export function getReconciliation(db: Db, scope: Scope, id: number): ReconciliationRow | undefined {
  return reconciled(db, scope, sql`rf.id = ${id}`)[0]
}

/** Agencies with reported figures the user may see, for the filter. */
export function reportingAgencies(db: Db, scope: Scope): { id: number; name: string }[] {
  return db.all<{ id: number; name: string }>(sql`
    SELECT DISTINCT ag.id, ag.name FROM reported_figures rf JOIN agencies ag ON ag.id = rf.agency_id
    WHERE ${visible(scope)} ORDER BY ag.name`)
}
