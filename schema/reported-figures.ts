import { sqliteTable, integer, text, real, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { agencies } from './agencies.ts'
import { findings } from './findings.ts'
import { users } from './users.ts'

/**
 * A figure an agency reports about itself ("VPS offered: 92% of 1,204 cases, October 2024 to
 * March 2025"), held against the audit's figure for the same agency, measure and period. One row
 * per agency, measure and period: reporting it again replaces it (the audit log keeps the old).
 */
export const reportedFigures = sqliteTable(
  'reported_figures',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    agencyId: integer()
      .notNull()
      .references(() => agencies.id),
    /** "moj:<measure id>" or "item:<framework item id>" (audits/reconciliation.ts). */
    measure: text().notNull(),
    /** First day of the period's first month and last day of its last month, ISO. */
    periodFrom: text().notNull(),
    periodTo: text().notNull(),
    /** As reported, 0–100. */
    percent: real().notNull(),
    /** How many cases the agency says the figure covers. */
    cases: integer().notNull(),
    /** The finding raised from this figure's reconciliation flag, once one is. */
    findingId: integer().references(() => findings.id),
    enteredBy: integer().references(() => users.id),
    createdAt: text().notNull(),
    updatedAt: text().notNull(),
  },
  (t) => [uniqueIndex('reported_figures_agency_measure_period').on(t.agencyId, t.measure, t.periodFrom, t.periodTo)],
)
