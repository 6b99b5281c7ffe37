// Moving a round on: the guards checked again and the change written with its audit entry in one
// transaction (used by the round pages and by the demo seeds).
import { eq, sql } from 'drizzle-orm'
import { rounds, sampleCases } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { transitionProblems, type RoundFacts, type RoundStage } from '../../../audits/round-lifecycle.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import { getRound, populationSummary, sampleSummary } from './queries.ts'
import { outstanding } from '../moderation/queries.ts'
import { publishProblems } from '../moderation/gate.ts'
import { selectRound } from '../moderation/writes.ts'

export function roundFacts(db: Queryable, roundId: number): RoundFacts {
  const sample = sampleSummary(db, roundId)
  return {
    populationCases: populationSummary(db, roundId).cases,
    sampleDrawn: sample.draw !== null,
    activeCases: sample.active,
    unallocatedCases: sample.unallocated,
  }
}

export function moveRound(
  db: Db,
  scope: Scope,
  roundId: number,
  to: RoundStage,
): { ok: true } | { ok: false; problems: string[] } {
  return db.transaction(
    (tx) => {
      const round = getRound(tx, roundId)
      if (!round) return { ok: false as const, problems: ['The round no longer exists'] }
      const problems = transitionProblems(round.status, to, roundFacts(tx, roundId))
      if (problems.length === 0 && to === 'published') problems.push(...publishProblems(outstanding(tx, roundId)))
      if (problems.length > 0) return { ok: false as const, problems }
      const now = new Date().toISOString()
      tx.update(rounds).set({ status: to }).where(eq(rounds.id, roundId)).run()
      recordAudit(
        db,
        {
          actor: actorOf(scope),
          action: 'round_status_changed',
          entity: 'round',
          entityId: roundId,
          before: { status: round.status },
          after: { status: to },
        },
        now,
      )
      if (to === 'moderation') selectRound(db, tx, scope, roundId, round.moderationShare, now)
      return { ok: true as const }
    },
    { behavior: 'immediate' },
  )
}

/** Sampled cases not yet complete (not started, under way or returned). */
export function openCaseCount(db: Queryable, roundId: number): number {
  const open = db
    .select({ n: sql<number>`count(*)` })
    .from(sampleCases)
    .where(
      sql`${sampleCases.roundId} = ${roundId} and ${sampleCases.status} in ('not_started', 'in_progress', 'returned')`,
    )
    .get()
  return open?.n ?? 0
}
