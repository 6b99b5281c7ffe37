// The Victims' Advocate's home page: recent observations, proposals still waiting for a
// moderator, what others changed since the advocate last signed in (read from the audit log,
// which records every change with who made it and when), and the commissioned services' scores.
import { and, desc, eq, gt, isNull, ne, or, sql } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import { agencies, auditLog, findings, rounds, users } from '../../../schema/index.ts'
import type { FindingStatus } from '../../../audits/findings.ts'
import { listFindings, type FindingRow } from '../findings/finding-queries.ts'
import type { Scope } from '../../scope.ts'
import { countObservations, listObservations, type ObservationRow } from './observations.ts'
import { commissionedServiceScores, type ServiceScore } from '../scores/commissioned-scores.ts'

/** A point in the audit log: its entry's id and time. */
export interface LogPoint {
  id: number
  at: string
}

/** When this user signed in before the present session, or null on a first sign-in. */
export function previousSignIn(db: Db, userId: number): LogPoint | null {
  return (
    db
      .select({ id: auditLog.id, at: auditLog.at })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'sign_in'), eq(auditLog.actorId, userId)))
      .orderBy(desc(auditLog.id))
      .limit(1)
      .offset(1)
      .get() ?? null
  )
}

/** A finding moved on (to `status`; 'raised' for a new draft) or a round published. */
export type Change = {
  at: string
  /** Where to read more, when this user may open it (a proposal accepted as a draft is not theirs to read). */
  href: string | null
} & (
  | { kind: 'finding'; title: string; agencyName: string; status: FindingStatus | 'raised'; by: string | null }
  | { kind: 'round'; name: string }
)

const CHANGE_LIMIT = 20

/**
 * What others did after the log entry `since` (read by id, a range of the log's primary key, so
 * the page does not scan the whole log): moves of findings the advocate may read (a proposal accepted or
 * declined, a finding issued, answered or closed), and rounds published. Newest first.
 */
export function changesSince(db: Db, scope: Scope, since: LogPoint): Change[] {
  const readable = new Map(listFindings(db, scope).map((f) => [f.id, f]))
  const entityId = sql`CAST(${auditLog.entityId} AS INTEGER)`
  const findingMoves = db
    .select({
      at: auditLog.at,
      action: auditLog.action,
      id: findings.id,
      by: users.displayName,
      title: findings.title,
      agencyName: agencies.name,
      mine: sql<number>`${findings.raisedBy} = ${scope.userId}`,
    })
    .from(auditLog)
    .innerJoin(findings, eq(findings.id, entityId))
    .innerJoin(agencies, eq(agencies.id, findings.agencyId))
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        gt(auditLog.id, since.id),
        eq(auditLog.entity, 'finding'),
        sql`${auditLog.action} LIKE 'finding\\_%' ESCAPE '\\'`,
        or(isNull(auditLog.actorId), ne(auditLog.actorId, scope.userId)),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(200)
    .all()
  const published = db
    .select({ at: auditLog.at, id: rounds.id, name: rounds.name })
    .from(auditLog)
    .innerJoin(rounds, eq(rounds.id, entityId))
    .where(
      and(
        gt(auditLog.id, since.id),
        eq(auditLog.action, 'round_status_changed'),
        sql`json_extract(${auditLog.after}, '$.status') = 'published'`,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(CHANGE_LIMIT)
    .all()
  const changes: Change[] = []
  for (const m of findingMoves) {
    // The advocate hears of moves on their own proposals, and on findings they may read now.
    const readableNow = readable.has(m.id)
    if (!readableNow && !m.mine) continue
    changes.push({
      kind: 'finding',
      at: m.at,
      title: m.title,
      agencyName: m.agencyName,
      status: m.action.slice('finding_'.length) as FindingStatus | 'raised',
      by: m.by,
      href: readableNow ? `/findings/${m.id}` : null,
    })
  }
  for (const r of published) changes.push({ kind: 'round', at: r.at, name: r.name, href: `/scores/rounds/${r.id}` })
  return changes.sort((a, b) => b.at.localeCompare(a.at)).slice(0, CHANGE_LIMIT)
}

/** Findings this advocate proposed that no moderator has accepted or declined yet. */
function ownProposals(db: Db, scope: Scope): FindingRow[] {
  const mine = new Set(
    db
      .select({ id: findings.id })
      .from(findings)
      .where(and(eq(findings.raisedBy, scope.userId), eq(findings.status, 'proposed')))
      .all()
      .map((r) => r.id),
  )
  return listFindings(db, scope, { status: 'proposed' }).filter((f) => mine.has(f.id))
}

export interface AdvocateHome {
  recent: ObservationRow[]
  unshared: number
  proposals: FindingRow[]
  since: LogPoint | null
  changes: Change[]
  /** Each commissioned service's latest published dip-sample score, with its interval. */
  commissioned: ServiceScore[]
}

export function advocateHome(db: Db, scope: Scope): AdvocateHome {
  const since = previousSignIn(db, scope.userId)
  return {
    recent: listObservations(db, scope, { authorId: scope.userId, limit: 5 }),
    unshared: countObservations(db, scope, { authorId: scope.userId, unshared: true }),
    proposals: ownProposals(db, scope),
    since,
    changes: since === null ? [] : changesSince(db, scope, since),
    commissioned: commissionedServiceScores(db, scope),
  }
}
