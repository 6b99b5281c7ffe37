// The Victims' Advocate's home page: recent observations, proposals still waiting for a
// moderator, what others changed since the advocate last signed in (read from the audit log,
// which records every change with who made it and when), and the commissioned services' scores.
import { sql } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import type { FindingStatus } from '../../../audits/findings.ts'
import { listFindings, type FindingRow } from '../findings/queries.ts'
import type { Scope } from '../../scope.ts'
import { listObservations, type ObservationRow } from './observations.ts'
import { commissionedServiceScores, type ServiceScore } from '../scores/commissioned-scores.ts'

/** A point in the audit log: its entry's id and time. */
export interface LogPoint {
  id: number
  at: string
}

/** When this user signed in before the present session, or null on a first sign-in. */
export function previousSignIn(db: Db, userId: number): LogPoint | null {
  return (
    db.get<LogPoint | undefined>(sql`SELECT id, at FROM audit_log WHERE action = 'sign_in' AND actor_id = ${userId}
      ORDER BY id DESC LIMIT 1 OFFSET 1`) ?? null
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
  const findingMoves = db.all<{
    at: string
    action: string
    id: number
    by: string | null
    title: string
    agencyName: string
    mine: number
  }>(sql`
    SELECT l.at, l.action, f.id, u.display_name AS by, f.title, a.name AS agencyName,
      f.raised_by = ${scope.userId} AS mine
    FROM audit_log l JOIN findings f ON f.id = CAST(l.entity_id AS INTEGER) JOIN agencies a ON a.id = f.agency_id
      LEFT JOIN users u ON u.id = l.actor_id
    WHERE l.id > ${since.id} AND l.entity = 'finding' AND l.action LIKE 'finding\\_%' ESCAPE '\\'
      AND (l.actor_id IS NULL OR l.actor_id <> ${scope.userId})
    ORDER BY l.id DESC LIMIT 200`)
  const published = db.all<{ at: string; id: number; name: string }>(sql`
    SELECT l.at, r.id, r.name FROM audit_log l JOIN rounds r ON r.id = CAST(l.entity_id AS INTEGER)
    WHERE l.id > ${since.id} AND l.action = 'round_status_changed'
      AND json_extract(l.after, '$.status') = 'published'
    ORDER BY l.id DESC LIMIT ${CHANGE_LIMIT}`)
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
      .all<{ id: number }>(sql`SELECT id FROM findings WHERE raised_by = ${scope.userId} AND status = 'proposed'`)
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
    unshared: listObservations(db, scope, { authorId: scope.userId, unshared: true }).length,
    proposals: ownProposals(db, scope),
    since,
    changes: since === null ? [] : changesSince(db, scope, since),
    commissioned: commissionedServiceScores(db, scope),
  }
}
