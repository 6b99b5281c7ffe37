// Reads for case review: one case as the signed-in user may see it, its answers and the round's
// time limit changes (the worklist is worklist-queries.ts). Access is decided here, in SQL.
//
// Autosave runs these on every change an auditor makes, so the per-case ones are prepared once
// per database connection (building drizzle queries costs more than running them).
import { and, eq, notInArray, or, sql, type Column, type Placeholder } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import {
  agencies,
  answers,
  moderationCases,
  populationCases,
  roundAgencies,
  rounds,
  sampleCases,
  timeLimitOverrides,
  users,
} from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import type { FrameworkKind, RoundStatus } from '../../../schema/index.ts'
import type { TimeLimitOverrides } from '../../../audits/applicability.ts'
import { getItem } from '../../../audits/frameworks/index.ts'
import { perConnection } from '../../cache.ts'
import type { Scope } from '../../scope.ts'
import type { CaseRecord, ReviewMarker } from './case-record.ts'
import type { PopulationFacts } from './facts-form.ts'
import type { AgencyEntry } from '../../../audits/responsible-agency.ts'

export const auditor = alias(users, 'auditor')
const editor = alias(users, 'editor')

/** Rounds whose cases auditors may not see yet: nothing is allocated for review before fieldwork. */
const unreleasedRounds: RoundStatus[] = ['draft', 'sampling']

export const populationColumns = {
  reportedOn: populationCases.reportedOn,
  offenceGroup: populationCases.offenceGroup,
  under18: populationCases.under18,
  vulnerable: populationCases.vulnerable,
  intimidated: populationCases.intimidated,
  persistentlyTargeted: populationCases.persistentlyTargeted,
  bereaved: populationCases.bereaved,
  domesticAbuse: populationCases.domesticAbuse,
  hateCrime: populationCases.hateCrime,
  events: populationCases.events,
}

// A case comes back with its round's agency directory and time limit changes as JSON, so loading
// one (which autosave does on every change) is one statement rather than three. The worklist asks
// for the same two by round id.
const directoryJson = (roundId: Column | Placeholder) =>
  sql<string>`(select json_group_array(json_object('id', ${agencies.id}, 'name', ${agencies.name}, 'shortName',
    ${agencies.shortName}, 'type', ${agencies.type}, 'active', ${agencies.active}, 'inRound', exists (select 1
      from ${roundAgencies} where ${roundAgencies.roundId} = ${roundId} and ${roundAgencies.agencyId} =
        ${agencies.id})) order by ${agencies.name}) from ${agencies})`
const overridesJson = (roundId: Column | Placeholder) =>
  sql<string>`(select json_group_array(json_object('itemId', ${timeLimitOverrides.itemId}, 'standard',
    ${timeLimitOverrides.standardDays}, 'enhanced', ${timeLimitOverrides.enhancedDays})) from
      ${timeLimitOverrides} where ${timeLimitOverrides.roundId} = ${roundId})`

const caseColumns = {
  id: sampleCases.id,
  roundId: sampleCases.roundId,
  status: sampleCases.status,
  stratum: sampleCases.stratum,
  auditorId: sampleCases.auditorId,
  auditorName: auditor.displayName,
  facts: sampleCases.facts,
  returnComment: sampleCases.returnComment,
  unusableReason: sampleCases.unusableReason,
  unsure: sampleCases.unsure,
  unsureReason: sampleCases.unsureReason,
  completedAt: sampleCases.completedAt,
  updatedAt: sampleCases.updatedAt,
  secondMarkerId: moderationCases.secondMarkerId,
  secondCompletedAt: moderationCases.secondCompletedAt,
  roundName: rounds.name,
  framework: rounds.framework,
  edition: rounds.edition,
  roundStatus: rounds.status,
  caseRef: populationCases.caseRef,
  district: populationCases.district,
  agencyRef: populationCases.agencyRef,
  ...populationColumns,
  directoryJson: directoryJson(rounds.id),
  overridesJson: overridesJson(rounds.id),
}

