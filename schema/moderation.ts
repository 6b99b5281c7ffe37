import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core'
import { rounds } from './rounds.ts'
import { sampleCases } from './sample.ts'
import { users } from './users.ts'

export const moderationReasons = ['unsure', 'auditor', 'share', 'added'] as const

/**
 * A completed case chosen for blind second marking. The second marker's answers are answers with
 * marker 'second'; a disagreement's final outcome is an answer with marker 'moderator', which the
 * score roll-ups prefer, with the moderator's reason as its note.
 */
export const moderationCases = sqliteTable(
  'moderation_cases',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    roundId: integer()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    sampleCaseId: integer()
      .notNull()
      .unique()
      .references(() => sampleCases.id, { onDelete: 'cascade' }),
    reason: text({ enum: moderationReasons }).notNull(),
    /** Why a moderator added it (null for the seeded selection). */
    note: text(),
    secondMarkerId: integer().references(() => users.id),
    /**
     * Whether the second marker, reading the file, finds the recorded case facts right (enhanced
     * status, events and dates): 0 is a facts disagreement, with what they found in the note.
     */
    factsAgree: integer({ mode: 'boolean' }),
    factsNote: text(),
    secondCompletedAt: text(),
    /** The moderator's final word where the two disagree on the facts. */
    factsResolution: text(),
    factsResolvedBy: integer().references(() => users.id),
    factsResolvedAt: text(),
    selectedAt: text().notNull(),
  },
  (t) => [index('moderation_cases_round').on(t.roundId), index('moderation_cases_marker').on(t.secondMarkerId)],
)
