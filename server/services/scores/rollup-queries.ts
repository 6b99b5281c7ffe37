// The counting behind every score, done in SQL. Two common table expressions pick the answers
// that count (see `effectiveAnswers`); a round's answers are counted once into fine groups
// (agency × item × stratum) and every roll-up level a page needs is a GROUP BY over those,
// UNIONed into one statement.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import type { OutcomeCounts, TimelinessCounts } from '../../../audits/scoring.ts'
import { parseDayList } from '../../../audits/scoring.ts'
import { memoised } from './memo.ts'

/**
 * The answers that count towards scores, as two common table expressions, `cases` and `eff`:
 * - of sampled cases that were neither replaced nor found unusable, whatever their progress
 *   (a case's answered obligations count as soon as they are answered);
 * - answered (an outcome chosen) and attributed to an agency;
 * - where a moderator has answered the same obligation, the moderator's answer instead of the
 *   auditor's: moderation resolves disagreements. A blind second marking ('second') never counts
 *   itself; where it differs, the moderator's resolution does.
 * `timely` is 1 on time, 0 late, null where timeliness does not apply (no time limit, or no
 * evidence date to judge by); an override recorded by the auditor wins over the computed delay.
 *
 * Speed: `cases` notes once per case whether it has any moderator answer, so the per-answer
 * look-up of a moderator's counterpart (an index probe) runs only in the cases that were
 * moderated. Answers are reached from each case through answers_case_marker_key.
 * `roundFilter` is a condition on `sc` (sample_cases); `extra` one on `a` (answers) and `c`.
 * `drive` 'answers' starts from answers_agency_item instead: much the faster way when one
 * agency's answers are wanted across many rounds (a trend), and `extra` should then include
 * a plain `a.item_id IN (…)` where items are filtered, so the index's second column is used.
 */
export function effectiveAnswers(
  roundFilter: SQL,
  agencyId: number | null,
  extra: SQL = sql``,
  drive: 'cases' | 'answers' = 'cases',
): SQL {
  const from =
    drive === 'answers' && agencyId !== null
      ? sql`FROM answers a CROSS JOIN cases c ON c.id = a.sample_case_id`
      : sql`FROM cases c CROSS JOIN answers a ON a.sample_case_id = c.id`
  return sql`
    cases AS MATERIALIZED (
      SELECT sc.id, sc.round_id, sc.stratum,
             EXISTS (SELECT 1 FROM answers m WHERE m.sample_case_id = sc.id AND m.marker = 'moderator') AS moderated
      FROM sample_cases sc
      WHERE ${roundFilter} AND sc.status NOT IN ('replaced', 'unusable')),
    eff AS (
      SELECT c.id AS case_id, a.id AS answer_id, c.round_id, c.stratum, a.agency_id, a.item_id, a.outcome,
             a.marker, a.days_late,
             CASE WHEN a.outcome = 'not_applicable' THEN NULL
                  WHEN a.timeliness_override = 'on_time' THEN 1
                  WHEN a.timeliness_override = 'late' THEN 0
                  WHEN a.days_late IS NULL THEN NULL
                  WHEN a.days_late = 0 THEN 1 ELSE 0 END AS timely
      ${from}
      WHERE a.outcome IS NOT NULL
        AND a.marker <> 'second'
        AND a.agency_id IS NOT NULL
        ${agencyId === null ? sql`` : sql`AND a.agency_id = ${agencyId}`}
        ${extra}
        AND (c.moderated = 0 OR a.marker = 'moderator' OR NOT EXISTS (
          SELECT 1 FROM answers m
          WHERE m.sample_case_id = a.sample_case_id AND m.marker = 'moderator'
            AND m.obligation_key = a.obligation_key AND m.outcome IS NOT NULL)))`
}

const COUNT_SQL = `
  coalesce(sum(outcome = 'met'), 0) AS met,
  coalesce(sum(outcome = 'partially_met'), 0) AS partial,
  coalesce(sum(outcome = 'not_met'), 0) AS not_met,
  coalesce(sum(outcome = 'not_evidenced'), 0) AS not_evidenced,
  coalesce(sum(outcome = 'not_applicable'), 0) AS not_applicable,
  coalesce(sum(timely = 1), 0) AS on_time,
  coalesce(sum(timely = 0), 0) AS late,
  group_concat(CASE WHEN timely = 0 AND days_late > 0 THEN days_late END) AS late_days`

