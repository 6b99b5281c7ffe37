// Rounds themselves: listing, reading, creating and editing, and the population figures a round
// page shows (the population tables are filled by the import, not here).
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import {
  agencies,
  populationCases,
  populationImports,
  roundAgencies,
  rounds,
  sampleCases,
  sampleDraws,
  users,
  timeLimitOverrides,
  type Edition,
  type FrameworkKind,
} from '../../../schema/index.ts'
import { getItem } from '../../../audits/frameworks/index.ts'
import { reviewerRoles } from '../../../audits/vocabulary.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'

export type Round = typeof rounds.$inferSelect

/** What every list of rounds shows of each: its name, edition, period and stage. */
export const roundHeadColumns = {
  id: rounds.id,
  name: rounds.name,
  framework: rounds.framework,
  edition: rounds.edition,
  periodFrom: rounds.periodFrom,
  periodTo: rounds.periodTo,
  status: rounds.status,
}

export function listRounds(db: Db) {
  return db
    .select({
      ...roundHeadColumns,
      // Written out with table names: drizzle renders a column unqualified in a select's own fields,
      // and a bare "id" inside the subquery binds to the inner table, counting 1 for every round.
      populationCases: sql<number>`(select count(*) from "population_cases" pc where pc."round_id" = "rounds"."id")`,
      sampledCases: sql<number>`(select count(*) from "sample_cases" sc
        where sc."round_id" = "rounds"."id" and sc."status" <> 'replaced')`,
    })
    .from(rounds)
    .orderBy(desc(rounds.periodTo), desc(rounds.id))
    .all()
}

export function getRound(db: Queryable, id: number): Round | undefined {
  return db.select().from(rounds).where(eq(rounds.id, id)).get()
}

/** Who reviews the round's cases: auditors, or the Victims' Advocate in a commissioned-services dip sample. */
export function reviewerRoleOf(db: Queryable, roundId: number) {
  const row = db.select({ framework: rounds.framework }).from(rounds).where(eq(rounds.id, roundId)).get()
  return reviewerRoles[row?.framework ?? 'victims_code']
}

/** The round's agencies in scope, by name. */
export function agenciesInScope(db: Queryable, roundId: number) {
  return db
    .select({ id: agencies.id, name: agencies.name, shortName: agencies.shortName, type: agencies.type })
    .from(roundAgencies)
    .innerJoin(agencies, eq(roundAgencies.agencyId, agencies.id))
    .where(eq(roundAgencies.roundId, roundId))
    .orderBy(asc(agencies.name))
    .all()
}

/** Agencies an admin may put in scope: the active ones, plus any already in this round's scope. */
export function agencyChoices(db: Db, roundId?: number) {
  const inScope = roundId ? agenciesInScope(db, roundId).map((a) => a.id) : []
  return db
    .select({ id: agencies.id, name: agencies.name, active: agencies.active })
    .from(agencies)
    .orderBy(asc(agencies.name))
    .all()
    .filter((a) => a.active || inScope.includes(a.id))
}

export interface RoundInput {
  name: string
  framework: FrameworkKind
  edition: Edition
  periodFrom: string
  periodTo: string
  agencyIds: number[]
  ragGreen: number
  ragAmber: number
  /** A fraction, 0.1 for 10%. */
  moderationShare: number
}

export function createRound(db: Db, scope: Scope, input: RoundInput): number {
  return db.transaction((tx) => {
    const { agencyIds, ...fields } = input
    const row = tx
      .insert(rounds)
      .values({ ...fields, status: 'draft', createdAt: new Date().toISOString(), createdBy: scope.userId })
      .returning({ id: rounds.id })
      .get()
    setScope(tx, row.id, agencyIds)
    recordAudit(db, { actor: actorOf(scope), action: 'round_created', entity: 'round', entityId: row.id, after: input })
    return row.id
  })
}

/**
 * Saves a draft round's details. The edition only heads the report: each case's duties are judged
 * under the Code in force on each trigger date, so overrides of either edition's items stay; a
 * change between the Code and the commissioned-services set removes the other set's overrides.
 */
