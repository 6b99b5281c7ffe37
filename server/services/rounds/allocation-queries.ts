// Who reviews which sampled case: the auditors available, what they hold, and the two ways an
// admin shares cases out (automatically, balanced; or by hand, a few at a time).
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { agencies, populationCases, sampleCases, users } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { allocateToAuditors, mayReview } from '../../../audits/auditor-allocation.ts'
import type { Role } from '../../../audits/vocabulary.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import { changeRound, type Refusal } from './draw.ts'
import { reviewerRoleOf } from './queries.ts'
import { drawOrder, sampledCaseColumns } from './sample-queries.ts'

/** What to say when no reviewer, or someone who may not review the round, was chosen. */
export function chooseReviewerMessage(role: Role, one = false): string {
  if (role === 'advocate') return 'Select the Victims’ Advocate to review the dip sample'
  return one ? 'Select an active auditor' : 'Select at least one active auditor'
}

const isActiveReviewer = (role: Role) => sql`${users.role} = ${role} and ${users.disabled} = 0`

/**
 * People who can be given the round's cases: the reviewing role (auditor, or the Victims' Advocate
 * for a commissioned-services dip sample), account enabled.
 */
export function activeAuditors(db: Queryable, role: Role) {
  return db
    .select({
      id: users.id,
      displayName: users.displayName,
      email: users.email,
      agencyId: users.agencyId,
      agencyName: agencies.shortName,
    })
    .from(users)
    .leftJoin(agencies, eq(users.agencyId, agencies.id))
    .where(isActiveReviewer(role))
    .orderBy(asc(users.displayName), asc(users.id))
    .all()
}

/** Cases each person holds in the round (replaced cases left out), with every active auditor listed. */
export function auditorLoads(db: Queryable, roundId: number) {
  const role = reviewerRoleOf(db, roundId)
  return db
    .select({
      id: users.id,
      displayName: users.displayName,
      agencyName: agencies.shortName,
      active: sql<number>`${isActiveReviewer(role)}`,
      cases: sql<number>`(select count(*) from ${sampleCases} where ${sampleCases.roundId} = ${roundId} and
        ${sampleCases.auditorId} = ${users.id} and ${sampleCases.status} <> 'replaced')`,
    })
    .from(users)
    .leftJoin(agencies, eq(users.agencyId, agencies.id))
    .where(
      sql`(${isActiveReviewer(role)}) or exists (select 1 from ${sampleCases} where ${sampleCases.roundId} = ${roundId}
        and ${sampleCases.auditorId} = ${users.id} and ${sampleCases.status} <> 'replaced')`,
    )
    .orderBy(asc(users.displayName), asc(users.id))
    .all()
    .map((r) => ({ ...r, active: Boolean(r.active) }))
}

const auditor = alias(users, 'auditor')
const owner = alias(agencies, 'owner')

/** The round's sampled cases that are still in the sample, in draw order, with who holds them. */
export function allocationCases(db: Queryable, roundId: number) {
  const role = reviewerRoleOf(db, roundId)
  return db
    .select({
      ...sampledCaseColumns,
      auditorId: sampleCases.auditorId,
      auditorName: auditor.displayName,
      auditorActive: sql<number>`coalesce(${auditor.role} = ${role} and ${auditor.disabled} = 0, 0)`,
      owningAgencyId: sampleCases.owningAgencyId,
      owningAgencyName: owner.shortName,
    })
    .from(sampleCases)
    .innerJoin(populationCases, eq(sampleCases.populationCaseId, populationCases.id))
    .leftJoin(auditor, eq(sampleCases.auditorId, auditor.id))
    .leftJoin(owner, eq(sampleCases.owningAgencyId, owner.id))
    .where(and(eq(sampleCases.roundId, roundId), sql`${sampleCases.status} <> 'replaced'`))
    .orderBy(...drawOrder)
    .all()
    .map((c) => ({ ...c, allocated: c.auditorId !== null && Boolean(c.auditorActive) }))
}

export type AllocationCase = ReturnType<typeof allocationCases>[number]

/**
 * Gives every case nobody can work on (no auditor, or one no longer active) to the chosen
 * auditors, balanced by the cases each already holds in the round. Cases none of them may review
 * stay unallocated and are named in the result.
 */
