// Online backup and checked restore of the SQLite database, with the audit log's head anchored in
// each backup: a later copy whose log has lost entries off its end no longer matches the anchor.
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import * as schema from '../schema/index.ts'
import type { Db } from '../schema/database.ts'
import { verifyAuditChain, type ChainAnchor, type ChainCheck } from './audit-log.ts'

export interface BackupReport {
  file: string
  anchorFile: string
  integrity: string
  anchor: ChainAnchor & { at: string }
}

const anchorFileOf = (file: string) => `${file}.anchor.json`

function asDb(sqlite: Database.Database): Db {
  return drizzle({ client: sqlite, schema, casing: 'snake_case' }) as Db
}

/** The integrity check and the audit chain of a database file, opened read-only. */
export function checkFile(file: string, anchor?: ChainAnchor): { integrity: string; chain: ChainCheck } {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const integrity = String(sqlite.pragma('integrity_check', { simple: true }))
    return { integrity, chain: verifyAuditChain(asDb(sqlite), anchor) }
  } finally {
    sqlite.close()
  }
}

/**
 * Copies a live database with SQLite's online backup (the service keeps answering; each step
 * copies a few pages and restarts if a write lands meanwhile), then checks the copy and writes its
 * audit-log anchor beside it. The copy is made readable by its owner only.
 */
export async function backupDatabase(source: string, target: string): Promise<BackupReport> {
  const sqlite = new Database(source, { readonly: true, fileMustExist: true })
  try {
    sqlite.pragma('busy_timeout = 5000')
    // Copied in one step, inside one read transaction: a step of a few pages at a time restarts
    // whenever the service writes between steps, and under steady autosaves would never finish.
    // In WAL mode that read transaction does not hold up the service's writes.
    await sqlite.backup(target, { progress: ({ totalPages }) => totalPages + 1000 })
  } finally {
    sqlite.close()
  }
  chmodSync(target, 0o600)
  const { integrity, chain } = checkFile(target)
  if (integrity !== 'ok') throw new Error(`the backup failed its integrity check: ${integrity}`)
  if (!chain.ok)
    throw new Error(`the audit log in the backup does not verify: entry ${chain.brokenAt}, ${chain.reason}`)
  const anchor = { entries: chain.entries, head: chain.head, at: new Date().toISOString() }
  writeFileSync(anchorFileOf(target), `${JSON.stringify(anchor, null, 2)}\n`, { mode: 0o600 })
  return { file: target, anchorFile: anchorFileOf(target), integrity, anchor }
}

export function readAnchor(file: string): ChainAnchor | undefined {
  const f = existsSync(file) && file.endsWith('.json') ? file : anchorFileOf(file)
  if (!existsSync(f)) return undefined
  const parsed = JSON.parse(readFileSync(f, 'utf8')) as Partial<ChainAnchor>
  if (!Number.isInteger(parsed.entries) || typeof parsed.head !== 'string')
    throw new Error(`${f} is not an audit-log anchor`)
  return { entries: parsed.entries as number, head: parsed.head }
}

/**
 * Replaces the database with a backup, for use while the service is stopped. The backup must pass
 * the integrity check and its audit chain must verify (against its anchor when there is one);
 * the database it replaces is kept beside it as `<file>.before-restore`.
 */
export async function restoreDatabase(
  backup: string,
  target: string,
): Promise<{ entries: number; kept: string | null }> {
  const anchor = readAnchor(backup)
  const { integrity, chain } = checkFile(backup, anchor)
  if (integrity !== 'ok') throw new Error(`${backup} failed its integrity check: ${integrity}`)
  if (!chain.ok) throw new Error(`the audit log in ${backup} does not verify: entry ${chain.brokenAt}, ${chain.reason}`)
  const staging = `${target}.restoring`
  rmSync(staging, { force: true })
  const src = new Database(backup, { readonly: true, fileMustExist: true })
  try {
    await src.backup(staging)
  } finally {
    src.close()
  }
  chmodSync(staging, 0o600)
  if (checkFile(staging, anchor).integrity !== 'ok')
    throw new Error('the restored copy failed its integrity check; nothing was replaced')
  let kept: string | null = null
  if (existsSync(target)) {
    kept = `${target}.before-restore`
    for (const suffix of ['', '-wal', '-shm']) rmSync(kept + suffix, { force: true })
    renameSync(target, kept)
  }
  // The old database's write-ahead log belongs to the old file (it goes with it): left beside the
  // restored one, SQLite would apply it to the wrong database.
  for (const suffix of ['-wal', '-shm']) {
    if (!existsSync(target + suffix)) continue
    if (kept) renameSync(target + suffix, kept + suffix)
    else rmSync(target + suffix, { force: true })
  }
  renameSync(staging, target)
  return { entries: chain.entries, kept }
}
