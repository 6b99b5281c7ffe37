// Reads for moderation: the cases chosen for second marking, the paired answers behind the
// agreement report, what still stands between a round and publication, and each user's worklist.
// First marks are only ever read here for cases whose second marking is complete.
import { and, asc, desc, eq, inArray, isNotNull, isNull, notExists, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Queryable } from '../../../schema/database.ts'
import {
  answers,
  frameworkItems,
  moderationCases,
  populationCases,
  rounds,
  sampleCases,
  users,
} from '../../../schema/index.ts'
import type { Scope } from '../../scope.ts'

export interface SelectedCase {
  id: number
  sampleCaseId: number
  caseRef: string
  reason: 'unsure' | 'auditor' | 'share' | 'added'
  note: string | null
  auditorId: number | null
  auditorName: string | null
  secondMarkerId: number | null
  secondMarkerName: string | null
  secondCompletedAt: string | null
  factsAgree: boolean | null
  factsResolved: boolean
  /** Obligations the two marked differently (0 until the second marking is complete). */
  disagreements: number
  unresolved: number
}

// Differences are counted only once the second marking is complete, so a count can never hint
// at the first marks to someone still marking.
// The obligations both markers answered differently, in the case of the query's moderation_cases row.
const DIFFERING = sql`FROM answers p
    JOIN answers s ON s.sample_case_id = p.sample_case_id AND s.obligation_key = p.obligation_key
      AND s.marker = 'second'
   WHERE p.sample_case_id = ${moderationCases.sampleCaseId} AND p.marker = 'primary'
     AND ${moderationCases.secondCompletedAt} IS NOT NULL
     AND p.outcome IS NOT NULL AND s.outcome IS NOT NULL AND p.outcome <> s.outcome`
const DISAGREEMENTS = sql<number>`(SELECT count(*) ${DIFFERING})`
const UNRESOLVED = sql<number>`(SELECT count(*) ${DIFFERING}
     AND NOT EXISTS (SELECT 1 FROM answers m WHERE m.sample_case_id = p.sample_case_id
       AND m.obligation_key = p.obligation_key AND m.marker = 'moderator' AND m.outcome IS NOT NULL))`

const auditor = alias(users, 'au')
const secondMarker = alias(users, 'sm')

function selectedWhere(db: Queryable, where: SQL): SelectedCase[] {
  return db
    .select({
      id: moderationCases.id,
      sampleCaseId: moderationCases.sampleCaseId,
      caseRef: populationCases.caseRef,
      reason: moderationCases.reason,
      note: moderationCases.note,
      auditorId: sampleCases.auditorId,
      auditorName: auditor.displayName,
      secondMarkerId: moderationCases.secondMarkerId,
      secondMarkerName: secondMarker.displayName,
      secondCompletedAt: moderationCases.secondCompletedAt,
      factsAgree: moderationCases.factsAgree,
      factsResolved: sql`${moderationCases.factsResolvedAt} IS NOT NULL`.mapWith(Boolean),
      disagreements: DISAGREEMENTS,
      unresolved: UNRESOLVED,
    })
    .from(moderationCases)
    .innerJoin(sampleCases, eq(sampleCases.id, moderationCases.sampleCaseId))
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .leftJoin(auditor, eq(auditor.id, sampleCases.auditorId))
    .leftJoin(secondMarker, eq(secondMarker.id, moderationCases.secondMarkerId))
    .where(where)
    .orderBy(asc(populationCases.caseRef))
    .all()
}

export function selectedCases(db: Queryable, roundId: number): SelectedCase[] {
  return selectedWhere(db, eq(moderationCases.roundId, roundId))
}

export function selectedCase(db: Queryable, sampleCaseId: number): SelectedCase | undefined {
  return selectedWhere(db, eq(moderationCases.sampleCaseId, sampleCaseId))[0]
}

/** Completed cases of the round not (yet) chosen: what a moderator may add. */
export function addableCases(db: Queryable, roundId: number): Array<{ id: number; caseRef: string }> {
  return db
    .select({ id: sampleCases.id, caseRef: populationCases.caseRef })
    .from(sampleCases)
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .where(
      and(
        eq(sampleCases.roundId, roundId),
        eq(sampleCases.status, 'complete'),
        isNotNull(sampleCases.auditorId),
        notExists(
          db.select({ one: sql`1` }).from(moderationCases).where(eq(moderationCases.sampleCaseId, sampleCases.id)),
        ),
      ),
    )
    .orderBy(asc(populationCases.caseRef))
    .all()
}

/** Completed cases with who first-marked them and whether they flagged it unsure. */
export function selectionCandidates(
  db: Queryable,
  roundId: number,
): Array<{ id: number; ref: string; auditorId: number; unsure: boolean }> {
  return db
    .select({
      id: sampleCases.id,
      ref: populationCases.caseRef,
      auditorId: sql<number>`${sampleCases.auditorId}`,
      unsure: sampleCases.unsure,
    })
    .from(sampleCases)
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .where(and(eq(sampleCases.roundId, roundId), eq(sampleCases.status, 'complete'), isNotNull(sampleCases.auditorId)))
    .all()
}

/** People who may second-mark a case: active moderators and auditors, never its own auditor. */
export function secondMarkerChoices(db: Queryable): Array<{ id: number; name: string; role: string }> {
  return db
    .select({ id: users.id, name: users.displayName, role: users.role })
    .from(users)
    .where(and(eq(users.disabled, false), inArray(users.role, ['moderator', 'auditor'])))
    .orderBy(desc(users.role), asc(users.displayName))
    .all()
}

export interface PairedAnswer {
  sampleCaseId: number
  caseRef: string
  auditorName: string
  secondMarkerName: string
  obligationKey: string
  itemId: string
  itemTitle: string
  theme: string
  first: string
  second: string
  final: string | null
  finalReason: string | null
  finalBy: string | null
  finalAt: string | null
}

