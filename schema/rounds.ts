import { sqliteTable, integer, text, real, primaryKey } from 'drizzle-orm/sqlite-core'
import { agencies } from './agencies.ts'
import { users } from './users.ts'
import { editions, frameworkKinds, roundStages } from '../audits/vocabulary.ts'

export { editions, type Edition, frameworkKinds, type FrameworkKind } from '../audits/vocabulary.ts'
export { roundStages as roundStatuses, type RoundStage as RoundStatus } from '../audits/vocabulary.ts'

export const rounds = sqliteTable('rounds', {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull(),
  /** What the round audits: case files against the Victims' Code, or a commissioned-services dip sample. */
  framework: text({ enum: frameworkKinds }).notNull().default('victims_code'),
  edition: text({ enum: editions }).notNull(),
  periodFrom: text().notNull(),
  periodTo: text().notNull(),
  status: text({ enum: roundStages }).notNull().default('draft'),
  ragGreen: real().notNull().default(95),
  ragAmber: real().notNull().default(80),
  moderationShare: real().notNull().default(0.1),
  createdAt: text().notNull(),
  createdBy: integer().references(() => users.id),
  /**
   * Moves whenever an answer or sampled case of the round changes (database triggers keep it),
   * so cached score figures are reused exactly until their round changes.
   */
  dataVersion: integer().notNull().default(0),
})

export const roundAgencies = sqliteTable(
  'round_agencies',
  {
    roundId: integer()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    agencyId: integer()
      .notNull()
      .references(() => agencies.id),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.agencyId] })],
)

/** Local agreements that change a time limit for one item in one round; shown on reports. */
export const timeLimitOverrides = sqliteTable(
  'time_limit_overrides',
  {
    roundId: integer()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    itemId: text().notNull(),
    standardDays: integer(),
    enhancedDays: integer(),
    reason: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.itemId] })],
)

/**
 * Score figures of published and archived rounds, kept across restarts: such a round is frozen,
 * so its counts are worked out once and read back (the trend page covers every round ever run).
 * A figure is only used while its round's data_version is the one it was counted at.
 */
export const keptFigures = sqliteTable(
  'kept_figures',
  {
    key: text().notNull(),
    roundId: integer()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    dataVersion: integer().notNull(),
    /** The figure as JSON. */
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.roundId] })],
)
