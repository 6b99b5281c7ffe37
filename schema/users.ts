import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core'
import { agencies } from './agencies.ts'
import { roles } from '../audits/vocabulary.ts'

export { roles, type Role } from '../audits/vocabulary.ts'

export const users = sqliteTable('users', {
  id: integer().primaryKey({ autoIncrement: true }),
  email: text().notNull().unique(),
  displayName: text().notNull(),
  passwordHash: text().notNull(),
  role: text({ enum: roles }).notNull(),
  agencyId: integer().references(() => agencies.id),
  disabled: integer({ mode: 'boolean' }).notNull().default(false),
  /** In every session token; raising it ends every session the person has (sign-out, reset, disable, role change). */
  sessionVersion: integer().notNull().default(0),
  createdAt: text().notNull(),
  updatedAt: text().notNull(),
})
