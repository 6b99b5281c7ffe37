// Findings and actions as each user may see them (the writes are writes.ts, the scores a finding
// rests on evidence.ts). Agency users are confined in SQL to their own agency's findings once
// issued; everything they cannot see is simply not found.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import {
  actionTiming,
  agencyMaySee,
  type ActionStatus,
  type Actor,
  type FindingStatus,
  type Severity,
  type Timing,
} from '../../../audits/findings.ts'
import { todayIso } from '../../../audits/calendar.ts'
import { agencyRestriction } from '../../access.ts'
import type { Scope } from '../../scope.ts'
import type { EvidenceFigure } from './evidence.ts'
import type { ScoreRound } from '../scores/rounds-queries.ts'

export function actorFor(scope: Scope, findingAgencyId: number | null): Actor {
  return {
    role: scope.role,
    ownAgency: scope.role === 'agency' && scope.agencyId !== null && scope.agencyId === findingAgencyId,
  }
}

const AGENCY_STATUSES = sql.raw(`('issued', 'responded', 'accepted', 'closed')`)

/** The findings (alias f) a user may see, as a SQL condition. */
function visible(scope: Scope): SQL {
  const own = agencyRestriction(scope)
  if (own !== null) return sql`f.agency_id = ${own} AND f.status IN ${AGENCY_STATUSES}`
  if (scope.role === 'admin' || scope.role === 'moderator') return sql`1 = 1`
  // The advocate sees proposals (theirs to make) and every finding once issued, but not drafts.
  if (scope.role === 'advocate') return sql`f.status <> 'draft'`
  if (scope.role === 'viewer') return sql`f.status IN ${AGENCY_STATUSES}`
  return sql`1 = 0`
}

export interface FindingRow {
  id: number
  roundId: number
  roundName: string
  agencyId: number
  agencyName: string
  title: string
  severity: Severity
  status: FindingStatus
  createdAt: string
  updatedAt: string
  actions: number
  openActions: number
}

const rowColumns = sql`f.id, f.round_id AS roundId, r.name AS roundName, f.agency_id AS agencyId,
  a.name AS agencyName, f.title,
  f.severity, f.status, f.created_at AS createdAt, f.updated_at AS updatedAt,
  (SELECT count(*) FROM finding_actions x WHERE x.finding_id = f.id) AS actions,
  (SELECT count(*) FROM finding_actions x WHERE x.finding_id = f.id AND x.status <> 'closed') AS openActions`

export interface ListFilter {
  status?: FindingStatus | null
  roundId?: number | null
}

export function listFindings(db: Db, scope: Scope, filter: ListFilter = {}): FindingRow[] {
  const status = filter.status ? sql`AND f.status = ${filter.status}` : sql``
  const round = filter.roundId ? sql`AND f.round_id = ${filter.roundId}` : sql``
  return db.all<FindingRow>(sql`
    SELECT ${rowColumns} FROM findings f JOIN rounds r ON r.id = f.round_id JOIN agencies a ON a.id = f.agency_id
    WHERE ${visible(scope)} ${status} ${round}
    ORDER BY CASE f.status WHEN 'closed' THEN 1 WHEN 'declined' THEN 1 ELSE 0 END, f.updated_at DESC, f.id DESC`)
}

export interface ActionUpdate {
  id: number
  on: string
  note: string
  statusAfter: ActionStatus
  byName: string | null
  createdAt: string
}

export interface ActionRow {
  id: number
  findingId: number
  findingTitle: string
  findingStatus: FindingStatus
  ownerAgencyId: number
  ownerName: string
  description: string
  dueDate: string
  status: ActionStatus
  createdAt: string
  updatedAt: string
  timing: Timing
}

export interface FindingDetail extends FindingRow {
  roundEdition: ScoreRound['edition']
  roundStatus: string
  roundPeriodTo: string
  itemIds: string[]
  evidence: EvidenceFigure[]
  caseRefs: string[]
  recommendation: string
  declineReason: string | null
  returnReason: string | null
  response: string | null
  respondedAt: string | null
  raisedByName: string | null
}

