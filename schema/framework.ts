import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core'

/**
 * A copy of the framework items (audits/frameworks) kept in the database at start-up, so that
 * score roll-ups by theme, Right and Ministry of Justice measure can be done in SQL joins.
 */
export const frameworkItems = sqliteTable('framework_items', {
  id: text().primaryKey(),
  /** victims_code or commissioned_services (audits/vocabulary.ts frameworkKinds). */
  framework: text().notNull().default('victims_code'),
  edition: text().notNull(),
  title: text().notNull(),
  agencyType: text().notNull(),
  theme: text().notNull(),
  /** The Right (2020) or topic (2015) the item is reported under. */
  grp: text().notNull(),
  rightNo: integer(),
  mojMeasure: text(),
  hasTimeLimit: integer({ mode: 'boolean' }).notNull(),
  confirmation: text().notNull(),
})
