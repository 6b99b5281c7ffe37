// Which rounds, agencies and sample designs a user may see scores for. Agency users are confined
// to their own agency in SQL, and only admins and moderators see rounds before publication.
import { and, asc, desc, eq, inArray, isNotNull, notInArray, or, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import {
  agencies,
  roundAgencies,
  rounds,
  sampleCases,
  sampleDraws,
  timeLimitOverrides as overrides,
  frameworkItems,
} from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import type { FrameworkKind } from '../../../audits/vocabulary.ts'
import { caseFactsSchema, type CaseFacts } from '../../../audits/case-facts.ts'
import { agencyRestriction, isPublished, publishedStages, seesUnpublished } from '../../access.ts'
import { roundHeadColumns, type Round } from '../rounds/queries.ts'
import type { Scope } from '../../scope.ts'

/** A round as the scores pages show it: the round, and whether its figures are still provisional. */
export type ScoreRound = Pick<
  Round,
  'id' | 'name' | 'framework' | 'edition' | 'periodFrom' | 'periodTo' | 'status' | 'ragGreen' | 'ragAmber'
> & {
  /** Not yet published: shown only to admins and moderators, marked provisional. */
  provisional: boolean
}

const roundColumns = {
  ...roundHeadColumns,
  ragGreen: rounds.ragGreen,
  ragAmber: rounds.ragAmber,
}

const toRound = (r: Omit<ScoreRound, 'provisional'>): ScoreRound => ({ ...r, provisional: !isPublished(r.status) })

const published = inArray(rounds.status, [...publishedStages])

function visibility(scope: Scope): SQL | undefined {
  return seesUnpublished(scope) ? undefined : published
}

/**
 * Rounds the user may see, oldest period first (the order of a trend); only those auditing
 * `framework` when it is given (trends and an agency's home follow the Code; a dip sample of
 * commissioned services measures the services).
 */
export function visibleRounds(db: Db, scope: Scope, framework?: FrameworkKind): ScoreRound[] {
  return db
    .select(roundColumns)
    .from(rounds)
    .where(framework ? and(visibility(scope), eq(rounds.framework, framework)) : visibility(scope))
    .orderBy(asc(rounds.periodFrom), asc(rounds.periodTo), asc(rounds.id))
    .all()
    .map(toRound)
}

export function findRound(db: Db, scope: Scope, id: number): ScoreRound | undefined {
  const row = db
    .select(roundColumns)
    .from(rounds)
    .where(and(eq(rounds.id, id), visibility(scope)))
    .get()
  return row ? toRound(row) : undefined
}

/**
 * The two latest published Victims' Code rounds, newest first: what the partnership summary
 * compares (a commissioned-services dip sample measures something else).
 */
export function latestPublishedRounds(db: Db): ScoreRound[] {
  return db
    .select(roundColumns)
    .from(rounds)
    .where(and(published, eq(rounds.framework, 'victims_code')))
    .orderBy(desc(rounds.periodTo), desc(rounds.periodFrom), desc(rounds.id))
    .limit(2)
    .all()
    .map(toRound)
}

export interface ScoreAgency {
  id: number
  name: string
  shortName: string
  type: string
}

const agencyColumns = { id: agencies.id, name: agencies.name, shortName: agencies.shortName, type: agencies.type }

function ownAgencyOnly(scope: Scope): SQL | undefined {
  const own = agencyRestriction(scope)
  return own === null ? undefined : eq(agencies.id, own)
}

/**
 * Agencies to show for a round: those in its scope plus any others its answers count towards,
 * confined to the user's own agency where the role requires it.
 */
export function roundAgencyList(db: Db, scope: Scope, roundId: number, withAnswers: readonly number[]): ScoreAgency[] {
  const inScope = db
    .select({ id: roundAgencies.agencyId })
    .from(roundAgencies)
    .where(eq(roundAgencies.roundId, roundId))
  return db
    .select(agencyColumns)
    .from(agencies)
    .where(and(or(inArray(agencies.id, inScope), inArray(agencies.id, [...withAnswers])), ownAgencyOnly(scope)))
    .orderBy(asc(agencies.name))
    .all()
}

/** Agencies offered as a trend filter: every agency, or only the user's own. */
export function agencyOptions(db: Db, scope: Scope): ScoreAgency[] {
  return db.select(agencyColumns).from(agencies).where(ownAgencyOnly(scope)).orderBy(asc(agencies.name)).all()
}

/** One agency the user may see, or undefined (the caller answers 404). */
export function findAgency(db: Db, scope: Scope, id: number): ScoreAgency | undefined {
  return db
    .select(agencyColumns)
    .from(agencies)
    .where(and(eq(agencies.id, id), ownAgencyOnly(scope)))
    .get()
}

const strataSchema = z.array(
  z.object({
    key: z.string(),
    population: z.number().int().nonnegative(),
    take: z.number().int().nonnegative().optional(),
  }),
)

export interface SampleDesign {
  stratifyBy: string
  allocation: string
  marginOfError: number
  confidence: number
  seed: string
  drawnAt: string
  strata: { key: string; population: number; take: number | null }[]
  /** Stratified and with readable stratum populations: the weighted estimate can be shown. */
  weighted: boolean
}

export function sampleDesign(db: Db, roundId: number): SampleDesign | null {
  const row = db.select().from(sampleDraws).where(eq(sampleDraws.roundId, roundId)).get()
  if (!row) return null
  let strata: SampleDesign['strata'] = []
  try {
    const parsed = strataSchema.safeParse(JSON.parse(row.strata))
    if (parsed.success)
      strata = parsed.data.map((s) => ({ key: s.key, population: s.population, take: s.take ?? null }))
  } catch {
    // A manifest we cannot read means no weighting, not a failed page.
  }
  return {
    stratifyBy: row.stratifyBy,
    allocation: row.allocation,
    marginOfError: row.marginOfError,
    confidence: row.confidence,
    seed: row.seed,
    drawnAt: row.drawnAt,
    strata,
    weighted: row.stratifyBy !== 'none' && strata.length > 1,
  }
}

export interface CaseCounts {
  /** Sampled cases, replacements included, not counting the ones replaced or unusable. */
  counted: number
  /** Of those, cases with at least one answer: the ones whose answers are in the figures. */
  answered: number
  complete: number
  replaced: number
  unusable: number
  /** Answered cases per stratum, for the weighted estimate. */
  answeredByStratum: Map<string, number>
}

export function caseCounts(db: Db, roundId: number): CaseCounts {
  // Raw SQL: a roll-up with a CTE and a grand-total row, which the query builder cannot express.
  // One row per stratum and a last row (stratum null) for the whole round.
  const rows = db.all<{
    stratum: string | null
    counted: number
    answered: number
    complete: number
    replaced: number
    unusable: number
  }>(sql`
    WITH c AS (
      SELECT sc.stratum, sc.status NOT IN ('replaced', 'unusable') AS counted, sc.status,
             EXISTS (SELECT 1 FROM answers a WHERE a.sample_case_id = sc.id AND a.outcome IS NOT NULL) AS answered
      FROM sample_cases sc WHERE sc.round_id = ${roundId})
    SELECT stratum, sum(counted) AS counted, sum(counted AND answered) AS answered, sum(status = 'complete') AS
      complete,
           sum(status = 'replaced') AS replaced, sum(status = 'unusable') AS unusable
    FROM c GROUP BY stratum
    UNION ALL
    SELECT NULL, coalesce(sum(counted), 0), coalesce(sum(counted AND answered), 0), coalesce(sum(status =
      'complete'), 0),
           coalesce(sum(status = 'replaced'), 0), coalesce(sum(status = 'unusable'), 0)
    FROM c`)
  const total = rows.find((r) => r.stratum === null)
  return {
    counted: total?.counted ?? 0,
    answered: total?.answered ?? 0,
    complete: total?.complete ?? 0,
    replaced: total?.replaced ?? 0,
    unusable: total?.unusable ?? 0,
    answeredByStratum: new Map(rows.flatMap((r) => (r.stratum === null ? [] : [[r.stratum, r.answered] as const]))),
  }
}

export interface TimeLimitOverride {
  itemId: string
  title: string | null
  standardDays: number | null
  enhancedDays: number | null
  reason: string
}

export function timeLimitOverrides(db: Db, roundId: number): TimeLimitOverride[] {
  return db
    .select({
      itemId: overrides.itemId,
      title: frameworkItems.title,
      standardDays: overrides.standardDays,
      enhancedDays: overrides.enhancedDays,
      reason: overrides.reason,
    })
    .from(overrides)
    .leftJoin(frameworkItems, eq(frameworkItems.id, overrides.itemId))
    .where(eq(overrides.roundId, roundId))
    .orderBy(asc(overrides.itemId))
    .all()
}

/**
 * The saved case facts of a round's counted cases (not replaced or unusable), for checks the SQL
 * cannot make such as the recorded enhanced flag against the computed status. Facts that no
 * longer read are left out.
 */
export function countedCaseFacts(db: Db, roundId: number): CaseFacts[] {
  const rows = db
    .select({ facts: sampleCases.facts })
    .from(sampleCases)
    .where(
      and(
        eq(sampleCases.roundId, roundId),
        notInArray(sampleCases.status, ['replaced', 'unusable']),
        isNotNull(sampleCases.facts),
      ),
    )
    .all()
  return rows.flatMap((r) => {
    try {
      const parsed = caseFactsSchema.safeParse(JSON.parse(r.facts ?? 'null'))
      return parsed.success ? [parsed.data] : []
    } catch {
      return []
    }
  })
}
