import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core'
import { rounds } from './rounds.ts'

/** One import of a population file into a round; the hash makes re-importing a no-op. */
export const populationImports = sqliteTable('population_imports', {
  id: integer().primaryKey({ autoIncrement: true }),
  roundId: integer()
    .notNull()
    .references(() => rounds.id, { onDelete: 'cascade' }),
  fileName: text().notNull(),
  fileSha256: text().notNull(),
  rows: integer().notNull(),
  importedAt: text().notNull(),
  importedBy: integer(),
})

// Kept narrow on purpose: a million rows must import in seconds. Flags are 1/0/null (unknown);
// pre-filled event dates travel as one JSON text column.
export const populationCases = sqliteTable(
  'population_cases',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    roundId: integer()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    caseRef: text().notNull(),
    reportedOn: text().notNull(),
    offenceGroup: text().notNull(),
    district: text().notNull(),
    under18: integer(),
    vulnerable: integer(),
    intimidated: integer(),
    persistentlyTargeted: integer(),
    bereaved: integer(),
    domesticAbuse: integer(),
    hateCrime: integer(),
    outcome: text(),
    /** Agency that owns the case file, as given in the import (agency type or short name). */
    agencyRef: text(),
    events: text(),
  },
  (t) => [
    uniqueIndex('population_cases_round_ref').on(t.roundId, t.caseRef),
    index('population_cases_round_district').on(t.roundId, t.district),
    // Draws stratified by offence group read the frame through this.
    index('population_cases_round_offence').on(t.roundId, t.offenceGroup),
  ],
)
