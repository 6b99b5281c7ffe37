// Whether a round's population may be (re)placed, and what it holds now. Used by the import
// page, the importer before it reads a file, and again inside the write transaction.
import { desc, eq, sql } from 'drizzle-orm'
import {
  populationCases,
  populationImports,
  rounds,
  sampleCases,
  sampleDraws,
  users,
  type RoundStatus,
} from '../../schema/index.ts'
import type { Queryable } from '../../schema/database.ts'
import { roundStatusLabels } from '../labels.ts'

export interface LastImport {
  id: number
  fileName: string
  fileSha256: string
  rows: number
  importedAt: string
  importedBy: string | null
}

export interface RoundPopulationState {
  id: number
  name: string
  status: RoundStatus
  periodFrom: string
  periodTo: string
  cases: number
  lastImport: LastImport | null
  /** A draw exists, or cases were already taken into the sample. */
  drawn: boolean
}

const openStatuses: readonly RoundStatus[] = ['draft', 'sampling']

export function roundPopulationState(db: Queryable, roundId: number): RoundPopulationState | undefined {
  const round = db
    .select({
      id: rounds.id,
      name: rounds.name,
      status: rounds.status,
      periodFrom: rounds.periodFrom,
      periodTo: rounds.periodTo,
    })
    .from(rounds)
    .where(eq(rounds.id, roundId))
    .get()
  if (!round) return undefined
  const lastImport =
    db
      .select({
        id: populationImports.id,
        fileName: populationImports.fileName,
        fileSha256: populationImports.fileSha256,
        rows: populationImports.rows,
        importedAt: populationImports.importedAt,
        importedBy: users.displayName,
      })
      .from(populationImports)
      .leftJoin(users, eq(users.id, populationImports.importedBy))
      .where(eq(populationImports.roundId, roundId))
      .orderBy(desc(populationImports.id))
      .limit(1)
      .get() ?? null
  const counts = db
    .select({
      cases: sql<number>`(select count(*) from ${populationCases} where ${populationCases.roundId} = ${roundId})`,
      drawn: sql<number>`(select count(*) from ${sampleDraws} where ${sampleDraws.roundId} = ${roundId}) +
        (select count(*) from ${sampleCases} where ${sampleCases.roundId} = ${roundId})`,
    })
    .from(sql`(select 1)`)
    .get()
  return { ...round, lastImport, cases: counts?.cases ?? 0, drawn: (counts?.drawn ?? 0) > 0 }
}

/** Why a new population may not go into this round now, or null when it may. */
export function replaceRefusal(state: Pick<RoundPopulationState, 'status' | 'drawn'>): string | null {
  if (state.drawn) return 'The population of this round cannot be changed: a sample has already been drawn from it.'
  if (!openStatuses.includes(state.status)) {
    return (
      `The population of this round cannot be changed: the round is at the ` +
      `${roundStatusLabels[state.status]?.toLowerCase() ?? state.status} stage. A population can only be ` +
      `imported while a round is in draft or sampling.`
    )
  }
  return null
}
