// Reads for case review: one case as the signed-in user may see it, its answers, the round's time
// limit changes, and the worklist. Access is decided here, in SQL, from the scope.
//
// Autosave runs these on every change an auditor makes, so the per-case ones are prepared once
// per database connection (building drizzle queries costs more than running them).
import { and, asc, desc, eq, inArray, ne, notInArray, or, sql, type Column, type Placeholder } from 'drizzle-orm'
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
import type { Db, Queryable } from '../../../schema/database.ts'
import type { Edition, RoundStatus } from '../../../schema/index.ts'
import type { TimeLimitOverrides } from '../../../audits/applicability.ts'
import { getItem } from '../../../audits/frameworks/index.ts'
import { isEditableStatus, isOpenRound, openRoundStatuses, type CaseStatus } from '../../../audits/case-progress.ts'
import type { Scope } from '../../scope.ts'
import type { PopulationFacts } from './facts-form.ts'
import type { AgencyEntry } from '../../../audits/responsible-agency.ts'

export interface CaseRecord {
  id: number
  roundId: number
  status: CaseStatus
  stratum: string
  auditorId: number | null
  auditorName: string | null
  facts: string | null
  returnComment: string | null
  unusableReason: string | null
  unsure: boolean
  unsureReason: string | null
  completedAt: string | null
  updatedAt: string
  /** Who second-marks the case, when it was chosen for moderation, and when they finished. */
  secondMarkerId: number | null
  secondCompletedAt: string | null
  roundName: string
  edition: Edition
  roundStatus: RoundStatus
  caseRef: string
  district: string
  agencyRef: string | null
  population: PopulationFacts
  /** Every agency, marked with whether the round has it in scope. */
  directory: AgencyEntry[]
  /** The round's local time limits. */
  overrides: TimeLimitOverrides
}

const auditor = alias(users, 'auditor')
const editor = alias(users, 'editor')

/** Rounds whose cases auditors may not see yet: nothing is allocated for review before fieldwork. */
const unreleasedRounds: RoundStatus[] = ['draft', 'sampling']

