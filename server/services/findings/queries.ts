// Findings and actions as each user may see them, and the writes that change them (each in one
// transaction with its audit-log entry, before and after). Agency users are confined in SQL to
// their own agency's findings once issued; everything they cannot see is simply not found.
import { sql, type SQL } from 'drizzle-orm'
import { actionUpdates, findingActions, findings } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import {
  actionTiming,
  agencyMaySee,
  carryForward,
  type ActionStatus,
  type Actor,
  type CarryForward,
  type FindingStatus,
  type Severity,
  type Timing,
} from '../../../audits/findings.ts'
import { todayIso } from '../../../audits/calendar.ts'
import { getItem } from '../../../audits/frameworks/index.ts'
import { itemsForEdition } from '../../../audits/scoring.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import { agencyRestriction } from '../../access.ts'
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

const rowColumns = sql`f.id, f.round_id AS roundId, r.name AS roundName, f.agency_id AS agencyId, a.name AS agencyName, f.title,
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
    | (FindingRow & {
        roundEdition: ScoreRound['edition']
        roundStatus: string
        roundPeriodTo: string
        itemIds: string
        evidence: string
        caseRefs: string
        recommendation: string
        declineReason: string | null
        returnReason: string | null
        response: string | null
        respondedAt: string | null
        raisedByName: string | null
      })
    | undefined
  >(sql`
    SELECT ${rowColumns}, r.edition AS roundEdition, r.status AS roundStatus, r.period_to AS roundPeriodTo, f.item_ids AS itemIds, f.evidence,
      f.case_refs AS caseRefs, f.recommendation, f.decline_reason AS declineReason, f.return_reason AS returnReason, f.response, f.responded_at AS respondedAt, u.display_name AS raisedByName
    FROM findings f JOIN rounds r ON r.id = f.round_id JOIN agencies a ON a.id = f.agency_id LEFT JOIN users u ON u.id = f.raised_by
    WHERE f.id = ${id} AND ${visible(scope)}`)
  if (!row) return undefined
  return {
    ...row,
    itemIds: parseList<string>(row.itemIds),
    evidence: parseList<EvidenceFigure>(row.evidence),
    caseRefs: parseList<string>(row.caseRefs),
  }
}

const actionColumns = sql`x.id, x.finding_id AS findingId, f.title AS findingTitle, f.status AS findingStatus, x.owner_agency_id AS ownerAgencyId,
  a.name AS ownerName, x.description, x.due_date AS dueDate, x.status, x.created_at AS createdAt, x.updated_at AS updatedAt`

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
      SELECT ${actionColumns} FROM finding_actions x JOIN findings f ON f.id = x.finding_id JOIN agencies a ON a.id = x.owner_agency_id
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
    SELECT ${actionColumns} FROM finding_actions x JOIN findings f ON f.id = x.finding_id JOIN agencies a ON a.id = x.owner_agency_id
    WHERE x.id = ${id} AND ${visibleActions(scope)}`)
  if (!row) return undefined
  const updates = db.all<ActionUpdate>(sql`
    SELECT p.id, p."on", p.note, p.status_after AS statusAfter, u.display_name AS byName, p.created_at AS createdAt
    FROM action_updates p LEFT JOIN users u ON u.id = p.by_user_id WHERE p.action_id = ${id} ORDER BY p."on" DESC, p.id DESC`)
  return { ...withTiming(today)(row), updates }
}

