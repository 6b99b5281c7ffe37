// Local agreements that change one item's time limit for one round, with the reason reports show.
import { REASON_MAX } from '../../../audits/vocabulary.ts'
import { and, asc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { timeLimitOverrides, type Edition } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { editions, getFramework, getItem } from '../../../audits/frameworks/index.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import { fieldsOf, parseForm, type FormResult } from '../../forms.ts'

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

/**
 * Every item, the round's heading edition first, with the Code's own limit, for the override
 * form's list: a round's cases hold duties of both editions.
 */
function itemsFor(edition: Edition) {
  return [edition, ...editions.filter((e) => e !== edition)].flatMap((e) => getFramework(e).items)
}

export function itemOptions(edition: Edition) {
  return itemsFor(edition).map((item) => ({
    value: item.id,
    text: `${item.id}: ${item.title}${
      item.timeLimit
        ? ` (Code: ${item.timeLimit.standard} working days, enhanced ${item.timeLimit.enhanced})`
        : ' (no fixed limit in the Code)'
    }`,
  }))
}

const days = (label: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 250), {
      error: `Enter the ${label} as a whole number of working days from 1 to 250`,
    })
    .transform((v) => (v === '' ? null : Number(v)))

export interface OverrideInput {
  itemId: string
  standardDays: number | null
  enhancedDays: number | null
  reason: string
}

export function parseOverrideForm(body: unknown, edition: Edition): FormResult<OverrideInput> {
  const itemIds = new Set(itemsFor(edition).map((i) => i.id))
  const schema = z
    .object({
      itemId: z.string({ error: 'Select the entitlement the local agreement changes' }).refine((v) => itemIds.has(v), {
        error: 'Select the entitlement the local agreement changes',
      }),
      standardDays: days('standard limit'),
      enhancedDays: days('limit for enhanced victims'),
      reason: z
        .string({ error: 'Enter the reason for the local agreement' })
        .trim()
        .min(1, { error: 'Enter the reason for the local agreement' })
        .max(REASON_MAX, { error: `Reason must be ${REASON_MAX} characters or fewer` }),
    })
    .superRefine((o, ctx) => {
      if (o.standardDays === null && o.enhancedDays === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['standardDays'],
          message: 'Enter a standard limit, a limit for enhanced victims, or both',
        })
      }
    })
  return parseForm(schema, {
    standardDays: '',
    enhancedDays: '',
    ...fieldsOf(body, ['itemId', 'standardDays', 'enhancedDays', 'reason']),
  })
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
