// The drawn sample as pages and the manifest show it: every case ever drawn, in draw order.
import { and, asc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { populationCases, sampleCases, users } from '../../../schema/index.ts'
import type { Queryable } from '../../../schema/database.ts'
import { WHOLE_POPULATION, type Stratification } from '../../../audits/sample-plan.ts'

/** What every list of sampled cases shows of each: its reference and its place in the draw. */
export const sampledCaseColumns = {
  id: sampleCases.id,
  caseRef: populationCases.caseRef,
  stratum: sampleCases.stratum,
  drawPosition: sampleCases.drawPosition,
  status: sampleCases.status,
}

/** By stratum, then place in the stratum's seeded order. */
export const drawOrder = [asc(sampleCases.stratum), asc(sampleCases.drawPosition)]

const replaced = alias(sampleCases, 'replaced')
const replacedCase = alias(populationCases, 'replaced_case')

/** Every drawn case, replaced ones included, by stratum and place in the stratum's order. */
export function sampleRows(db: Queryable, roundId: number) {
  return db
    .select({
      ...sampledCaseColumns,
      replacesRef: replacedCase.caseRef,
      replacementReason: sampleCases.replacementReason,
      unusableReason: sampleCases.unusableReason,
      auditorName: users.displayName,
      auditorEmail: users.email,
    })
    .from(sampleCases)
    .innerJoin(populationCases, eq(sampleCases.populationCaseId, populationCases.id))
    .leftJoin(replaced, eq(sampleCases.replacesId, replaced.id))
    .leftJoin(replacedCase, eq(replaced.populationCaseId, replacedCase.id))
    .leftJoin(users, eq(sampleCases.auditorId, users.id))
    .where(eq(sampleCases.roundId, roundId))
    .orderBy(...drawOrder)
    .all()
}

export type SampleRow = ReturnType<typeof sampleRows>[number]

/** Per stratum: cases in the sample now, replaced, and the furthest place of the order used. */
export function stratumProgress(db: Queryable, roundId: number) {
  return db
    .select({
      stratum: sampleCases.stratum,
      active: sql<number>`sum(case when ${sampleCases.status} <> 'replaced' then 1 else 0 end)`,
      replaced: sql<number>`sum(case when ${sampleCases.status} = 'replaced' then 1 else 0 end)`,
      used: sql<number>`max(${sampleCases.drawPosition}) + 1`,
    })
    .from(sampleCases)
    .where(eq(sampleCases.roundId, roundId))
    .groupBy(sampleCases.stratum)
    .all()
}

export function sampleCase(db: Queryable, roundId: number, sampleCaseId: number) {
  return db
    .select({
      ...sampledCaseColumns,
      unusableReason: sampleCases.unusableReason,
      auditorName: users.displayName,
    })
    .from(sampleCases)
    .innerJoin(populationCases, eq(sampleCases.populationCaseId, populationCases.id))
    .leftJoin(users, eq(sampleCases.auditorId, users.id))
    .where(and(eq(sampleCases.roundId, roundId), eq(sampleCases.id, sampleCaseId)))
    .get()
}

/** Population per stratum, counted in SQL. */
export function strataCounts(
  db: Queryable,
  roundId: number,
  stratifyBy: Stratification,
): { key: string; population: number }[] {
  if (stratifyBy === 'none') {
    const n =
      db.select({ n: sql<number>`count(*)` }).from(populationCases).where(eq(populationCases.roundId, roundId)).get()
        ?.n ?? 0
    return n > 0 ? [{ key: WHOLE_POPULATION, population: n }] : []
  }
  const column = stratifyBy === 'district' ? populationCases.district : populationCases.offenceGroup
  return db
    .select({ key: column, population: sql<number>`count(*)` })
    .from(populationCases)
    .where(eq(populationCases.roundId, roundId))
    .groupBy(column)
    .all()
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}
