import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core'
import { rounds } from './rounds.ts'
import { populationCases } from './population.ts'
import { users } from './users.ts'
import { agencies } from './agencies.ts'
import { caseStatuses, outcomes } from '../audits/vocabulary.ts'

/** The frozen record of a draw: seed, design and the population it was drawn from. */
export const sampleDraws = sqliteTable('sample_draws', {
  id: integer().primaryKey({ autoIncrement: true }),
  roundId: integer()
    .notNull()
    .unique()
    .references(() => rounds.id, { onDelete: 'cascade' }),
  seed: text().notNull(),
  stratifyBy: text().notNull(),
  allocation: text().notNull(),
  marginOfError: integer().notNull(),
  confidence: integer().notNull(),
  minimumPerStratum: integer().notNull(),
  populationSha256: text().notNull(),
  /** JSON: [{ key, population, take }] as allocated, updated when the sample is extended. */
  strata: text().notNull(),
  drawnAt: text().notNull(),
  drawnBy: integer(),
})

export { caseStatuses, type CaseStatus, outcomes, type Outcome } from '../audits/vocabulary.ts'

export const sampleCases = sqliteTable(
  'sample_cases',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    roundId: integer()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    populationCaseId: integer()
      .notNull()
      .references(() => populationCases.id),
    stratum: text().notNull(),
    /** Position in the stratum's seeded order (0-based): draw order and reserve order. */
    drawPosition: integer().notNull(),
    status: text({ enum: caseStatuses }).notNull().default('not_started'),
    replacesId: integer(),
    replacementReason: text(),
    auditorId: integer().references(() => users.id),
    /** Agency whose area of responsibility the case mainly falls under (auditor exclusion). */
    owningAgencyId: integer().references(() => agencies.id),
    /** JSON CaseFacts as confirmed by the auditor; null until first saved (pre-fill from import). */
    facts: text(),
    returnComment: text(),
    /** Why the auditor reported the case unusable (file missing, out of scope, duplicate…). */
    unusableReason: text(),
    /** The auditor is unsure of their marking and asks for it to be second-marked. */
    unsure: integer({ mode: 'boolean' }).notNull().default(false),
    unsureReason: text(),
    completedAt: text(),
    updatedAt: text().notNull(),
  },
  (t) => [
    uniqueIndex('sample_cases_round_case').on(t.roundId, t.populationCaseId),
    // Deleting population rows checks this foreign key once per row.
    index('sample_cases_population_case').on(t.populationCaseId),
    index('sample_cases_auditor').on(t.auditorId),
  ],
)

// 'second': a blind second marking; 'moderator': the final outcome a moderator settled on.
export const markers = ['primary', 'second', 'moderator'] as const

export const answers = sqliteTable(
  'answers',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    sampleCaseId: integer()
      .notNull()
      .references(() => sampleCases.id, { onDelete: 'cascade' }),
    marker: text({ enum: markers }).notNull().default('primary'),
    /** Obligation key from applicability (item id + trigger), unique within a case. */
    obligationKey: text().notNull(),
    itemId: text().notNull(),
    /** Agency whose score this answer counts towards, resolved when it is saved. */
    agencyId: integer().references(() => agencies.id),
    outcome: text({ enum: outcomes }),
    evidenceDate: text(),
    dueDate: text(),
    /** Working days late (0 = on time), null where there is no time limit or no evidence date. */
    daysLate: integer(),
    timelinessOverride: text({ enum: ['on_time', 'late'] }),
    overrideReason: text(),
    note: text(),
    version: integer().notNull().default(1),
    updatedBy: integer(),
    updatedAt: text().notNull(),
  },
  (t) => [
    uniqueIndex('answers_case_marker_key').on(t.sampleCaseId, t.marker, t.obligationKey),
    index('answers_agency_item').on(t.agencyId, t.itemId),
  ],
)