// The same counts re-added from finer groups (group_concat skips groups with no late days).
const SUM_SQL = `
  coalesce(sum(met), 0) AS met,
  coalesce(sum(partial), 0) AS partial,
  coalesce(sum(not_met), 0) AS not_met,
  coalesce(sum(not_evidenced), 0) AS not_evidenced,
  coalesce(sum(not_applicable), 0) AS not_applicable,
  coalesce(sum(on_time), 0) AS on_time,
  coalesce(sum(late), 0) AS late,
  group_concat(late_days) AS late_days`

/** Outcome and timeliness counts over `eff`, for any GROUP BY. */
export const countColumns = sql.raw(COUNT_SQL)

export interface CountRow {
  met: number
  partial: number
  not_met: number
  not_evidenced: number
  not_applicable: number
  on_time: number
  late: number
  late_days: string | null
}

export interface Counts {
  outcomes: OutcomeCounts
  timeliness: TimelinessCounts
}

export function toCounts(r: CountRow | undefined): Counts {
  return {
    outcomes: {
      met: r?.met ?? 0,
      partial: r?.partial ?? 0,
      notMet: r?.not_met ?? 0,
      notEvidenced: r?.not_evidenced ?? 0,
      notApplicable: r?.not_applicable ?? 0,
    },
    timeliness: { onTime: r?.on_time ?? 0, late: r?.late ?? 0, lateDays: parseDayList(r?.late_days) },
  }
}

export const emptyCounts: Counts = toCounts(undefined)

// Each level: which agency it belongs to (null = partnership-wide), what it is keyed by, and
// the GROUP BY over `f` (the fine groups with their item's theme, Right and MoJ measure).
// Constant SQL, chosen by name, never built from input.
const levels = {
  agency: { agency: 'agency_id', key: 'NULL', where: '', group: 'GROUP BY agency_id' },
  agency_theme: {
    agency: 'agency_id',
    key: 'theme',
    where: 'WHERE theme IS NOT NULL',
    group: 'GROUP BY agency_id, theme',
  },
  agency_grp: { agency: 'agency_id', key: 'grp', where: 'WHERE grp IS NOT NULL', group: 'GROUP BY agency_id, grp' },
  agency_item: { agency: 'agency_id', key: 'item_id', where: '', group: 'GROUP BY agency_id, item_id' },
  agency_stratum: { agency: 'agency_id', key: 'stratum', where: '', group: 'GROUP BY agency_id, stratum' },
  agency_moj: {
    agency: 'agency_id',
    key: 'moj_measure',
    where: 'WHERE moj_measure IS NOT NULL',
    group: 'GROUP BY agency_id, moj_measure',
  },
  all: { agency: 'NULL', key: 'NULL', where: '', group: '' },
  theme: { agency: 'NULL', key: 'theme', where: 'WHERE theme IS NOT NULL', group: 'GROUP BY theme' },
  grp: { agency: 'NULL', key: 'grp', where: 'WHERE grp IS NOT NULL', group: 'GROUP BY grp' },
  item: { agency: 'NULL', key: 'item_id', where: '', group: 'GROUP BY item_id' },
  stratum: { agency: 'NULL', key: 'stratum', where: '', group: 'GROUP BY stratum' },
  moj: { agency: 'NULL', key: 'moj_measure', where: 'WHERE moj_measure IS NOT NULL', group: 'GROUP BY moj_measure' },
} as const

export type Level = keyof typeof levels

type LevelRow = CountRow & { lvl: Level; agency_id: number | null; key: string | null }

/** Counts by level, agency (null: partnership-wide) and key (null: the whole level). */
export class Rollup {
  private rows = new Map<string, Counts>()
  private agencies = new Set<number>()

  constructor(rows: readonly LevelRow[]) {
    for (const r of rows) {
      // The ungrouped 'all' level yields one row even when nothing was counted.
      if (r.lvl === 'all' && r.met + r.partial + r.not_met + r.not_evidenced + r.not_applicable === 0) continue
      this.rows.set(Rollup.id(r.lvl, r.agency_id, r.key), toCounts(r))
      if (r.agency_id !== null) this.agencies.add(r.agency_id)
    }
  }