export function updateRound(db: Db, scope: Scope, id: number, input: RoundInput): { removedOverrides: string[] } {
  return db.transaction((tx) => {
    const round = getRound(tx, id)
    if (!round) throw new Error(`round ${id} vanished inside its own update`)
    const before = { ...roundFields(round), agencyIds: agenciesInScope(tx, id).map((a) => a.id) }
    const { agencyIds, ...fields } = input
    tx.update(rounds).set(fields).where(eq(rounds.id, id)).run()
    setScope(tx, id, agencyIds)
    const removedOverrides = tx
      .select({ itemId: timeLimitOverrides.itemId })
      .from(timeLimitOverrides)
      .where(eq(timeLimitOverrides.roundId, id))
      .all()
      .map((o) => o.itemId)
      .filter((itemId) => getItem(itemId)?.framework !== input.framework)
    if (removedOverrides.length > 0) {
      tx.delete(timeLimitOverrides)
        .where(and(eq(timeLimitOverrides.roundId, id), inArray(timeLimitOverrides.itemId, removedOverrides)))
        .run()
    }
    recordAudit(db, {
      actor: actorOf(scope),
      action: 'round_updated',
      entity: 'round',
      entityId: id,
      before,
      after: { ...input, removedOverrides },
    })
    return { removedOverrides }
  })
}

function setScope(tx: Queryable, roundId: number, agencyIds: readonly number[]): void {
  tx.delete(roundAgencies).where(eq(roundAgencies.roundId, roundId)).run()
  if (agencyIds.length > 0)
    tx.insert(roundAgencies)
      .values(agencyIds.map((agencyId) => ({ roundId, agencyId })))
      .run()
}

export function roundFields(round: Round) {
  const { id: _id, createdAt: _c, createdBy: _b, ...fields } = round
  return fields
}

export function agencyIdsExist(db: Db, ids: readonly number[]): boolean {
  if (ids.length === 0) return true
  const found = db
    .select({ n: sql<number>`count(*)` })
    .from(agencies)
    .where(inArray(agencies.id, [...ids]))
    .get()
  return (found?.n ?? 0) === new Set(ids).size
}

export interface PopulationSummary {
  cases: number
  lastImport: { fileName: string; rows: number; importedAt: string } | null
}

export function populationSummary(db: Queryable, roundId: number): PopulationSummary {
  const count = db
    .select({ n: sql<number>`count(*)` })
    .from(populationCases)
    .where(eq(populationCases.roundId, roundId))
    .get()
  const last = db
    .select({
      fileName: populationImports.fileName,
      rows: populationImports.rows,
      importedAt: populationImports.importedAt,
    })
    .from(populationImports)
    .where(eq(populationImports.roundId, roundId))
    .orderBy(desc(populationImports.importedAt), desc(populationImports.id))
    .limit(1)
    .get()
  return { cases: count?.n ?? 0, lastImport: last ?? null }
}

/** What the round page says about the sample: whether drawn, how big, how far shared out. */
export function sampleSummary(db: Queryable, roundId: number) {
  const draw = db.select().from(sampleDraws).where(eq(sampleDraws.roundId, roundId)).get()
  const counts = db
    .select({
      active: sql<number>`coalesce(sum(case when ${sampleCases.status} <> 'replaced' then 1 else 0 end), 0)`,
      replaced: sql<number>`coalesce(sum(case when ${sampleCases.status} = 'replaced' then 1 else 0 end), 0)`,
      unusable: sql<number>`coalesce(sum(case when ${sampleCases.status} = 'unusable' then 1 else 0 end), 0)`,
      complete: sql<number>`coalesce(sum(case when ${sampleCases.status} = 'complete' then 1 else 0 end), 0)`,
    })
    .from(sampleCases)
    .where(eq(sampleCases.roundId, roundId))
    .get()
  return {
    draw: draw ?? null,
    active: counts?.active ?? 0,
    replaced: counts?.replaced ?? 0,
    unusable: counts?.unusable ?? 0,
    complete: counts?.complete ?? 0,
    unallocated: unallocatedCount(db, roundId),
  }
}

/**
 * Sampled cases (not replaced) that nobody can work on: no reviewer, or one whose account is
 * disabled or who no longer has the round's reviewing role (auditor, or advocate for a dip sample).
 */
export function unallocatedCount(db: Queryable, roundId: number): number {
  const role = reviewerRoleOf(db, roundId)
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(sampleCases)
    .where(
      and(
        eq(sampleCases.roundId, roundId),
        sql`${sampleCases.status} <> 'replaced'`,
        sql`(${sampleCases.auditorId} is null or not exists (select 1 from ${users} where ${users.id} =
          ${sampleCases.auditorId} and ${users.role} = ${role} and ${users.disabled} = 0))`,
      ),
    )
    .get()
  return row?.n ?? 0
}
