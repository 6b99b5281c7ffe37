import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as schema from './index.ts'
import { projectRoot } from '../server/project-root.ts'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }
/** The database or a transaction on it: what query functions take, so they compose inside one. */
export type Queryable = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>

const migrationsFolder = join(projectRoot, 'schema', 'migrations')

/**
 * Opens (creating if needed) the SQLite file, or an in-memory database for ':memory:', with WAL
 * and foreign keys on, and applies every pending migration.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    // Created readable by the service's own user only; SQLite gives its -wal and -shm files the
    // same permissions as the database file.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600))
  }
  const sqlite = new Database(file)
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  const db = drizzle({ client: sqlite, schema, casing: 'snake_case' }) as Db
  migrate(db, { migrationsFolder })
  return db
}
