// Reads for moderation: the cases chosen for second marking, the paired answers behind the
// agreement report, what still stands between a round and publication, and each user's worklist.
// First marks are only ever read here for cases whose second marking is complete.
import { sql } from 'drizzle-orm'
import type { Queryable } from '../../../schema/database.ts'
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
// The obligations both markers answered differently, in the case of moderation_cases row mc.
const DIFFERING = `FROM answers p
    JOIN answers s ON s.sample_case_id = p.sample_case_id AND s.obligation_key = p.obligation_key
      AND s.marker = 'second'
   WHERE p.sample_case_id = mc.sample_case_id AND p.marker = 'primary' AND mc.second_completed_at IS NOT NULL
     AND p.outcome IS NOT NULL AND s.outcome IS NOT NULL AND p.outcome <> s.outcome`
const DISAGREEMENTS = sql.raw(`(SELECT count(*) ${DIFFERING})`)
const UNRESOLVED = sql.raw(`(SELECT count(*) ${DIFFERING}
     AND NOT EXISTS (SELECT 1 FROM answers m WHERE m.sample_case_id = p.sample_case_id
       AND m.obligation_key = p.obligation_key AND m.marker = 'moderator' AND m.outcome IS NOT NULL))`)

type SelectedRow = Omit<SelectedCase, 'factsAgree' | 'factsResolved'> & {
  factsAgree: number | null
  factsResolved: number
}

function selectedWhere(db: Queryable, where: ReturnType<typeof sql>): SelectedCase[] {
  const rows = db.all<SelectedRow>(sql`
    SELECT mc.id, mc.sample_case_id AS sampleCaseId, pc.case_ref AS caseRef, mc.reason, mc.note,
           sc.auditor_id AS auditorId, au.display_name AS auditorName,
           mc.second_marker_id AS secondMarkerId, sm.display_name AS secondMarkerName,
           mc.second_completed_at AS secondCompletedAt,
           mc.facts_agree AS factsAgree, mc.facts_resolved_at IS NOT NULL AS factsResolved,
           ${DISAGREEMENTS} AS disagreements, ${UNRESOLVED} AS unresolved
    FROM moderation_cases mc
    JOIN sample_cases sc ON sc.id = mc.sample_case_id
    JOIN population_cases pc ON pc.id = sc.population_case_id
    LEFT JOIN users au ON au.id = sc.auditor_id
    LEFT JOIN users sm ON sm.id = mc.second_marker_id
    WHERE ${where}
    ORDER BY pc.case_ref`)
  return rows.map((r) => ({
    ...r,
    factsAgree: r.factsAgree === null ? null : Boolean(r.factsAgree),
    factsResolved: Boolean(r.factsResolved),
  }))
}

export function selectedCases(db: Queryable, roundId: number): SelectedCase[] {
  return selectedWhere(db, sql`mc.round_id = ${roundId}`)
}

export function selectedCase(db: Queryable, sampleCaseId: number): SelectedCase | undefined {
  return selectedWhere(db, sql`mc.sample_case_id = ${sampleCaseId}`)[0]
}

/** Completed cases of the round not (yet) chosen: what a moderator may add. */
export function addableCases(db: Queryable, roundId: number): Array<{ id: number; caseRef: string }> {
  return db.all(sql`
    SELECT sc.id, pc.case_ref AS caseRef FROM sample_cases sc JOIN population_cases pc ON pc.id = sc.population_case_id
    WHERE sc.round_id = ${roundId} AND sc.status = 'complete' AND sc.auditor_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM moderation_cases mc WHERE mc.sample_case_id = sc.id)
    ORDER BY pc.case_ref`)
}

/** Completed cases with who first-marked them and whether they flagged it unsure. */
export function selectionCandidates(
  db: Queryable,
  roundId: number,
): Array<{ id: number; ref: string; auditorId: number; unsure: boolean }> {
  return db
    .all<{ id: number; ref: string; auditorId: number; unsure: number }>(sql`
      SELECT sc.id, pc.case_ref AS ref, sc.auditor_id AS auditorId, sc.unsure FROM sample_cases sc JOIN
        population_cases pc ON pc.id = sc.population_case_id
      WHERE sc.round_id = ${roundId} AND sc.status = 'complete' AND sc.auditor_id IS NOT NULL`)
    .map((r) => ({ ...r, unsure: Boolean(r.unsure) }))
}

