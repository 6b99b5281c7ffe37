// Which rounds, agencies and sample designs a user may see scores for. Agency users are confined
// to their own agency in SQL, and only admins and moderators see rounds before publication.
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../../schema/database.ts'
import type { Edition } from '../../../audits/frameworks/index.ts'
import { caseFactsSchema } from '../../../audits/case-facts.ts'
import type { CaseFacts } from '../../../audits/case-facts.ts'
import { agencyRestriction, type Scope } from '../../scope.ts'

export interface ScoreRound {
  id: number
  name: string
  edition: Edition
  periodFrom: string
  periodTo: string
  status: string
  ragGreen: number
  ragAmber: number
  /** Not yet published: shown only to admins and moderators, marked provisional. */
  provisional: boolean
}

const PUBLISHED = ['published', 'archived'] as const

/** Admins and moderators follow a round through fieldwork; everyone else sees published ones. */
export function seesUnpublished(scope: Scope): boolean {
  return scope.role === 'admin' || scope.role === 'moderator'
}

function visibility(scope: Scope) {
  return seesUnpublished(scope) ? sql`1 = 1` : sql`status IN ('published', 'archived')`
}

interface RoundRow {
  id: number
  name: string
  edition: Edition
  period_from: string
  period_to: string
  status: string
  rag_green: number
  rag_amber: number
}

function toRound(r: RoundRow): ScoreRound {
  return {
    id: r.id,
    name: r.name,
    edition: r.edition,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    status: r.status,
    ragGreen: r.rag_green,
    ragAmber: r.rag_amber,
    provisional: !(PUBLISHED as readonly string[]).includes(r.status),
  }
}

const roundColumns = sql`id, name, edition, period_from, period_to, status, rag_green, rag_amber`

/** Rounds the user may see, oldest period first (the order of a trend). */
export function visibleRounds(db: Db, scope: Scope): ScoreRound[] {
  return db
    .all<RoundRow>(sql`SELECT ${roundColumns} FROM rounds WHERE ${visibility(scope)} ORDER BY period_from, period_to, id`)
    .map(toRound)
}

export function findRound(db: Db, scope: Scope, id: number): ScoreRound | undefined {
  const row = db.get<RoundRow | undefined>(sql`SELECT ${roundColumns} FROM rounds WHERE id = ${id} AND ${visibility(scope)}`)
  return row ? toRound(row) : undefined
}

/** The two latest published rounds, newest first: what the partnership summary compares. */
export function latestPublishedRounds(db: Db): ScoreRound[] {
  return db
    .all<RoundRow>(sql`SELECT ${roundColumns} FROM rounds WHERE status IN ('published', 'archived') ORDER BY period_to DESC, period_from DESC, id DESC LIMIT 2`)
    .map(toRound)
}

export interface ScoreAgency {
  id: number
  name: string
  shortName: string
  type: string
}

/**
 * Agencies to show for a round: those in its scope plus any others its answers count towards,
 * confined to the user's own agency where the role requires it.
 */
export function roundAgencyList(db: Db, scope: Scope, roundId: number, withAnswers: readonly number[]): ScoreAgency[] {
  const own = agencyRestriction(scope)
  const ids = withAnswers.length > 0 ? sql.join(withAnswers.map((id) => sql`${id}`), sql`, `) : sql`NULL`
  return db.all<ScoreAgency>(sql`
    SELECT id, name, short_name AS shortName, type FROM agencies
    WHERE (id IN (SELECT agency_id FROM round_agencies WHERE round_id = ${roundId}) OR id IN (${ids}))
      ${own === null ? sql`` : sql`AND id = ${own}`}
    ORDER BY name`)
}

/** Agencies offered as a trend filter: every agency, or only the user's own. */
export function agencyOptions(db: Db, scope: Scope): ScoreAgency[] {
  const own = agencyRestriction(scope)
  return db.all<ScoreAgency>(sql`
    SELECT id, name, short_name AS shortName, type FROM agencies
    ${own === null ? sql`` : sql`WHERE id = ${own}`}
    ORDER BY name`)
}

/** One agency the user may see, or undefined (the caller answers 404). */
export function findAgency(db: Db, scope: Scope, id: number): ScoreAgency | undefined {
  const own = agencyRestriction(scope)
  if (own !== null && own !== id) return undefined
  return db.get<ScoreAgency | undefined>(sql`SELECT id, name, short_name AS shortName, type FROM agencies WHERE id = ${id}`)
}

const strataSchema = z.array(z.object({ key: z.string(), population: z.number().int().nonnegative(), take: z.number().int().nonnegative().optional() }))

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
  const row = db.get<
    | { stratify_by: string; allocation: string; margin_of_error: number; confidence: number; seed: string; drawn_at: string; strata: string }
    | undefined
  >(sql`SELECT stratify_by, allocation, margin_of_error, confidence, seed, drawn_at, strata FROM sample_draws WHERE round_id = ${roundId}`)
  if (!row) return null
  let strata: SampleDesign['strata'] = []
  try {
    const parsed = strataSchema.safeParse(JSON.parse(row.strata))
    if (parsed.success) strata = parsed.data.map((s) => ({ key: s.key, population: s.population, take: s.take ?? null }))
  } catch {
    // A manifest we cannot read means no weighting, not a failed page.
  }
  return {
    stratifyBy: row.stratify_by,
    allocation: row.allocation,
    marginOfError: row.margin_of_error,
    confidence: row.confidence,
    seed: row.seed,
    drawnAt: row.drawn_at,
    strata,
    weighted: row.stratify_by !== 'none' && strata.length > 1,
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
  // One row per stratum and a last row (stratum null) for the whole round.
  const rows = db.all<{ stratum: string | null; counted: number; answered: number; complete: number; replaced: number; unusable: number }>(sql`
    WITH c AS (
      SELECT sc.stratum, sc.status NOT IN ('replaced', 'unusable') AS counted, sc.status,
             EXISTS (SELECT 1 FROM answers a WHERE a.sample_case_id = sc.id AND a.outcome IS NOT NULL) AS answered
      FROM sample_cases sc WHERE sc.round_id = ${roundId})
    SELECT stratum, sum(counted) AS counted, sum(counted AND answered) AS answered, sum(status = 'complete') AS complete,
           sum(status = 'replaced') AS replaced, sum(status = 'unusable') AS unusable
    FROM c GROUP BY stratum
    UNION ALL
    SELECT NULL, coalesce(sum(counted), 0), coalesce(sum(counted AND answered), 0), coalesce(sum(status = 'complete'), 0),
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
  return db.all<TimeLimitOverride>(sql`
    SELECT o.item_id AS itemId, fi.title AS title, o.standard_days AS standardDays, o.enhanced_days AS enhancedDays, o.reason AS reason
    FROM time_limit_overrides o LEFT JOIN framework_items fi ON fi.id = o.item_id
    WHERE o.round_id = ${roundId}
    ORDER BY o.item_id`)
}

/**
 * The saved case facts of a round's counted cases (not replaced or unusable), for checks the SQL
 * cannot make such as the recorded enhanced flag against the computed status. Facts that no
 * longer read are left out.
 */
export function countedCaseFacts(db: Db, roundId: number): CaseFacts[] {
  const rows = db.all<{ facts: string }>(sql`
    SELECT facts FROM sample_cases
    WHERE round_id = ${roundId} AND status NOT IN ('replaced', 'unusable') AND facts IS NOT NULL`)
  return rows.flatMap((r) => {
    try {
      const parsed = caseFactsSchema.safeParse(JSON.parse(r.facts))
      return parsed.success ? [parsed.data] : []
    } catch {
      return []
    }
  })
}