function prepareStatements(db: Db) {
  const ph = sql.placeholder
  // drizzle's update() takes no bare placeholders; wrapped in sql they bind the same way.
  const set = (name: string) => sql`${ph(name)}`
  const caseQuery = () =>
    db
      .select(caseColumns)
      .from(sampleCases)
      .innerJoin(rounds, eq(rounds.id, sampleCases.roundId))
      .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
      .leftJoin(auditor, eq(auditor.id, sampleCases.auditorId))
      .leftJoin(moderationCases, eq(moderationCases.sampleCaseId, sampleCases.id))
  const answerQuery = () =>
    db
      .select({ answer: answers, updatedByName: editor.displayName })
      .from(answers)
      .leftJoin(editor, eq(editor.id, answers.updatedBy))
  return {
    anyCase: caseQuery()
      .where(eq(sampleCases.id, ph('id')))
      .prepare(),
    allocatedCase: caseQuery()
      .where(
        and(
          eq(sampleCases.id, ph('id')),
          or(
            eq(sampleCases.auditorId, ph('userId')),
            and(eq(moderationCases.secondMarkerId, ph('userId')), eq(rounds.status, 'moderation')),
          ),
          notInArray(rounds.status, unreleasedRounds),
        ),
      )
      .prepare(),
    roundSettings: db
      .select({
        framework: rounds.framework,
        directoryJson: directoryJson(ph('roundId')),
        overridesJson: overridesJson(ph('roundId')),
      })
      .from(rounds)
      .where(eq(rounds.id, ph('roundId')))
      .prepare(),
    caseAnswers: answerQuery()
      .where(and(eq(answers.sampleCaseId, ph('caseId')), eq(answers.marker, sql`${ph('marker')}`)))
      .prepare(),
    caseAnswer: answerQuery()
      .where(
        and(
          eq(answers.sampleCaseId, ph('caseId')),
          eq(answers.marker, sql`${ph('marker')}`),
          eq(answers.obligationKey, ph('key')),
        ),
      )
      .prepare(),
    insertAnswer: db
      .insert(answers)
      .values({
        sampleCaseId: ph('caseId'),
        marker: sql`${ph('marker')}`,
        obligationKey: ph('key'),
        itemId: ph('itemId'),
        agencyId: ph('agencyId'),
        outcome: ph('outcome'),
        evidenceDate: ph('evidenceDate'),
        dueDate: ph('dueDate'),
        daysLate: ph('daysLate'),
        timelinessOverride: ph('timelinessOverride'),
        overrideReason: ph('overrideReason'),
        note: ph('note'),
        version: ph('version'),
        updatedBy: ph('updatedBy'),
        updatedAt: ph('updatedAt'),
      })
      .returning()
      .prepare(),
    updateAnswer: db
      .update(answers)
      .set({
        agencyId: set('agencyId'),
        outcome: set('outcome'),
        evidenceDate: set('evidenceDate'),
        dueDate: set('dueDate'),
        daysLate: set('daysLate'),
        timelinessOverride: set('timelinessOverride'),
        overrideReason: set('overrideReason'),
        note: set('note'),
        version: set('version'),
        updatedBy: set('updatedBy'),
        updatedAt: set('updatedAt'),
      })
      .where(eq(answers.id, ph('id')))
      .returning()
      .prepare(),
    touchCase: db
      .update(sampleCases)
      .set({ status: set('status'), updatedAt: set('updatedAt') })
      .where(eq(sampleCases.id, ph('id')))
      .prepare(),
  }
}

type Statements = ReturnType<typeof prepareStatements>
/** The review statements for this connection, prepared on first use. */
export const statements = perConnection(prepareStatements)

type CaseRow = NonNullable<ReturnType<Statements['anyCase']['get']>>

function toRecord(row: CaseRow): CaseRecord {
  const { directoryJson, overridesJson, ...rest } = withPopulation(row)
  return {
    ...rest,
    directory: directoryFrom(JSON.parse(directoryJson) as DirectoryRow[]),
    overrides: overridesFrom(JSON.parse(overridesJson) as OverrideRow[], rest.framework),
  }
}