function parseList<T>(json: string): T[] {
  const v: unknown = JSON.parse(json)
  return Array.isArray(v) ? (v as T[]) : []
}

export function getFinding(db: Db, scope: Scope, id: number): FindingDetail | undefined {
  const row = db.get<
    | (Omit<FindingDetail, 'itemIds' | 'evidence' | 'caseRefs'> & {
        itemIds: string
        evidence: string
        caseRefs: string
      })
    | undefined
  >(sql`
    SELECT ${rowColumns}, r.edition AS roundEdition, r.status AS roundStatus, r.period_to AS roundPeriodTo,
      f.item_ids AS itemIds, f.evidence, f.case_refs AS caseRefs, f.recommendation,
      f.decline_reason AS declineReason, f.return_reason AS returnReason, f.response,
      f.responded_at AS respondedAt, u.display_name AS raisedByName
    FROM findings f JOIN rounds r ON r.id = f.round_id JOIN agencies a ON a.id = f.agency_id
      LEFT JOIN users u ON u.id = f.raised_by
    WHERE f.id = ${id} AND ${visible(scope)}`)
  if (!row) return undefined
  return {
    ...row,
    itemIds: parseList<string>(row.itemIds),
    evidence: parseList<EvidenceFigure>(row.evidence),
    caseRefs: parseList<string>(row.caseRefs),
  }
}

const actionColumns = sql`x.id, x.finding_id AS findingId, f.title AS findingTitle, f.status AS findingStatus,
  x.owner_agency_id AS ownerAgencyId, a.name AS ownerName, x.description, x.due_date AS dueDate, x.status,
  x.created_at AS createdAt, x.updated_at AS updatedAt`

type RawAction = Omit<ActionRow, 'timing'>

function withTiming(today: string) {
  return (r: RawAction): ActionRow => ({ ...r, timing: actionTiming(r.dueDate, r.status, today) })
}

/** Actions (alias x) a user may see: those under a finding they may see, and owned by their agency. */
function visibleActions(scope: Scope): SQL {
  const own = agencyRestriction(scope)
  return own === null ? visible(scope) : sql`${visible(scope)} AND x.owner_agency_id = ${own}`
}

export function actionsOf(db: Db, scope: Scope, findingId: number, today: string): ActionRow[] {
  return db
    .all<RawAction>(sql`
      SELECT ${actionColumns} FROM finding_actions x JOIN findings f ON f.id = x.finding_id JOIN agencies a ON
        a.id = x.owner_agency_id
      WHERE x.finding_id = ${findingId} AND ${visibleActions(scope)} ORDER BY x.due_date, x.id`)
    .map(withTiming(today))
}

export function getAction(
  db: Db,
  scope: Scope,
  id: number,
  today: string,
): (ActionRow & { updates: ActionUpdate[] }) | undefined {
  const row = db.get<RawAction | undefined>(sql`
    SELECT ${actionColumns} FROM finding_actions x JOIN findings f ON f.id = x.finding_id JOIN agencies a ON
      a.id = x.owner_agency_id
    WHERE x.id = ${id} AND ${visibleActions(scope)}`)
  if (!row) return undefined
  const updates = db.all<ActionUpdate>(sql`
    SELECT p.id, p."on", p.note, p.status_after AS statusAfter, u.display_name AS byName, p.created_at AS createdAt
    FROM action_updates p LEFT JOIN users u ON u.id = p.by_user_id WHERE p.action_id = ${id} ORDER BY p."on"
      DESC, p.id DESC`)
  return { ...withTiming(today)(row), updates }
}