export function autoAllocate(
  db: Db,
  scope: Scope,
  roundId: number,
  auditorIds: readonly number[],
): { ok: true; assigned: number; unassignable: string[] } | Refusal {
  return changeRound(db, roundId, 'allocateCases', (tx) => {
    const role = reviewerRoleOf(tx, roundId)
    const chosen = activeAuditors(tx, role).filter((a) => auditorIds.includes(a.id))
    if (chosen.length !== new Set(auditorIds).size || chosen.length === 0) {
      return { ok: false as const, field: 'auditorIds', message: chooseReviewerMessage(role) }
    }
    const cases = allocationCases(tx, roundId)
    const loads = new Map<number, number>()
    for (const c of cases)
      if (c.allocated && c.auditorId !== null) loads.set(c.auditorId, (loads.get(c.auditorId) ?? 0) + 1)
    const waiting = cases.filter((c) => !c.allocated)
    const result = allocateToAuditors(
      waiting.map((c) => ({ id: c.id, owningAgencyId: c.owningAgencyId })),
      chosen.map((a) => ({ id: a.id, agencyId: a.agencyId, load: loads.get(a.id) ?? 0 })),
    )
    const now = new Date().toISOString()
    for (const a of result.assignments) {
      tx.update(sampleCases).set({ auditorId: a.auditorId, updatedAt: now }).where(eq(sampleCases.id, a.caseId)).run()
    }
    const refOf = new Map(cases.map((c) => [c.id, c.caseRef]))
    const unassignable = result.unassignable.map((id) => refOf.get(id) ?? String(id))
    recordAudit(db, {
      actor: actorOf(scope),
      action: 'sample_allocated',
      entity: 'round',
      entityId: roundId,
      after: {
        auditors: chosen.map((a) => a.id),
        assigned: result.assignments.map((a) => ({ caseRef: refOf.get(a.caseId), auditorId: a.auditorId })),
        unassignable,
      },
    })
    return { ok: true as const, assigned: result.assignments.length, unassignable }
  })
}

/**
 * Gives the chosen cases to one auditor. Refused, with nothing changed, if any case is owned by
 * the auditor's home agency, is complete or is not in the round's sample.
 */
export function reassignCases(
  db: Db,
  scope: Scope,
  roundId: number,
  caseIds: readonly number[],
  auditorId: number,
): { ok: true; moved: number; auditorName: string } | Refusal {
  return changeRound(db, roundId, 'allocateCases', (tx) => {
    const role = reviewerRoleOf(tx, roundId)
    const target = activeAuditors(tx, role).find((a) => a.id === auditorId)
    if (!target) return { ok: false as const, field: 'auditorId', message: chooseReviewerMessage(role, true) }
    if (caseIds.length === 0)
      return { ok: false as const, field: 'caseIds', message: 'Select at least one case to reassign' }
    const cases = tx
      .select({
        id: sampleCases.id,
        status: sampleCases.status,
        owningAgencyId: sampleCases.owningAgencyId,
        auditorId: sampleCases.auditorId,
        caseRef: populationCases.caseRef,
      })
      .from(sampleCases)
      .innerJoin(populationCases, eq(sampleCases.populationCaseId, populationCases.id))
      .where(and(eq(sampleCases.roundId, roundId), inArray(sampleCases.id, [...caseIds])))
      .all()
    if (cases.length !== new Set(caseIds).size || cases.some((c) => c.status === 'replaced')) {
      return { ok: false as const, field: 'caseIds', message: 'Select cases from this round’s sample' }
    }
    const complete = cases.filter((c) => c.status === 'complete').map((c) => c.caseRef)
    if (complete.length > 0)
      return {
        ok: false as const,
        field: 'caseIds',
        message: `Completed cases cannot be reassigned: ${complete.join(', ')}`,
      }
    const own = cases.filter((c) => !mayReview(target, c)).map((c) => c.caseRef)
    if (own.length > 0) {
      return {
        ok: false as const,
        field: 'auditorId',
        message: `${target.displayName} cannot review ${own.length === 1 ? 'case' : 'cases'} ${own.join(
          ', ',
        )}: ${own.length === 1 ? 'it belongs' : 'they belong'} to their home agency`,
      }
    }
    const now = new Date().toISOString()
    tx.update(sampleCases)
      .set({ auditorId, updatedAt: now })
      .where(
        inArray(
          sampleCases.id,
          cases.map((c) => c.id),
        ),
      )
      .run()
    recordAudit(db, {
      actor: actorOf(scope),
      action: 'sample_reassigned',
      entity: 'round',
      entityId: roundId,
      before: cases.map((c) => ({ caseRef: c.caseRef, auditorId: c.auditorId })),
      after: { auditorId, caseRefs: cases.map((c) => c.caseRef) },
    })
    return { ok: true as const, moved: cases.length, auditorName: target.displayName }
  })
}
