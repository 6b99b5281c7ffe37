// Drawing a round's sample and changing it afterwards. The order of every stratum follows from
// the population, the seed and the stratum's key alone (seededOrder in audits/sampling.ts), so a
// case's draw position says where it stood, the reserve is simply the rest of that order, and
// nothing but the seed and the design needs storing.
import { eq, inArray, sql } from 'drizzle-orm'
import { answers, populationCases, sampleCases, sampleDraws } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { stratumSeed } from '../../../audits/seeded-random.ts'
import type { AllocationMethod } from '../../../audits/sample-allocation.ts'
import { seededOrderPrefix } from '../../../audits/seeded-prefix.ts'
import { planStrata, sizeFor, type Stratification } from '../../../audits/sample-plan.ts'
import { ownershipResolver } from '../../../audits/case-ownership.ts'
import { changeRefusal, type RoundChange } from '../../../audits/round-lifecycle.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import { agenciesInScope, getRound } from './queries.ts'
import { readSamplingFrame, UnusableFrameError, type FrameStratum, type SamplingFrame } from './sampling-frame.ts'

export interface DrawDesign {
  stratifyBy: Stratification
  allocation: AllocationMethod
  /** Tenths of a percentage point: 50 = ±5.0. */
  marginOfError: number
  /** Percent: 95. */
  confidence: number
  minimumPerStratum: number
  /** A total chosen by the admin; null for the size the margin and confidence call for. */
  sampleSize: number | null
}

export interface StratumTake {
  key: string
  population: number
  take: number
}

export type SampleDraw = typeof sampleDraws.$inferSelect

/** A refusal names the form field it concerns, so the page can put the message beside it. */
export type Refusal = { ok: false; field: string; message: string }
export const refuse = (field: string, message: string): Refusal => ({ ok: false, field, message })

/** Why this change cannot be made to the round now (it is gone, or at the wrong stage), or null. */
function changeRefused(tx: Queryable, roundId: number, change: RoundChange): Refusal | null {
  const round = getRound(tx, roundId)
  if (!round) return refuse('form', 'The round no longer exists')
  const refusal = changeRefusal(change, round.status)
  return refusal ? refuse('form', refusal) : null
}

/**
 * Makes a change to the round in one immediate transaction, once the round is found at a stage
 * that allows it; otherwise the refusal, with nothing written.
 */
export function changeRound<R>(db: Db, roundId: number, change: RoundChange, write: (tx: Queryable) => R): R | Refusal {
  return db.transaction((tx) => changeRefused(tx, roundId, change) ?? write(tx), { behavior: 'immediate' })
}

export function getDraw(db: Queryable, roundId: number): SampleDraw | undefined {
  return db.select().from(sampleDraws).where(eq(sampleDraws.roundId, roundId)).get()
}

export function drawStrata(draw: SampleDraw): StratumTake[] {
  return JSON.parse(draw.strata) as StratumTake[]
}

/**
 * Draws the sample: per stratum, the first `take` cases of its seeded order. Replaces an earlier
 * draw only while the round is still in sampling and nothing has been answered.
 */
export function drawRoundSample(
  db: Db,
  scope: Scope,
  roundId: number,
  design: DrawDesign,
  seed: string,
): { ok: true; total: number; redrawn: boolean } | Refusal {
  return changeRound(db, roundId, 'drawSample', (tx) => {
    const frame = frameOrRefusal(db, roundId, design.stratifyBy)
    if ('ok' in frame) return frame
    if (frame.size === 0)
      return refuse('form', 'There are no population cases to draw from: import the population first')
    const total = design.sampleSize ?? sizeFor(frame.size, design.marginOfError, design.confidence)
    if (total > frame.size)
      return refuse(
        'sampleSize',
        `The sample cannot be larger than the population of ${frame.size.toLocaleString('en-GB')} cases`,
      )
    const plan = planStrata(
      frame.strata.map((s) => ({ key: s.key, population: s.members.length })),
      total,
      design.allocation,
      design.minimumPerStratum,
      design.confidence,
    )
    if (!plan.ok) return refuse('minimumPerStratum', plan.message)

    const earlier = getDraw(tx, roundId)
    if (earlier) {
      const answered = tx
        .select({ n: sql<number>`count(*)` })
        .from(answers)
        .innerJoin(sampleCases, eq(answers.sampleCaseId, sampleCases.id))
        .where(eq(sampleCases.roundId, roundId))
        .get()
      if ((answered?.n ?? 0) > 0)
        return refuse('form', 'Some sampled cases already have answers, so the sample cannot be drawn again')
      tx.delete(sampleCases).where(eq(sampleCases.roundId, roundId)).run()
      tx.delete(sampleDraws).where(eq(sampleDraws.roundId, roundId)).run()
    }

    const picks: Pick[] = []
    plan.strata.forEach((planned, s) => {
      const stratum = frame.strata[s] as FrameStratum
      picks.push(...positions(frame, stratum, seed, 0, planned.take))
    })
    const strata: StratumTake[] = plan.strata.map((p) => ({ key: p.key, population: p.population, take: p.take }))
    const now = new Date().toISOString()
    tx.insert(sampleDraws)
      .values({
        roundId,
        seed,
        stratifyBy: design.stratifyBy,
        allocation: design.allocation,
        marginOfError: design.marginOfError,
        confidence: design.confidence,
        minimumPerStratum: design.minimumPerStratum,
        populationSha256: frame.sha256,
        strata: JSON.stringify(strata),
        drawnAt: now,
        drawnBy: scope.userId,
      })
      .run()
    insertPicks(tx, roundId, picks, now)
    recordAudit(db, {
      actor: actorOf(scope),
      action: earlier ? 'sample_redrawn' : 'sample_drawn',
      entity: 'round',
      entityId: roundId,
      before: earlier
        ? { seed: earlier.seed, populationSha256: earlier.populationSha256, strata: drawStrata(earlier) }
        : undefined,
      after: {
        seed,
        ...design,
        populationSha256: frame.sha256,
        populationCases: frame.size,
        strata,
        cases: picks.length,
      },
    })
    return { ok: true as const, total: picks.length, redrawn: earlier !== undefined }
  })
}

