// Local agreements that change one item's time limit for one round, with the reason reports show
// (the form that records them is routes/rounds/override-form.ts).
import { and, asc, eq } from 'drizzle-orm'
import { timeLimitOverrides } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { getItem } from '../../../audits/frameworks/index.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'

export type Override = typeof timeLimitOverrides.$inferSelect

export function listOverrides(db: Queryable, roundId: number) {
  return db
    .select()
    .from(timeLimitOverrides)
    .where(eq(timeLimitOverrides.roundId, roundId))
    .orderBy(asc(timeLimitOverrides.itemId))
    .all()
    .map((o) => {
      const item = getItem(o.itemId)
      return { ...o, title: item?.title ?? o.itemId, codeLimit: item?.timeLimit ?? null }
    })
}

export interface OverrideInput {
  itemId: string
  standardDays: number | null
  enhancedDays: number | null
  reason: string
}

export function saveOverride(db: Db, scope: Scope, roundId: number, input: OverrideInput): void {
  db.transaction((tx) => {
    const key = and(eq(timeLimitOverrides.roundId, roundId), eq(timeLimitOverrides.itemId, input.itemId))
    const before = tx.select().from(timeLimitOverrides).where(key).get()
    tx.insert(timeLimitOverrides)
      .values({ roundId, ...input })
      .onConflictDoUpdate({
        target: [timeLimitOverrides.roundId, timeLimitOverrides.itemId],
        set: { standardDays: input.standardDays, enhancedDays: input.enhancedDays, reason: input.reason },
      })
      .run()
    recordAudit(db, {
      actor: actorOf(scope),
      action: 'round_override_saved',
      entity: 'round',
      entityId: roundId,
      before: before ?? null,
      after: input,
    })
  })
}

/** Removes an override; false when the round had none for that item. */
export function removeOverride(db: Db, scope: Scope, roundId: number, itemId: string): boolean {
  return db.transaction((tx) => {
    const removed = tx
      .delete(timeLimitOverrides)
      .where(and(eq(timeLimitOverrides.roundId, roundId), eq(timeLimitOverrides.itemId, itemId)))
      .returning()
      .get()
    if (!removed) return false
    recordAudit(db, {
      actor: actorOf(scope),
      action: 'round_override_removed',
      entity: 'round',
      entityId: roundId,
      before: removed,
    })
    return true
  })
}