  private static id(lvl: Level, agencyId: number | null, key: string | null): string {
    return `${lvl}|${agencyId ?? ''}|${key ?? ''}`
  }

  get(lvl: Level, agencyId: number | null, key: string | null = null): Counts {
    return this.rows.get(Rollup.id(lvl, agencyId, key)) ?? emptyCounts
  }

  has(lvl: Level, agencyId: number | null, key: string | null = null): boolean {
    return this.rows.has(Rollup.id(lvl, agencyId, key))
  }

  /** Keys present at a level for one agency (e.g. the items it has answers for). */
  keys(lvl: Level, agencyId: number | null): string[] {
    const prefix = `${lvl}|${agencyId ?? ''}|`
    return [...this.rows.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length))
  }

  /** Agencies that have counts at any agency level. */
  agencyIds(): number[] {
    return [...this.agencies]
  }
}

/**
 * Counts for one round at the requested levels. `agencyId` confines every level to one agency
 * (an agency user's own, or the agency a drill-down page is about); partnership-wide levels
 * then describe that agency only, so callers ask for them only when no agency is given.
 */
export function roundRollup(db: Db, roundId: number, agencyId: number | null, wanted: readonly Level[]): Rollup {
  if (wanted.length === 0) return new Rollup([])
  const unique = [...new Set(wanted)].sort()
  const rows = memoised(db, roundId, `rollup|${agencyId ?? ''}|${unique.join(',')}`, () => {
    const selects = unique.map((name) => {
      const l = levels[name]
      return sql.raw(
        `SELECT '${name}' AS lvl, ${l.agency} AS agency_id, ${l.key} AS key, ${SUM_SQL} FROM f ${l.where} ${l.group}`,
      )
    })
    // Raw: every level is a GROUP BY over the effectiveAnswers CTE, UNIONed into one statement, which the
    // builder can't express.
    return db.all<LevelRow>(sql`
      WITH ${effectiveAnswers(sql`sc.round_id = ${roundId}`, agencyId)},
      fine AS MATERIALIZED (
        SELECT agency_id, item_id, stratum, ${countColumns} FROM eff GROUP BY agency_id, item_id, stratum),
      f AS MATERIALIZED (
        SELECT fine.*, fi.theme, fi.grp, fi.moj_measure FROM fine LEFT JOIN framework_items fi ON fi.id = fine.item_id)
      ${sql.join(selects, sql` UNION ALL `)}`)
  })
  return new Rollup(rows)
}

export interface CaseAnswer {
  caseRef: string
  outcome: string
  evidenceDate: string | null
  dueDate: string | null
  daysLate: number | null
  timelinessOverride: string | null
  moderated: boolean
}

/**
 * The answers behind one agency × item figure, case by case (no notes: they are free text and
 * may hold more than a score needs). For roles allowed to see case answers only.
 */
export function caseAnswers(db: Db, roundId: number, agencyId: number, itemId: string): CaseAnswer[] {
  // Raw: reads from the effectiveAnswers CTE (moderated answers over first marks), which the builder can't express.
  const rows = db.all<{
    case_ref: string
    outcome: string
    evidence_date: string | null
    due_date: string | null
    days_late: number | null
    timeliness_override: string | null
    marker: string
  }>(sql`
    WITH ${effectiveAnswers(sql`sc.round_id = ${roundId}`, agencyId, sql`AND a.item_id = ${itemId}`)}
    SELECT pc.case_ref, a.outcome, a.evidence_date, a.due_date, a.days_late, a.timeliness_override, a.marker
    FROM eff JOIN answers a ON a.id = eff.answer_id
    JOIN sample_cases sc ON sc.id = a.sample_case_id
    JOIN population_cases pc ON pc.id = sc.population_case_id
    ORDER BY pc.case_ref, a.obligation_key`)
  return rows.map((r) => ({
    caseRef: r.case_ref,
    outcome: r.outcome,
    evidenceDate: r.evidence_date,
    dueDate: r.due_date,
    daysLate: r.days_late,
    timelinessOverride: r.timeliness_override,
    moderated: r.marker === 'moderator',
  }))
}
