// A finding's actions and their updates, as each user may see them, with their timing against today.
import { and, asc, desc, eq, ne, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import { actionUpdates, agencies, findingActions, findings, users } from '../../../schema/index.ts'
import { actionTiming, type ActionStatus, type FindingStatus, type Timing } from '../../../audits/findings.ts'
import type { Scope } from '../../scope.ts'
import { visibleActions } from './visibility.ts'

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

export function withTiming(today: string) {
  return (r: RawAction): ActionRow => ({ ...r, timing: actionTiming(r.dueDate, r.status, today) })
}

/** Actions with their finding and owning agency, under a condition, by due date. */
export function actionsWhere(db: Db, where: SQL | undefined) {
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

export function unclosedActions(db: Db, findingId: number): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(findingActions)
    .where(and(eq(findingActions.findingId, findingId), ne(findingActions.status, 'closed')))
    .get()
  return row?.n ?? 0
}
