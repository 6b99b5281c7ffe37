// The reviewer's worklist: their cases in open rounds (a moderator's, everyone's), in the order
// they work in, with how far each has got counted in SQL.
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm'
import { answers, populationCases, rounds, sampleCases } from '../../../schema/index.ts'
import type { Queryable } from '../../../schema/database.ts'
import type { Edition } from '../../../schema/index.ts'
import { openRoundStatuses, type CaseStatus } from '../../../audits/case-progress.ts'
import type { Scope } from '../../scope.ts'
import type { PopulationFacts } from './facts-form.ts'
import { auditor, populationColumns, withPopulation } from './queries.ts'

export const worklistSorts = ['status', 'ref', 'progress', 'updated'] as const
export type WorklistSort = (typeof worklistSorts)[number]

export interface WorklistFilter {
  status: CaseStatus | null
  sort: WorklistSort
  /** Moderators may look across every auditor's cases, not only their own. */
  everyone: boolean
}

export interface WorklistRow {
  id: number
  status: CaseStatus
  caseRef: string
  district: string
  updatedAt: string
  facts: string | null
  roundId: number
  roundName: string
  edition: Edition
  auditorName: string | null
  answered: number
  population: PopulationFacts
}

// The order a reviewer works in: what came back first, then what is under way, then the rest.
const statusRank = sql<number>`case ${sampleCases.status}
  when 'returned' then 0 when 'in_progress' then 1 when 'not_started' then 2 when 'complete' then 3 else 4 end`

/**
 * Cases in open rounds allocated to this user (or, for a moderator asking, to anyone), with how
 * many obligations have an outcome counted in SQL. Replaced cases have left the sample.
 */
export function worklist(db: Queryable, scope: Scope, filter: WorklistFilter): WorklistRow[] {
  const answered = sql<number>`(select count(*) from ${answers} where ${answers.sampleCaseId} =
    ${sampleCases.id} and ${answers.marker} = 'primary' and ${answers.outcome} is not null)`
  const conditions = [inArray(rounds.status, [...openRoundStatuses]), ne(sampleCases.status, 'replaced')]
  if (!(filter.everyone && scope.role === 'moderator')) conditions.push(eq(sampleCases.auditorId, scope.userId))
  if (filter.status) conditions.push(eq(sampleCases.status, filter.status))
  const order =
    filter.sort === 'ref'
      ? [asc(populationCases.caseRef)]
      : filter.sort === 'updated'
        ? [desc(sampleCases.updatedAt), asc(populationCases.caseRef)]
        : [asc(statusRank), asc(populationCases.caseRef)]
  const rows = db
    .select({
      id: sampleCases.id,
      status: sampleCases.status,
      caseRef: populationCases.caseRef,
      district: populationCases.district,
      updatedAt: sampleCases.updatedAt,
      facts: sampleCases.facts,
      roundId: rounds.id,
      roundName: rounds.name,
      edition: rounds.edition,
      auditorName: auditor.displayName,
      answered,
      ...populationColumns,
    })
    .from(sampleCases)
    .innerJoin(rounds, eq(rounds.id, sampleCases.roundId))
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .leftJoin(auditor, eq(auditor.id, sampleCases.auditorId))
    .where(and(...conditions))
    .orderBy(...order)
    .all()
  return rows.map(withPopulation)
}