const populationColumns = {
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
  sql<string>`(select json_group_array(json_object('id', ${agencies.id}, 'name', ${agencies.name}, 'shortName', ${agencies.shortName}, 'type', ${agencies.type}, 'active', ${agencies.active}, 'inRound', exists (select 1 from ${roundAgencies} where ${roundAgencies.roundId} = ${roundId} and ${roundAgencies.agencyId} = ${agencies.id})) order by ${agencies.name}) from ${agencies})`
const overridesJson = (roundId: Column | Placeholder) =>
  sql<string>`(select json_group_array(json_object('itemId', ${timeLimitOverrides.itemId}, 'standard', ${timeLimitOverrides.standardDays}, 'enhanced', ${timeLimitOverrides.enhancedDays})) from ${timeLimitOverrides} where ${timeLimitOverrides.roundId} = ${roundId})`

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
      .select({ directoryJson: directoryJson(ph('roundId')), overridesJson: overridesJson(ph('roundId')) })
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
const prepared = new WeakMap<object, Statements>()

/** The review statements for this connection, prepared on first use. */
export function statements(db: Db): Statements {
  let s = prepared.get(db.$client)
  if (!s) {
    s = prepareStatements(db)
    prepared.set(db.$client, s)
  }
  return s
}

type CaseRow = NonNullable<ReturnType<Statements['anyCase']['get']>>

function toRecord(row: CaseRow): CaseRecord {
  const {
    reportedOn,
    offenceGroup,
    under18,
    vulnerable,
    intimidated,
    persistentlyTargeted,
    bereaved,
    domesticAbuse,
    hateCrime,
    events,
    directoryJson,
    overridesJson,
    ...rest
  } = row
  return {
    ...rest,
    population: {
      reportedOn,
      offenceGroup,
      under18,
      vulnerable,
      intimidated,
      persistentlyTargeted,
      bereaved,
      domesticAbuse,
      hateCrime,
      events,
    },
    directory: directoryFrom(JSON.parse(directoryJson) as DirectoryRow[]),
    overrides: overridesFrom(JSON.parse(overridesJson) as OverrideRow[]),
  }
}

type DirectoryRow = Omit<AgencyEntry, 'active' | 'inRound'> & { active: boolean | number; inRound: boolean | number }

function directoryFrom(rows: DirectoryRow[]): AgencyEntry[] {
  return rows.map((a) => ({ ...a, active: Boolean(a.active), inRound: Boolean(a.inRound) }))
}

/** The round's agency directory and local time limits, as a case carries them. */
export function loadRoundSettings(db: Db, roundId: number): Pick<CaseRecord, 'directory' | 'overrides'> {
  const row = statements(db).roundSettings.get({ roundId })
  return {
    directory: directoryFrom(JSON.parse(row?.directoryJson ?? '[]') as DirectoryRow[]),
    overrides: overridesFrom(JSON.parse(row?.overridesJson ?? '[]') as OverrideRow[]),
  }
}

/**
 * One case as this user may see it, or null (the caller answers 404). Auditors see only cases
 * allocated to them; moderators and admins see every case; no other role sees case answers.
 */
export function findCase(db: Db, scope: Scope, id: number): CaseRecord | null {
  const s = statements(db)
  const row =
    scope.role === 'admin' || scope.role === 'moderator'
      ? s.anyCase.get({ id })
      : scope.role === 'auditor'
        ? s.allocatedCase.get({ id, userId: scope.userId })
        : undefined
  return row ? toRecord({ ...row, unsure: Boolean(row.unsure) }) : null
}

/** Whose answers a page shows and a save writes: the first marker's, or a blind second marking. */
export type ReviewMarker = 'primary' | 'second'

export interface CaseAccess {
  /** The case is allocated to this user (they review it, or second-mark it). */
  allocated: boolean
  /** The allocated reviewer may change it now. */
  editable: boolean
  /** A moderator (or admin) may send it back to the auditor. */
  canReturn: boolean
  /** 'second' for the case's second marker: they see and write only their own answers. */
  marker: ReviewMarker
  /** The case facts are the first marker's to record; a second marker reads them. */
  factsEditable: boolean
}

export function caseAccess(scope: Scope, rec: CaseRecord): CaseAccess {
  const open = isOpenRound(rec.roundStatus)
  if (rec.secondMarkerId === scope.userId && rec.auditorId !== scope.userId) {
    return {
      allocated: true,
      editable: rec.roundStatus === 'moderation' && rec.secondCompletedAt === null,
      canReturn: false,
      marker: 'second',
      factsEditable: false,
    }
  }
  const allocated = rec.auditorId === scope.userId
  const editable = allocated && open && isEditableStatus(rec.status)
  return {
    allocated,
    editable,
    canReturn: (scope.role === 'moderator' || scope.role === 'admin') && open && rec.status === 'complete',
    marker: 'primary',
    factsEditable: editable,
  }
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
 * item, a limit below one day) are left out rather than allowed to break every case page.
 */
function overridesFrom(rows: OverrideRow[]): TimeLimitOverrides {
  const valid = (n: number | null) => n !== null && Number.isInteger(n) && n >= 1
  const out: Record<string, { standard?: number; enhanced?: number }> = {}
  for (const r of rows) {
    if (!getItem(r.itemId)) continue
    const limits: { standard?: number; enhanced?: number } = {}
    if (valid(r.standard)) limits.standard = r.standard as number
    if (valid(r.enhanced)) limits.enhanced = r.enhanced as number
    if (limits.standard !== undefined || limits.enhanced !== undefined) out[r.itemId] = limits
  }
  return out
}

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
const statusRank = sql<number>`case ${sampleCases.status} when 'returned' then 0 when 'in_progress' then 1 when 'not_started' then 2 when 'complete' then 3 else 4 end`

/**
 * Cases in open rounds allocated to this user (or, for a moderator asking, to anyone), with how
 * many obligations have an outcome counted in SQL. Replaced cases have left the sample.
 */
export function worklist(db: Queryable, scope: Scope, filter: WorklistFilter): WorklistRow[] {
  const answered = sql<number>`(select count(*) from ${answers} where ${answers.sampleCaseId} = ${sampleCases.id} and ${answers.marker} = 'primary' and ${answers.outcome} is not null)`
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
  return rows.map(
    ({
      reportedOn,
      offenceGroup,
      under18,
      vulnerable,
      intimidated,
      persistentlyTargeted,
      bereaved,
      domesticAbuse,
      hateCrime,
      events,
      ...rest
    }) => ({
      ...rest,
      population: {
        reportedOn,
        offenceGroup,
        under18,
        vulnerable,
        intimidated,
        persistentlyTargeted,
        bereaved,
        domesticAbuse,
        hateCrime,
        events,
      },
    }),
  )
}