const populationKeys = Object.keys(populationColumns) as Array<keyof PopulationFacts>

/** A row with the imported case's columns gathered into `population`. */
export function withPopulation<R extends PopulationFacts>(row: R): Omit<R, keyof PopulationFacts> & PopulationOf {
  const rest = { ...row } as Record<string, unknown>
  const population: Record<string, unknown> = {}
  for (const key of populationKeys) {
    population[key] = row[key]
    delete rest[key]
  }
  return { ...(rest as Omit<R, keyof PopulationFacts>), population: population as unknown as PopulationFacts }
}

type PopulationOf = { population: PopulationFacts }

type DirectoryRow = Omit<AgencyEntry, 'active' | 'inRound'> & { active: boolean | number; inRound: boolean | number }

function directoryFrom(rows: DirectoryRow[]): AgencyEntry[] {
  return rows.map((a) => ({ ...a, active: Boolean(a.active), inRound: Boolean(a.inRound) }))
}

/** The round's question set, agency directory and local time limits, as a case carries them. */
export function loadRoundSettings(db: Db, roundId: number): Pick<CaseRecord, 'framework' | 'directory' | 'overrides'> {
  const row = statements(db).roundSettings.get({ roundId })
  const framework = row?.framework ?? 'victims_code'
  return {
    framework,
    directory: directoryFrom(JSON.parse(row?.directoryJson ?? '[]') as DirectoryRow[]),
    overrides: overridesFrom(JSON.parse(row?.overridesJson ?? '[]') as OverrideRow[], framework),
  }
}

/**
 * One case as this user may see it, or null (the caller answers 404). Auditors, and the Victims'
 * Advocate in a commissioned-services dip sample, see only cases allocated to them; moderators and
 * admins see every case; no other role sees case answers.
 */
export function findCase(db: Db, scope: Scope, id: number): CaseRecord | null {
  const s = statements(db)
  const row =
    scope.role === 'admin' || scope.role === 'moderator'
      ? s.anyCase.get({ id })
      : scope.role === 'auditor' || scope.role === 'advocate'
        ? s.allocatedCase.get({ id, userId: scope.userId })
        : undefined
  return row ? toRecord({ ...row, unsure: Boolean(row.unsure) }) : null
}

export type AnswerRow = typeof answers.$inferSelect & { updatedByName: string | null }

/** The case's answers by one marker (by default the allocated auditor's), by obligation key. */
export function loadAnswers(db: Db, caseId: number, marker: ReviewMarker = 'primary'): Map<string, AnswerRow> {
  const rows = statements(db).caseAnswers.all({ caseId, marker })
  return new Map(rows.map((r) => [r.answer.obligationKey, { ...r.answer, updatedByName: r.updatedByName }]))
}

export function loadAnswer(db: Db, caseId: number, key: string, marker: ReviewMarker = 'primary'): AnswerRow | null {
  const r = statements(db).caseAnswer.get({ caseId, key, marker })
  return r ? { ...r.answer, updatedByName: r.updatedByName } : null
}

interface OverrideRow {
  itemId: string
  standard: number | null
  enhanced: number | null
}

/**
 * The round's local time limits, keyed by item. Rows the domain core would refuse (an unknown
 * item or one of another question set, a limit below one day) are left out rather than allowed to
 * break every case page.
 */
function overridesFrom(rows: OverrideRow[], framework: FrameworkKind): TimeLimitOverrides {
  const valid = (n: number | null) => n !== null && Number.isInteger(n) && n >= 1
  const out: Record<string, { standard?: number; enhanced?: number }> = {}
  for (const r of rows) {
    if (getItem(r.itemId)?.framework !== framework) continue
    const limits: { standard?: number; enhanced?: number } = {}
    if (valid(r.standard)) limits.standard = r.standard as number
    if (valid(r.enhanced)) limits.enhanced = r.enhanced as number
    if (limits.standard !== undefined || limits.enhanced !== undefined) out[r.itemId] = limits
  }
  return out
}
