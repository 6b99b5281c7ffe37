import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { eq } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { auditLog } from '../schema/index.ts'
import type { Db } from '../schema/database.ts'
import { perConnection } from './cache.ts'
import type { Scope } from './scope.ts'

export interface AuditActor {
  id: number
  email: string
}

export interface AuditEntry {
  actor: AuditActor | null
  action: string
  entity: string
  entityId?: string | number | null
  before?: unknown
  after?: unknown
}

/** Who an entry names: the signed-in user making the change. */
export function actorOf(scope: Scope): AuditActor {
  return { id: scope.userId, email: scope.email }
}

type Row = typeof auditLog.$inferSelect
const GENESIS = '0'.repeat(64)

type EntryRow = Omit<Row, 'id' | 'hash' | 'prevHash'>

/** An entry's columns in the order the table, the insert and the hash all take them. */
function columnsOf(row: EntryRow) {
  return [row.at, row.actorId, row.actorEmail, row.action, row.entity, row.entityId, row.before, row.after]
}

function entryHash(prevHash: string, row: EntryRow): string {
  const canonical = JSON.stringify([prevHash, ...columnsOf(row)])
  return createHash('sha256').update(canonical).digest('hex')
}

interface Statements {
  lastHash: Database.Statement<[], { hash: string }>
  insert: Database.Statement<unknown[]>
}
// Raw prepared statements, once per connection: every autosave writes an entry, on the hash chain's hot path.
const statementsFor = perConnection(
  (db): Statements => ({
    lastHash: db.$client.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1'),
    insert: db.$client.prepare(
      'INSERT INTO audit_log (at, actor_id, actor_email, action, entity, entity_id, before, after, prev_hash, hash) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  }),
)

/**
 * Appends one entry. Call it inside the same transaction as the change it records (passing the
 * database itself: a better-sqlite3 transaction holds the whole connection), so a change and its
 * log entry are written together or not at all.
 */
export function recordAudit(db: Db, entry: AuditEntry, at = new Date().toISOString()): void {
  const s = statementsFor(db)
  const prevHash = s.lastHash.get()?.hash ?? GENESIS
  const row = {
    at,
    actorId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  }
  s.insert.run(...columnsOf(row), prevHash, entryHash(prevHash, row))
}

/**
 * Inserts one row on behalf of `scope` and logs its creation, the row as stored being the entry's
 * `after`. Call it inside the caller's transaction, like recordAudit.
 */
export function insertRecorded<T extends SQLiteTable & { $inferSelect: { id: number } }>(
  db: Db,
  scope: Scope,
  table: T,
  values: T['$inferInsert'],
  log: { action: string; entity: string },
  now: string,
): T['$inferSelect'] {
  const row = db.insert(table).values(values).returning().get() as T['$inferSelect']
  recordAudit(db, { actor: actorOf(scope), ...log, entityId: row.id, after: row }, now)
  return row
}

/**
 * Updates the row `id` on behalf of `scope` and logs the change, the row as it stood and as stored
 * being the entry's `before` and `after`. A row that is not there is left alone and not logged
 * (undefined is returned). Call it inside the caller's transaction, like recordAudit.
 */
export function updateRecorded<T extends SQLiteTable & { id: SQLiteColumn; $inferSelect: { id: number } }>(
  db: Db,
  scope: Scope,
  table: T,
  id: number,
  changes: Partial<T['$inferInsert']>,
  log: { action: string; entity: string },
  now: string,
): T['$inferSelect'] | undefined {
  const read = () => db.select().from(table).where(eq(table.id, id)).get() as T['$inferSelect'] | undefined
  const before = read()
  if (!before) return undefined
  db.update(table).set(changes).where(eq(table.id, id)).run()
  const after = read()
  recordAudit(db, { actor: actorOf(scope), ...log, entityId: id, before, after }, now)
  return after
}

export type ChainCheck =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: string }

/**
 * The chain's head as it stood at some moment (printed into each backup and report). A chain
 * checks out on its own even with entries cut off its end; against an anchor, it must still hold
 * the anchored entry, unchanged, at the same position.
 */
export interface ChainAnchor {
  entries: number
  head: string
}

/** Recomputes every hash in order; the first entry that does not match is where tampering began. */
export function verifyAuditChain(db: Db, anchor?: ChainAnchor): ChainCheck {
  let prevHash = GENESIS
  let entries = 0
  // Raw: streamed with better-sqlite3's iterate() rather than loading a long log into memory.
  const rows = db.$client
    .prepare(
      'select id, at, actor_id as actorId, actor_email as actorEmail, action, entity, entity_id as entityId, ' +
        'before, after, prev_hash as prevHash, hash from audit_log order by id',
    )
    .iterate() as IterableIterator<Row>
  for (const row of rows) {
    entries++
    if (row.prevHash !== prevHash)
      return { ok: false, entries, brokenAt: row.id, reason: 'previous hash does not match' }
    if (entryHash(prevHash, row) !== row.hash)
      return { ok: false, entries, brokenAt: row.id, reason: 'entry content does not match its hash' }
    if (anchor && entries === anchor.entries && row.hash !== anchor.head)
      return { ok: false, entries, brokenAt: row.id, reason: 'the anchored entry has been replaced' }
    prevHash = row.hash
  }
  if (anchor && entries < anchor.entries)
    return {
      ok: false,
      entries,
      brokenAt: entries + 1,
      reason: `entries have been cut off the end: ${anchor.entries} were anchored, ${entries} remain`,
    }
  return { ok: true, entries, head: prevHash }
}
