// Reported figures beside the audit: for each figure an agency reported, the audited strict rate
// for the same agency, measure and period, counted in SQL over the answers that count towards
// scores (rollup-queries.ts `effectiveAnswers`) in published rounds, of sampled cases reported to
// the agency within the period. Agency users are confined to their own rows in SQL.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import { compliance } from '../../../audits/scoring.ts'
import {
  parseReportedMeasure,
  reconcile,
  type Reconciliation,
  type ReportedMeasure,
} from '../../../audits/reconciliation.ts'
import { agencyRestriction, publishedStages } from '../../access.ts'
import type { Scope } from '../../scope.ts'
import { effectiveAnswers, toCounts, type CountRow } from '../scores/rollup-queries.ts'

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

function measureCondition(measure: ReportedMeasure): SQL {
  return measure.kind === 'moj'
    ? sql`AND a.item_id IN (SELECT fi.id FROM framework_items fi WHERE fi.moj_measure = ${measure.id})`
    : sql`AND a.item_id = ${measure.id}`
}

/** Met and applicable audited obligations for one agency, measure and period (published rounds only). */
export function auditedCounts(
  db: Db,
  agencyId: number,
  measure: ReportedMeasure,
  periodFrom: string,
  periodTo: string,
): { k: number; n: number } {
  const row = db.get<CountRow>(sql`
    WITH ${effectiveAnswers(
      sql`sc.population_case_id IN (
        SELECT pc.id FROM population_cases pc JOIN rounds r ON r.id = pc.round_id
        WHERE r.status IN ${PUBLISHED} AND pc.reported_on BETWEEN ${periodFrom} AND ${periodTo})`,
      agencyId,
      measureCondition(measure),
    )}
    SELECT coalesce(sum(outcome = 'met'), 0) AS met, coalesce(sum(outcome = 'partially_met'), 0) AS partial,
           coalesce(sum(outcome = 'not_met'), 0) AS not_met, coalesce(sum(outcome = 'not_evidenced'), 0) AS not_evidenced,
           coalesce(sum(outcome = 'not_applicable'), 0) AS not_applicable, 0 AS on_time, 0 AS late, NULL AS late_days
    FROM eff`)
  const c = compliance(toCounts(row).outcomes)
  return { k: c.strict.k, n: c.n }
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
           (SELECT r.id FROM rounds r WHERE r.status IN ${PUBLISHED}
              AND r.period_from <= rf.period_to AND r.period_to >= rf.period_from
            ORDER BY r.period_to DESC, r.id DESC LIMIT 1) AS round_id
    FROM reported_figures rf JOIN agencies ag ON ag.id = rf.agency_id
    WHERE ${visible(scope)} AND ${where}
    ORDER BY ag.name, rf.period_from DESC, rf.measure, rf.id`)
}

function withAudit(db: Db, r: StoredRow): ReconciliationRow | null {
  const measure = parseReportedMeasure(r.measure)
  // A stored key is always valid when written; one the framework no longer knows is left out.
  if (!measure) return null
  const { k, n } = auditedCounts(db, r.agency_id, measure, r.period_from, r.period_to)
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

/** Every reported figure the user may see with the audit's figure beside it. */
export function listReconciliation(db: Db, scope: Scope, filter: ReconciliationFilter = {}): ReconciliationRow[] {
  const where = filter.agencyId ? sql`rf.agency_id = ${filter.agencyId}` : sql`1 = 1`
  const rows = listStored(db, scope, where)
    .map((r) => withAudit(db, r))
    .filter((r): r is ReconciliationRow => r !== null)
  return filter.flaggedOnly ? rows.filter((r) => r.result.flagged) : rows
}

/** One reported figure with its reconciliation, if the user may see it. */
export function getReconciliation(db: Db, scope: Scope, id: number): ReconciliationRow | undefined {
  const r = listStored(db, scope, sql`rf.id = ${id}`)[0]
  return r ? (withAudit(db, r) ?? undefined) : undefined
}

/** Agencies with reported figures the user may see, for the filter. */
export function reportingAgencies(db: Db, scope: Scope): { id: number; name: string }[] {
  return db.all<{ id: number; name: string }>(sql`
    SELECT DISTINCT ag.id, ag.name FROM reported_figures rf JOIN agencies ag ON ag.id = rf.agency_id
    WHERE ${visible(scope)} ORDER BY ag.name`)
}