export interface Pick {
  populationCaseId: number
  caseRef: string
  stratum: string
  drawPosition: number
}

/** Places `from` … `from + count − 1` of a stratum's seeded order. */
export function positions(
  frame: SamplingFrame,
  stratum: FrameStratum,
  seed: string,
  from: number,
  count: number,
): Pick[] {
  const order = seededOrderPrefix(stratum.members.length, stratumSeed(seed, stratum.key), from + count)
  const out: Pick[] = []
  for (let p = from; p < from + count; p++) {
    const rank = stratum.members[order[p] as number] as number
    out.push({
      populationCaseId: frame.populationCaseId(rank),
      caseRef: frame.caseRef(rank),
      stratum: stratum.key,
      drawPosition: p,
    })
  }
  return out
}

const CHUNK = 500

export function insertPicks(
  tx: Queryable,
  roundId: number,
  picks: readonly Pick[],
  now: string,
  extra: { replacesId?: number; replacementReason?: string; auditorId?: number | null } = {},
) {
  const owner = ownershipResolver(agenciesInScope(tx, roundId))
  // One prepared statement run per case: a multi-row insert would be prepared afresh for every
  // chunk, which costs more than the rows themselves.
  const insert = tx
    .insert(sampleCases)
    .values({
      roundId,
      populationCaseId: sql.placeholder('populationCaseId'),
      stratum: sql.placeholder('stratum'),
      drawPosition: sql.placeholder('drawPosition'),
      status: 'not_started',
      owningAgencyId: sql.placeholder('owningAgencyId'),
      replacesId: extra.replacesId ?? null,
      replacementReason: extra.replacementReason ?? null,
      auditorId: extra.auditorId ?? null,
      updatedAt: now,
    })
    .prepare()
  for (let i = 0; i < picks.length; i += CHUNK) {
    const part = picks.slice(i, i + CHUNK)
    const refs = new Map(
      tx
        .select({ id: populationCases.id, agencyRef: populationCases.agencyRef })
        .from(populationCases)
        .where(
          inArray(
            populationCases.id,
            part.map((p) => p.populationCaseId),
          ),
        )
        .all()
        .map((r) => [r.id, r.agencyRef]),
    )
    for (const p of part) {
      insert.run({
        populationCaseId: p.populationCaseId,
        stratum: p.stratum,
        drawPosition: p.drawPosition,
        owningAgencyId: owner(refs.get(p.populationCaseId)),
      })
    }
  }
}

/** The sampling frame as the draw saw it, or a refusal if the population has changed since. */
function frameOrRefusal(db: Db, roundId: number, stratifyBy: Stratification): SamplingFrame | Refusal {
  try {
    return readSamplingFrame(db.$client, roundId, stratifyBy)
  } catch (e) {
    if (e instanceof UnusableFrameError) return refuse('form', `${e.message}, so no sample can be drawn from it`)
    throw e
  }
}

export function frameOfDraw(db: Db, draw: SampleDraw): SamplingFrame | Refusal {
  const frame = frameOrRefusal(db, draw.roundId, draw.stratifyBy as Stratification)
  if ('ok' in frame) return frame
  if (frame.sha256 !== draw.populationSha256) {
    return refuse(
      'form',
      'The population has changed since the sample was drawn, so the reserve cases cannot be worked out',
    )
  }
  return frame
}