/** Every live action the user owns (agency) or oversees (moderator, admin), with its timing. */
export function liveActions(db: Db, scope: Scope, today: string): ActionRow[] {
  if (scope.role !== 'agency' && scope.role !== 'admin' && scope.role !== 'moderator') return []
  return db
    .all<RawAction>(sql`
      SELECT ${actionColumns} FROM finding_actions x JOIN findings f ON f.id = x.finding_id JOIN agencies a ON a.id = x.owner_agency_id
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

// ---------------------------------------------------------------------------------------------
// Evidence and carry-forward

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
export function carryForwardFor(db: Db, scope: Scope, f: FindingDetail): CarryRow[] {
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

// ---------------------------------------------------------------------------------------------
// Writes

export interface NewFinding {
  round: ScoreRound
  agencyId: number
  title: string
  itemIds: string[]
  caseRefs: string[]
  severity: Severity
  recommendation: string
  status: 'draft' | 'proposed'
}

type FindingRecord = typeof findings.$inferSelect

function findingRecord(db: Db, id: number): FindingRecord {
  const row = db.select().from(findings).where(sql`${findings.id} = ${id}`).get()
  if (!row) throw new Error(`finding ${id} vanished inside its transaction`)
  return row
}

export function createFinding(db: Db, scope: Scope, input: NewFinding, now = new Date().toISOString()): number {
  return db.transaction(() => {
    const evidence = evidenceFor(db, input.round, input.agencyId, input.itemIds)
    const row = db
      .insert(findings)
      .values({
        roundId: input.round.id,
        agencyId: input.agencyId,
        title: input.title,
        itemIds: JSON.stringify(input.itemIds),
        evidence: JSON.stringify(evidence),
        caseRefs: JSON.stringify(input.caseRefs),
        severity: input.severity,
        recommendation: input.recommendation,
        status: input.status,
        raisedBy: scope.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: input.status === 'proposed' ? 'finding_proposed' : 'finding_raised',
        entity: 'finding',
        entityId: row.id,
        after: row,
      },
      now,
    )
    return row.id
  })
}

/** Moves a finding, with the reason or response the move carries; the caller has checked the rules. */
export function moveFinding(
  db: Db,
  scope: Scope,
  id: number,
  to: FindingStatus,
  text: string | null,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    const before = findingRecord(db, id)
    const changes: Partial<FindingRecord> = { status: to, updatedAt: now }
    if (to === 'declined') changes.declineReason = text
    if (to === 'responded') Object.assign(changes, { response: text, respondedAt: now, returnReason: null })
    if (to === 'issued' && text) changes.returnReason = text
    db.update(findings).set(changes).where(sql`${findings.id} = ${id}`).run()
    const after = findingRecord(db, id)
    recordAudit(
      db,
      { actor: actorOf(scope), action: `finding_${to}`, entity: 'finding', entityId: id, before, after },
      now,
    )
  })
}

type ActionRecord = typeof findingActions.$inferSelect

function actionRecord(db: Db, id: number): ActionRecord {
  const row = db.select().from(findingActions).where(sql`${findingActions.id} = ${id}`).get()
  if (!row) throw new Error(`action ${id} vanished inside its transaction`)
  return row
}

export function addAction(
  db: Db,
  scope: Scope,
  finding: { id: number; agencyId: number },
  input: { description: string; dueDate: string },
  now = new Date().toISOString(),
): number {
  return db.transaction(() => {
    const row = db
      .insert(findingActions)
      .values({
        findingId: finding.id,
        ownerAgencyId: finding.agencyId,
        description: input.description,
        dueDate: input.dueDate,
        status: 'open',
        createdBy: scope.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get()
    recordAudit(
      db,
      { actor: actorOf(scope), action: 'action_added', entity: 'finding_action', entityId: row.id, after: row },
      now,
    )
    return row.id
  })
}

export function recordProgress(
  db: Db,
  scope: Scope,
  actionId: number,
  input: { on: string; note: string; status: ActionStatus },
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    const before = actionRecord(db, actionId)
    const update = db
      .insert(actionUpdates)
      .values({
        actionId,
        on: input.on,
        note: input.note,
        statusAfter: input.status,
        byUserId: scope.userId,
        createdAt: now,
      })
      .returning()
      .get()
    db.update(findingActions)
      .set({ status: input.status, updatedAt: now })
      .where(sql`${findingActions.id} = ${actionId}`)
      .run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'action_progress',
        entity: 'finding_action',
        entityId: actionId,
        before,
        after: { ...actionRecord(db, actionId), update },
      },
      now,
    )
  })
}

export function closeAction(db: Db, scope: Scope, actionId: number, now = new Date().toISOString()): void {
  db.transaction(() => {
    const before = actionRecord(db, actionId)
    db.update(findingActions)
      .set({ status: 'closed', updatedAt: now })
      .where(sql`${findingActions.id} = ${actionId}`)
      .run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'action_closed',
        entity: 'finding_action',
        entityId: actionId,
        before,
        after: actionRecord(db, actionId),
      },
      now,
    )
  })
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
