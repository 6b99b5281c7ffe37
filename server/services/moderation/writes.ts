// Changes made in moderation, each in one transaction with its audit-log entry.
import { and, eq, sql } from 'drizzle-orm'
import { answers, moderationCases, sampleCases, sampleDraws } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import type { Outcome } from '../../../schema/index.ts'
import { selectForModeration } from '../../../audits/moderation-selection.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import type { CaseRecord } from '../review/case-record.ts'
import { selectionCandidates } from './queries.ts'

/** The seed of a round's moderation selection: derived from its sample draw's, so it is on record. */
export function selectionSeed(db: Queryable, roundId: number): string {
  const draw = db.select({ seed: sampleDraws.seed }).from(sampleDraws).where(eq(sampleDraws.roundId, roundId)).get()
  return `${draw?.seed ?? `round-${roundId}`}/moderation`
}

/**
 * Chooses the round's cases for second marking as it moves to moderation. Runs inside the
 * caller's transaction (`db` and `tx` share one connection), and only once: a round that already
 * has a selection keeps it.
 */
export function selectRound(db: Db, tx: Queryable, scope: Scope, roundId: number, share: number, now: string): number {
  const existing = tx
    .select({ n: sql<number>`count(*)` })
    .from(moderationCases)
    .where(eq(moderationCases.roundId, roundId))
    .get()
  if ((existing?.n ?? 0) > 0) return 0
  const candidates = selectionCandidates(tx, roundId)
  const seed = selectionSeed(tx, roundId)
  const chosen = selectForModeration(candidates, share, seed)
  const idOf = new Map(candidates.map((c) => [c.ref, c.id]))
  for (const c of chosen) {
    tx.insert(moderationCases)
      .values({ roundId, sampleCaseId: idOf.get(c.ref) as number, reason: c.reason, selectedAt: now })
      .run()
  }
  recordAudit(
    db,
    {
      actor: actorOf(scope),
      action: 'moderation_selected',
      entity: 'round',
      entityId: roundId,
      after: { seed, share, cases: chosen },
    },
    now,
  )
  return chosen.length
}

export function addCase(
  db: Db,
  scope: Scope,
  roundId: number,
  sampleCaseId: number,
  note: string,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    db.insert(moderationCases).values({ roundId, sampleCaseId, reason: 'added', note, selectedAt: now }).run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'moderation_case_added',
        entity: 'sample_case',
        entityId: sampleCaseId,
        after: { round: roundId, reason: note },
      },
      now,
    )
  })
}

/** Takes a case out of moderation with the moderator's reason; its second answers go with it. */
export function removeCase(
  db: Db,
  scope: Scope,
  sampleCaseId: number,
  note: string,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    const row = db.select().from(moderationCases).where(eq(moderationCases.sampleCaseId, sampleCaseId)).get()
    if (!row) return
    db.delete(answers)
      .where(and(eq(answers.sampleCaseId, sampleCaseId), eq(answers.marker, 'second')))
      .run()
    db.delete(moderationCases).where(eq(moderationCases.id, row.id)).run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'moderation_case_removed',
        entity: 'sample_case',
        entityId: sampleCaseId,
        before: row,
        after: { reason: note },
      },
      now,
    )
  })
}

export function allocateSecondMarker(
  db: Db,
  scope: Scope,
  sampleCaseId: number,
  userId: number,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    const row = db.select().from(moderationCases).where(eq(moderationCases.sampleCaseId, sampleCaseId)).get()
    if (!row) return
    db.update(moderationCases).set({ secondMarkerId: userId }).where(eq(moderationCases.id, row.id)).run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'second_marker_allocated',
        entity: 'sample_case',
        entityId: sampleCaseId,
        before: { secondMarker: row.secondMarkerId },
        after: { secondMarker: userId },
      },
      now,
    )
  })
}

export function completeSecondMarking(
  db: Db,
  scope: Scope,
  rec: CaseRecord,
  facts: { factsAgree: boolean; factsNote: string | null },
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    db.update(moderationCases)
      .set({ secondCompletedAt: now, factsAgree: facts.factsAgree, factsNote: facts.factsNote })
      .where(and(eq(moderationCases.sampleCaseId, rec.id), eq(moderationCases.secondMarkerId, scope.userId)))
      .run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'second_marking_completed',
        entity: 'sample_case',
        entityId: rec.id,
        after: { completedAt: now, ...facts },
      },
      now,
    )
  })
}

/**
 * The moderator's final outcome for one obligation: an answer with marker 'moderator', which the
 * score roll-ups count instead of the auditor's, with the reason as its note. The first answer's
 * dates and agency are kept, since the disagreement was about the outcome.
 */
export function resolveObligation(
  db: Db,
  scope: Scope,
  sampleCaseId: number,
  key: string,
  outcome: Outcome,
  reason: string,
  now = new Date().toISOString(),
): boolean {
  return db.transaction(() => {
    const first = db
      .select()
      .from(answers)
      .where(and(eq(answers.sampleCaseId, sampleCaseId), eq(answers.marker, 'primary'), eq(answers.obligationKey, key)))
      .get()
    if (!first) return false
    const existing = db
      .select()
      .from(answers)
      .where(
        and(eq(answers.sampleCaseId, sampleCaseId), eq(answers.marker, 'moderator'), eq(answers.obligationKey, key)),
      )
      .get()
    const fields = { outcome, note: reason, updatedBy: scope.userId, updatedAt: now }
    const row = existing
      ? db
          .update(answers)
          .set({ ...fields, version: existing.version + 1 })
          .where(eq(answers.id, existing.id))
          .returning()
          .get()
      : db
          .insert(answers)
          .values({
            ...fields,
            sampleCaseId,
            marker: 'moderator',
            obligationKey: key,
            itemId: first.itemId,
            agencyId: first.agencyId,
            evidenceDate: first.evidenceDate,
            dueDate: first.dueDate,
            daysLate: first.daysLate,
            timelinessOverride: first.timelinessOverride,
            overrideReason: first.overrideReason,
          })
          .returning()
          .get()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'disagreement_resolved',
        entity: 'answer',
        entityId: row.id,
        before: existing ? { outcome: existing.outcome, note: existing.note } : null,
        after: { case: sampleCaseId, key, outcome, reason },
      },
      now,
    )
    return true
  })
}

export function resolveFacts(
  db: Db,
  scope: Scope,
  sampleCaseId: number,
  resolution: string,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    db.update(moderationCases)
      .set({ factsResolution: resolution, factsResolvedBy: scope.userId, factsResolvedAt: now })
      .where(eq(moderationCases.sampleCaseId, sampleCaseId))
      .run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'facts_disagreement_resolved',
        entity: 'sample_case',
        entityId: sampleCaseId,
        after: { resolution },
      },
      now,
    )
  })
}

/** The auditor's "unsure" flag: such cases are always second-marked. */
export function setUnsure(
  db: Db,
  scope: Scope,
  rec: CaseRecord,
  unsure: boolean,
  reason: string | null,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    db.update(sampleCases)
      .set({ unsure, unsureReason: unsure ? reason : null, updatedAt: now })
      .where(eq(sampleCases.id, rec.id))
      .run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'case_unsure_flag',
        entity: 'sample_case',
        entityId: rec.id,
        before: { unsure: rec.unsure, reason: rec.unsureReason },
        after: { unsure, reason },
      },
      now,
    )
  })
}
