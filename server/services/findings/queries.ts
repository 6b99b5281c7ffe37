// Findings and actions as each user may see them (the writes are writes.ts, the scores a finding
// rests on evidence.ts). Agency users are confined in SQL to their own agency's findings once
// issued; everything they cannot see is simply not found.
import { and, asc, desc, eq, inArray, ne, sql, type Placeholder, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import {
  actionUpdates,
  agencies,
  findingActions,
  findings,
  populationCases,
  rounds,
  sampleCases,
  users,
  type Role,
} from '../../../schema/index.ts'
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
import { perConnection } from '../../cache.ts'
import type { Scope } from '../../scope.ts'
import type { EvidenceFigure } from './evidence.ts'
import type { ScoreRound } from '../scores/rounds-queries.ts'

export function actorFor(scope: Scope, findingAgencyId: number | null): Actor {
  return {
    role: scope.role,
    ownAgency: scope.role === 'agency' && scope.agencyId !== null && scope.agencyId === findingAgencyId,
  }
}

const AGENCY_STATUSES: FindingStatus[] = ['issued', 'responded', 'accepted', 'closed']

/**
 * The findings a role may see, as a condition for a query's where (undefined: all of them). `own` is
 * the agency an agency user is confined to: a number, or a placeholder in a prepared statement.
 */
function visibleTo(role: Role, own: number | Placeholder | null): SQL | undefined {
  if (own !== null) return and(eq(findings.agencyId, own), inArray(findings.status, AGENCY_STATUSES))
  if (role === 'admin' || role === 'moderator') return undefined
  // The advocate sees proposals (theirs to make) and every finding once issued, but not drafts.
  if (role === 'advocate') return ne(findings.status, 'draft')
  if (role === 'viewer') return inArray(findings.status, AGENCY_STATUSES)
  return sql`0`
}

function visible(scope: Scope): SQL | undefined {
  return visibleTo(scope.role, agencyRestriction(scope))
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

const rowColumns = {
  id: findings.id,
  roundId: findings.roundId,
  roundName: rounds.name,
  agencyId: findings.agencyId,
  agencyName: agencies.name,
  title: findings.title,
  severity: findings.severity,
  status: findings.status,
  createdAt: findings.createdAt,
  updatedAt: findings.updatedAt,
  actions: sql<number>`(SELECT count(*) FROM finding_actions x WHERE x.finding_id = ${findings.id})`,
  openActions: sql<number>`(SELECT count(*) FROM finding_actions x WHERE x.finding_id = ${findings.id}
    AND x.status <> 'closed')`,
}

/** Findings with their round and agency: what every finding query reads from. */
function findingsFrom(db: Db, columns: typeof rowColumns) {
  return db
    .select(columns)
    .from(findings)
    .innerJoin(rounds, eq(rounds.id, findings.roundId))
    .innerJoin(agencies, eq(agencies.id, findings.agencyId))
}

export interface ListFilter {
  status?: FindingStatus | null
  roundId?: number | null
}

export function listFindings(db: Db, scope: Scope, filter: ListFilter = {}): FindingRow[] {
  return findingsFrom(db, rowColumns)
    .where(
      and(
        visible(scope),
        filter.status ? eq(findings.status, filter.status) : undefined,
        filter.roundId ? eq(findings.roundId, filter.roundId) : undefined,
      ),
    )
    .orderBy(
      sql`CASE ${findings.status} WHEN 'closed' THEN 1 WHEN 'declined' THEN 1 ELSE 0 END`,
      desc(findings.updatedAt),
      desc(findings.id),
    )
    .all()
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
  const row = db
    .select({
      ...rowColumns,
      roundEdition: rounds.edition,
      roundStatus: rounds.status,
      roundPeriodTo: rounds.periodTo,
      itemIds: findings.itemIds,
      evidence: findings.evidence,
      caseRefs: findings.caseRefs,
      recommendation: findings.recommendation,
      declineReason: findings.declineReason,
      returnReason: findings.returnReason,
      response: findings.response,
      respondedAt: findings.respondedAt,
      raisedByName: users.displayName,
    })
    .from(findings)
    .innerJoin(rounds, eq(rounds.id, findings.roundId))
    .innerJoin(agencies, eq(agencies.id, findings.agencyId))
    .leftJoin(users, eq(users.id, findings.raisedBy))
    .where(and(eq(findings.id, id), visible(scope)))
    .get()
  if (!row) return undefined
  return {
    ...row,
    itemIds: parseList<string>(row.itemIds),
    evidence: parseList<EvidenceFigure>(row.evidence),
    caseRefs: parseList<string>(row.caseRefs),
  }
}

const actionColumns = {
  id: findingActions.id,
  findingId: findingActions.findingId,
  findingTitle: findings.title,
  findingStatus: findings.status,
  ownerAgencyId: findingActions.ownerAgencyId,
  ownerName: agencies.name,
  description: findingActions.description,
  dueDate: findingActions.dueDate,
  status: findingActions.status,
  createdAt: findingActions.createdAt,
  updatedAt: findingActions.updatedAt,
}

type RawAction = Omit<ActionRow, 'timing'>

function withTiming(today: string) {
  return (r: RawAction): ActionRow => ({ ...r, timing: actionTiming(r.dueDate, r.status, today) })
}

/** Actions a role may see: those under a finding it may see, and owned by its agency (see visibleTo). */
function visibleActionsTo(role: Role, own: number | Placeholder | null): SQL | undefined {
  return own === null ? visibleTo(role, null) : and(visibleTo(role, own), eq(findingActions.ownerAgencyId, own))
}

function visibleActions(scope: Scope): SQL | undefined {
  return visibleActionsTo(scope.role, agencyRestriction(scope))
}

/** Actions with their finding and owning agency, under a condition, by due date. */
function actionsWhere(db: Db, where: SQL | undefined) {
  return db
    .select(actionColumns)
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .innerJoin(agencies, eq(agencies.id, findingActions.ownerAgencyId))
    .where(where)
    .orderBy(asc(findingActions.dueDate), asc(findingActions.id))
}

function selectActions(db: Db, where: SQL | undefined): RawAction[] {
  return actionsWhere(db, where).all()
}

/**
 * The counts behind the navigation's number, prepared once per connection for an agency user (their
 * agency a placeholder) and for an overseer: they run on every page those users open.
 */
const attentionStatements = perConnection((db) => {
  const forRole = (role: Role, own: Placeholder | null) => ({
    byStatus: db
      .select({ status: findings.status, n: sql<number>`count(*)` })
      .from(findings)
      .where(visibleTo(role, own))
      .groupBy(findings.status)
      .prepare(),
    live: actionsWhere(
      db,
      and(
        visibleActionsTo(role, own),
        inArray(findingActions.status, ['open', 'in_progress']),
        inArray(findings.status, AGENCY_STATUSES),
      ),
    ).prepare(),
  })
  return { agency: forRole('agency', sql.placeholder('own')), overseer: forRole('admin', null) }
})

/** The prepared counts for this user, if they are one who acts on findings (agency, moderator, admin). */
function attentionFor(db: Db, scope: Scope) {
  if (scope.role === 'agency') return attentionStatements(db).agency
  return scope.role === 'admin' || scope.role === 'moderator' ? attentionStatements(db).overseer : null
}

export function actionsOf(db: Db, scope: Scope, findingId: number, today: string): ActionRow[] {
  return selectActions(db, and(eq(findingActions.findingId, findingId), visibleActions(scope))).map(withTiming(today))
}

export function getAction(
  db: Db,
  scope: Scope,
  id: number,
  today: string,
): (ActionRow & { updates: ActionUpdate[] }) | undefined {
  const [row] = selectActions(db, and(eq(findingActions.id, id), visibleActions(scope)))
  if (!row) return undefined
  const updates = db
    .select({
      id: actionUpdates.id,
      on: actionUpdates.on,
      note: actionUpdates.note,
      statusAfter: actionUpdates.statusAfter,
      byName: users.displayName,
      createdAt: actionUpdates.createdAt,
    })
    .from(actionUpdates)
    .leftJoin(users, eq(users.id, actionUpdates.byUserId))
    .where(eq(actionUpdates.actionId, id))
    .orderBy(desc(actionUpdates.on), desc(actionUpdates.id))
    .all()
  return { ...withTiming(today)(row), updates }
}

/** Every live action the user owns (agency) or oversees (moderator, admin), with its timing. */
export function liveActions(db: Db, scope: Scope, today: string): ActionRow[] {
  const statements = attentionFor(db, scope)
  if (!statements) return []
  return statements.live.all({ own: agencyRestriction(scope) }).map(withTiming(today))
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
  const statements = attentionFor(db, scope)
  // Only the roles that act on findings have any of these counts.
  const byStatus = new Map(statements?.byStatus.all({ own: agencyRestriction(scope) }).map((r) => [r.status, r.n]))
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
  const rows = db
    .select({ ref: populationCases.caseRef })
    .from(sampleCases)
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .where(eq(sampleCases.roundId, roundId))
    .all()
  return new Set(rows.map((r) => r.ref))
}

export function unclosedActions(db: Db, findingId: number): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(findingActions)
    .where(and(eq(findingActions.findingId, findingId), ne(findingActions.status, 'closed')))
    .get()
  return row?.n ?? 0
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
