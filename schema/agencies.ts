import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core'

export const agencyTypes = [
  'police',
  'witness_care',
  'cps',
  'courts',
  'probation',
  'youth_justice',
  'victim_services',
  'other',
] as const
export type AgencyType = (typeof agencyTypes)[number]

export const agencies = sqliteTable('agencies', {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull().unique(),
  shortName: text().notNull(),
  type: text({ enum: agencyTypes }).notNull(),
  active: integer({ mode: 'boolean' }).notNull().default(true),
})
