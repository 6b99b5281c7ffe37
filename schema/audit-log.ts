import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core'

// Append-only: rows are never updated or deleted (triggers in the migration refuse it), and each
// row's hash covers the previous row's hash, so an edited row breaks the chain.
export const auditLog = sqliteTable('audit_log', {
  id: integer().primaryKey({ autoIncrement: true }),
  at: text().notNull(),
  actorId: integer(),
  actorEmail: text(),
  action: text().notNull(),
  entity: text().notNull(),
  entityId: text(),
  before: text(),
  after: text(),
  prevHash: text().notNull(),
  hash: text().notNull(),
})