/** Every live action the user owns (agency) or oversees (moderator, admin), with its timing. */
export function liveActions(db: Db, scope: Scope, today: string): ActionRow[] {
  if (scope.role !== 'agency' && scope.role !== 'admin' && scope.role !== 'moderator') return []
  return db
    .all<RawAction>(sql`
      SELECT ${actionColumns} FROM finding_actions x JOIN findings f ON f.id = x.finding_id JOIN agencies a ON
        a.id = x.owner_agency_id
      WHERE ${visibleActions(scope)} AND x.status IN ('open', 'in_progress') AND f.status IN ${AGENCY_STATUSES}
      ORDER BY x.due_date, x.id`)
    .map(withTiming(today))
}

export interface FindingCounts {
  /** Agency: findings issued and waiting for their response. Overseers: issued, not yet answered. */
  awaitingResponse: number
  /** Overseers: proposals to decide and responses to accept. */
  toReview: number
  overdue: number
  dueSoon: number
}

export function findingCounts(db: Db, scope: Scope, today: string): FindingCounts {
  const overseer = scope.role === 'admin' || scope.role === 'moderator'
  const byStatus = new Map(
    db
      .all<{ status: string; n: number }>(
        sql`SELECT f.status, count(*) AS n FROM findings f WHERE ${visible(scope)} GROUP BY f.status`,
      )
      .map((r) => [r.status, r.n]),
  )
  const live = liveActions(db, scope, today)
  return {
    awaitingResponse: scope.role === 'agency' || overseer ? (byStatus.get('issued') ?? 0) : 0,
    toReview: overseer ? (byStatus.get('proposed') ?? 0) + (byStatus.get('responded') ?? 0) : 0,
    overdue: live.filter((a) => a.timing.state === 'overdue').length,
    dueSoon: live.filter((a) => a.timing.state === 'due_soon').length,
  }
}

/** The number beside "Findings" in the navigation: what needs this user's attention. */
export function attentionCount(c: FindingCounts, scope: Scope): number {
  if (scope.role === 'agency') return c.awaitingResponse + c.overdue + c.dueSoon
  return c.toReview + c.overdue
}

/** The case references of a round's sample: the cases a finding may point to. */
export function sampledCaseRefs(db: Db, roundId: number): Set<string> {
  const rows = db.all<{ ref: string }>(
    sql`SELECT pc.case_ref AS ref FROM sample_cases sc
        JOIN population_cases pc ON pc.id = sc.population_case_id WHERE sc.round_id = ${roundId}`,
  )
  return new Set(rows.map((r) => r.ref))
}

export function unclosedActions(db: Db, findingId: number): number {
  return (
    db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM finding_actions WHERE finding_id = ${findingId} AND status <> 'closed'`,
    )?.n ?? 0
  )
}

/** For exports: every visible finding with its actions, in list order. */
export function exportRows(db: Db, scope: Scope, today: string) {
  return listFindings(db, scope).map((row) => {
    const detail = getFinding(db, scope, row.id)
    return { finding: detail as FindingDetail, actions: actionsOf(db, scope, row.id, today) }
  })
}

export { agencyMaySee }

/** Numbers for the navigation: only the roles that act on findings have something waiting. */
export function navigationCounts(db: Db, scope: Scope): Record<string, number> {
  if (scope.role !== 'agency' && scope.role !== 'admin' && scope.role !== 'moderator') return {}
  const n = attentionCount(findingCounts(db, scope, todayIso()), scope)
  return n > 0 ? { '/findings': n } : {}
}

/** A round's findings as its printed report shows them: issued or later, with their actions. */
export function reportFindings(
  db: Db,
  scope: Scope,
  roundId: number,
  today: string,
): { finding: FindingDetail; actions: ActionRow[] }[] {
  return listFindings(db, scope, { roundId })
    .filter((f) => agencyMaySee(f.status))
    .flatMap((row) => {
      const finding = getFinding(db, scope, row.id)
      return finding ? [{ finding, actions: actionsOf(db, scope, row.id, today) }] : []
    })
}

/** Findings not yet closed (issued, responded or accepted), newest first: the summary's block. */
export function openFindings(db: Db, scope: Scope): FindingRow[] {
  return listFindings(db, scope).filter(
    (f) => f.status === 'issued' || f.status === 'responded' || f.status === 'accepted',
  )
}
