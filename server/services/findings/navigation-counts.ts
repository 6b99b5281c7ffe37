// What needs a user's attention among findings and actions: the number beside "Findings" in the
// navigation (every page) and the home page's counts and live actions.
import { and, inArray, sql, type Placeholder } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import { findingActions, findings, type Role } from '../../../schema/index.ts'
import { todayIso } from '../../../audits/calendar.ts'
import { agencyRestriction } from '../../access.ts'
import { perConnection } from '../../cache.ts'
import type { Scope } from '../../scope.ts'
import { AGENCY_STATUSES, visibleActionsTo, visibleTo } from './visibility.ts'
import { actionsWhere, withTiming, type ActionRow } from './action-queries.ts'

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

/** Numbers for the navigation: only the roles that act on findings have something waiting. */
export function navigationCounts(db: Db, scope: Scope): Record<string, number> {
  if (scope.role !== 'agency' && scope.role !== 'admin' && scope.role !== 'moderator') return {}
  const n = attentionCount(findingCounts(db, scope, todayIso()), scope)
  return n > 0 ? { '/findings': n } : {}
}
