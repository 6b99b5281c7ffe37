// Changing a drawn sample: replacing a case that cannot be audited with the next of its stratum's
// seeded order, and extending the sample by the next places of each order.
import { and, eq, sql } from 'drizzle-orm'
import { populationCases, sampleCases, sampleDraws, users } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { allocate, type AllocationMethod } from '../../../audits/sample-allocation.ts'
import { ownershipResolver } from '../../../audits/case-ownership.ts'
import { mayReview } from '../../../audits/auditor-allocation.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import { agenciesInScope } from './queries.ts'
import type { FrameStratum } from './sampling-frame.ts'
import {
  changeRound,
  drawStrata,
  frameOfDraw,
  getDraw,
  insertPicks,
  positions,
  refuse,
  type Pick,
  type Refusal,
} from './draw.ts'

/** The next unused place of each stratum's order: every place before it is in the sample. */
function nextPositions(tx: Queryable, roundId: number): Map<string, number> {
  const rows = tx
    .select({ stratum: sampleCases.stratum, last: sql<number>`max(${sampleCases.drawPosition})` })
    .from(sampleCases)
    .where(eq(sampleCases.roundId, roundId))
    .groupBy(sampleCases.stratum)
    .all()
  return new Map(rows.map((r) => [r.stratum, r.last + 1]))
}

export const replaceableStatuses = ['not_started', 'unusable'] as const

/**
 * Replaces a sampled case that cannot be audited with the next case of its stratum's seeded
 * order, keeping the reason on both. The replacement goes to the same auditor where they may
 * review it.
 */
export function replaceSampleCase(
  db: Db,
  scope: Scope,
  roundId: number,
  sampleCaseId: number,
  reason: string,
): { ok: true; replacementRef: string } | Refusal {
  return changeRound(db, roundId, 'replaceCase', (tx) => {
    const draw = getDraw(tx, roundId)
    const old = tx
      .select()
      .from(sampleCases)
      .where(and(eq(sampleCases.id, sampleCaseId), eq(sampleCases.roundId, roundId)))
      .get()
    if (!draw || !old) return refuse('form', 'That case is not in this round’s sample')
    if (!(replaceableStatuses as readonly string[]).includes(old.status)) {
      return refuse(
        'form',
        old.status === 'replaced'
          ? 'This case has already been replaced'
          : 'Only cases not yet started or reported unusable can be replaced: this one is being reviewed',
      )
    }
    const frame = frameOfDraw(db, draw)
    if ('ok' in frame) return frame
    const stratum = frame.strata.find((s) => s.key === old.stratum)
    const next = nextPositions(tx, roundId).get(old.stratum) ?? 0
    if (!stratum || next >= stratum.members.length) {
      return refuse(
        'form',
        `There are no reserve cases left in the ${old.stratum} stratum: every case in it is already in the sample`,
      )
    }
    const [pick] = positions(frame, stratum, draw.seed, next, 1) as [Pick]
    const now = new Date().toISOString()
    tx.update(sampleCases)
      .set({ status: 'replaced', replacementReason: reason, updatedAt: now })
      .where(eq(sampleCases.id, old.id))
      .run()
    const keepAuditor = old.auditorId === null ? null : stillAllowed(tx, old.auditorId, pick, roundId)
    insertPicks(tx, roundId, [pick], now, { replacesId: old.id, replacementReason: reason, auditorId: keepAuditor })
    const oldRef = tx
      .select({ ref: populationCases.caseRef })
      .from(populationCases)
      .where(eq(populationCases.id, old.populationCaseId))
      .get()?.ref
    recordAudit(db, {
      actor: actorOf(scope),
      action: 'sample_case_replaced',
      entity: 'round',
      entityId: roundId,
      before: { caseRef: oldRef, status: old.status, stratum: old.stratum, drawPosition: old.drawPosition },
      after: {
        caseRef: pick.caseRef,
        stratum: pick.stratum,
        drawPosition: pick.drawPosition,
        reason,
        auditorId: keepAuditor,
      },
    })
    return { ok: true as const, replacementRef: pick.caseRef }
  })
}

/** The auditor keeps the replacement when still an active auditor who may review it. */
function stillAllowed(tx: Queryable, auditorId: number, pick: Pick, roundId: number): number | null {
  const auditor = tx
    .select({ agencyId: users.agencyId, role: users.role, disabled: users.disabled })
    .from(users)
    .where(eq(users.id, auditorId))
    .get()
  if (auditor?.role !== 'auditor' || auditor.disabled) return null
  const agencyRef = tx
    .select({ ref: populationCases.agencyRef })
    .from(populationCases)
    .where(eq(populationCases.id, pick.populationCaseId))
    .get()?.ref
  const owningAgencyId = ownershipResolver(agenciesInScope(tx, roundId))(agencyRef)
  return mayReview(auditor, { owningAgencyId }) ? auditorId : null
}

/**
 * Adds cases: to one stratum, or spread over the strata by the draw's allocation method in
 * proportion to what each has left. Cases already drawn keep their places; the new ones are the
 * next places of each stratum's order, unallocated.
 */
export function extendSample(
  db: Db,
  scope: Scope,
  roundId: number,
  additional: number,
  onlyStratum: string | null,
): { ok: true; added: number } | Refusal {
  return changeRound(db, roundId, 'extendSample', (tx) => {
    const draw = getDraw(tx, roundId)
    if (!draw) return refuse('form', 'Draw the sample before extending it')
    const frame = frameOfDraw(db, draw)
    if ('ok' in frame) return frame
    const next = nextPositions(tx, roundId)
    const left = frame.strata.map((s) => ({ key: s.key, size: s.members.length - (next.get(s.key) ?? 0) }))
    let extra: { key: string; allocated: number }[]
    if (onlyStratum !== null) {
      const target = left.find((s) => s.key === onlyStratum)
      if (!target) return refuse('stratum', 'Select a stratum from the list')
      if (additional > target.size)
        return refuse(
          'additional',
          `The ${onlyStratum} stratum has only ${target.size.toLocaleString('en-GB')} cases left to add`,
        )
      extra = [{ key: onlyStratum, allocated: additional }]
    } else {
      const room = left.reduce((sum, s) => sum + s.size, 0)
      if (additional > room)
        return refuse('additional', `Only ${room.toLocaleString('en-GB')} population cases are not yet in the sample`)
      extra = allocate(left, additional, draw.allocation as AllocationMethod, 0)
    }
    const picks: Pick[] = []
    for (const e of extra) {
      if (e.allocated === 0) continue
      const stratum = frame.strata.find((s) => s.key === e.key) as FrameStratum
      picks.push(...positions(frame, stratum, draw.seed, next.get(e.key) ?? 0, e.allocated))
    }
    const now = new Date().toISOString()
    insertPicks(tx, roundId, picks, now)
    const before = drawStrata(draw)
    const after = before.map((s) => ({ ...s, take: s.take + (extra.find((e) => e.key === s.key)?.allocated ?? 0) }))
    tx.update(sampleDraws)
      .set({ strata: JSON.stringify(after) })
      .where(eq(sampleDraws.id, draw.id))
      .run()
    recordAudit(db, {
      actor: actorOf(scope),
      action: 'sample_extended',
      entity: 'round',
      entityId: roundId,
      before: { strata: before },
      after: { strata: after, added: picks.length },
    })
    return { ok: true as const, added: picks.length }
  })
}
