import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core'
import { agencyTypes } from '../audits/vocabulary.ts'

export { agencyTypes, type AgencyType } from '../audits/vocabulary.ts'

export const agencies = sqliteTable('agencies', {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull().unique(),
  shortName: text().notNull(),
  type: text({ enum: agencyTypes }).notNull(),
  active: integer({ mode: 'boolean' }).notNull().default(true),
})