const primary = alias(answers, 'p')
const second = alias(answers, 's')
const moderated = alias(answers, 'm')
const moderator = alias(users, 'mu')

/** Another marker's answer to the primary answer's obligation, in the same case. */
const markOfTheSameObligation = (mark: typeof second | typeof moderated, marker: 'second' | 'moderator') =>
  and(
    eq(mark.sampleCaseId, primary.sampleCaseId),
    eq(mark.obligationKey, primary.obligationKey),
    eq(mark.marker, marker),
  )

/** Every obligation both markers answered, in cases whose second marking is complete. */
export function pairedAnswers(db: Queryable, roundId: number): PairedAnswer[] {
  return db
    .select({
      sampleCaseId: moderationCases.sampleCaseId,
      caseRef: populationCases.caseRef,
      auditorName: sql<string>`coalesce(${auditor.displayName}, '')`,
      secondMarkerName: sql<string>`coalesce(${secondMarker.displayName}, '')`,
      obligationKey: primary.obligationKey,
      itemId: primary.itemId,
      itemTitle: sql<string>`coalesce(${frameworkItems.title}, ${primary.itemId})`,
      theme: sql<string>`coalesce(${frameworkItems.theme}, '')`,
      // Both joined only where answered, so neither is null here.
      first: sql<string>`${primary.outcome}`,
      second: sql<string>`${second.outcome}`,
      final: moderated.outcome,
      finalReason: moderated.note,
      finalBy: moderator.displayName,
      finalAt: moderated.updatedAt,
    })
    .from(moderationCases)
    .innerJoin(sampleCases, eq(sampleCases.id, moderationCases.sampleCaseId))
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .innerJoin(
      primary,
      and(
        eq(primary.sampleCaseId, moderationCases.sampleCaseId),
        eq(primary.marker, 'primary'),
        isNotNull(primary.outcome),
      ),
    )
    .innerJoin(second, and(markOfTheSameObligation(second, 'second'), isNotNull(second.outcome)))
    .leftJoin(moderated, markOfTheSameObligation(moderated, 'moderator'))
    .leftJoin(moderator, eq(moderator.id, moderated.updatedBy))
    .leftJoin(auditor, eq(auditor.id, sampleCases.auditorId))
    .leftJoin(secondMarker, eq(secondMarker.id, moderationCases.secondMarkerId))
    .leftJoin(frameworkItems, eq(frameworkItems.id, primary.itemId))
    .where(and(eq(moderationCases.roundId, roundId), isNotNull(moderationCases.secondCompletedAt)))
    .orderBy(asc(populationCases.caseRef), asc(primary.obligationKey))
    .all()
}

export interface Outstanding {
  toMark: SelectedCase[]
  toResolve: SelectedCase[]
}

/** What stops a round being published: cases not yet second-marked, disagreements not settled. */
export function outstanding(db: Queryable, roundId: number): Outstanding {
  const cases = selectedCases(db, roundId)
  return {
    toMark: cases.filter((c) => c.secondCompletedAt === null),
    toResolve: cases.filter((c) => c.unresolved > 0 || (c.factsAgree === false && !c.factsResolved)),
  }
}

export interface ModerationWork {
  toMark: Array<SelectedCase & { roundName: string }>
  toResolve: Array<SelectedCase & { roundName: string }>
}

/** A user's moderation work in rounds under moderation: their second marking, and (moderators) resolving. */
export function moderationWork(db: Queryable, scope: Scope): ModerationWork {
  const underModeration = db
    .select({ id: rounds.id, name: rounds.name })
    .from(rounds)
    .where(eq(rounds.status, 'moderation'))
    .orderBy(asc(rounds.id))
    .all()
  const work: ModerationWork = { toMark: [], toResolve: [] }
  for (const r of underModeration) {
    const o = outstanding(db, r.id)
    work.toMark.push(
      ...o.toMark.filter((c) => c.secondMarkerId === scope.userId).map((c) => ({ ...c, roundName: r.name })),
    )
    if (scope.role === 'moderator' || scope.role === 'admin')
      work.toResolve.push(...o.toResolve.map((c) => ({ ...c, roundName: r.name })))
  }
  return work
}

/**
 * Cases whose first marks this user must not see yet: they second-mark them and have not
 * finished. Screens that show case answers leave these out.
 */
export function blindCaseIds(db: Queryable, userId: number): Set<number> {
  const rows = db
    .select({ id: moderationCases.sampleCaseId })
    .from(moderationCases)
    .where(and(eq(moderationCases.secondMarkerId, userId), isNull(moderationCases.secondCompletedAt)))
    .all()
  return new Set(rows.map((r) => r.id))
}

export function blindCaseRefs(db: Queryable, userId: number): Set<string> {
  const rows = db
    .select({ ref: populationCases.caseRef })
    .from(moderationCases)
    .innerJoin(sampleCases, eq(sampleCases.id, moderationCases.sampleCaseId))
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .where(and(eq(moderationCases.secondMarkerId, userId), isNull(moderationCases.secondCompletedAt)))
    .all()
  return new Set(rows.map((r) => r.ref))
}

/** What the second marker found about the facts, and how the moderator settled it. */
export function factsNoteOf(
  db: Queryable,
  sampleCaseId: number,
): { note: string | null; resolution: string | null; resolvedAt: string | null } | undefined {
  return db
    .select({
      note: moderationCases.factsNote,
      resolution: moderationCases.factsResolution,
      resolvedAt: moderationCases.factsResolvedAt,
    })
    .from(moderationCases)
    .where(eq(moderationCases.sampleCaseId, sampleCaseId))
    .get()
}