/** People who may second-mark a case: active moderators and auditors, never its own auditor. */
export function secondMarkerChoices(db: Queryable): Array<{ id: number; name: string; role: string }> {
  return db.all(
    sql`SELECT id, display_name AS name, role FROM users WHERE disabled = 0 AND role IN ('moderator', 'auditor')
      ORDER BY role DESC, display_name`,
  )
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

/** Every obligation both markers answered, in cases whose second marking is complete. */
export function pairedAnswers(db: Queryable, roundId: number): PairedAnswer[] {
  return db.all<PairedAnswer>(sql`
    SELECT mc.sample_case_id AS sampleCaseId, pc.case_ref AS caseRef,
           coalesce(au.display_name, '') AS auditorName, coalesce(sm.display_name, '') AS secondMarkerName,
           p.obligation_key AS obligationKey, p.item_id AS itemId,
           coalesce(fi.title, p.item_id) AS itemTitle, coalesce(fi.theme, '') AS theme,
           p.outcome AS first, s.outcome AS second, m.outcome AS final, m.note AS finalReason,
           mu.display_name AS finalBy, m.updated_at AS finalAt
    FROM moderation_cases mc
    JOIN sample_cases sc ON sc.id = mc.sample_case_id
    JOIN population_cases pc ON pc.id = sc.population_case_id
    JOIN answers p ON p.sample_case_id = mc.sample_case_id AND p.marker = 'primary' AND p.outcome IS NOT NULL
    JOIN answers s ON s.sample_case_id = p.sample_case_id AND s.obligation_key = p.obligation_key AND s.marker =
      'second' AND s.outcome IS NOT NULL
    LEFT JOIN answers m ON m.sample_case_id = p.sample_case_id AND m.obligation_key = p.obligation_key AND
      m.marker = 'moderator'
    LEFT JOIN users mu ON mu.id = m.updated_by
    LEFT JOIN users au ON au.id = sc.auditor_id
    LEFT JOIN users sm ON sm.id = mc.second_marker_id
    LEFT JOIN framework_items fi ON fi.id = p.item_id
    WHERE mc.round_id = ${roundId} AND mc.second_completed_at IS NOT NULL
    ORDER BY pc.case_ref, p.obligation_key`)
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
  const rounds = db.all<{ id: number; name: string }>(
    sql`SELECT id, name FROM rounds WHERE status = 'moderation' ORDER BY id`,
  )
  const work: ModerationWork = { toMark: [], toResolve: [] }
  for (const r of rounds) {
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
  const rows = db.all<{ id: number }>(
    sql`SELECT sample_case_id AS id FROM moderation_cases WHERE second_marker_id = ${userId} AND
      second_completed_at IS NULL`,
  )
  return new Set(rows.map((r) => r.id))
}

export function blindCaseRefs(db: Queryable, userId: number): Set<string> {
  const rows = db.all<{
    ref: string
  }>(sql`SELECT pc.case_ref AS ref FROM moderation_cases mc JOIN sample_cases sc ON sc.id = mc.sample_case_id
    JOIN population_cases pc ON pc.id = sc.population_case_id
    WHERE mc.second_marker_id = ${userId} AND mc.second_completed_at IS NULL`)
  return new Set(rows.map((r) => r.ref))
}

/** What the second marker found about the facts, and how the moderator settled it. */
export function factsNoteOf(
  db: Queryable,
  sampleCaseId: number,
): { note: string | null; resolution: string | null; resolvedAt: string | null } | undefined {
  return db.get(
    sql`SELECT facts_note AS note, facts_resolution AS resolution, facts_resolved_at AS resolvedAt FROM
      moderation_cases WHERE sample_case_id = ${sampleCaseId}`,
  )
}
