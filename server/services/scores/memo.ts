// Score queries read every answer of the rounds they cover (the trend page: every answer ever
// given), which takes a few hundred milliseconds at 800,000 answers, so their results are kept.
// A kept result is tied to the data_version of each round it was counted from; database
// triggers move a round's version whenever one of its answers or sampled cases changes
// (schema/migrations/0004), whichever connection writes. So a figure is never stale, and an
// autosave in this round's fieldwork does not throw away the counts of every published round.
//
// Published and archived rounds are frozen, so their figures are also written to kept_figures
// and read back after a restart: the first trend request after a start then reads a few hundred
// small rows instead of counting millions of answers. The stored data_version guards them too.
import { eq, inArray, sql } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import { keptFigures, rounds } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import { BoundedMap, perConnection } from '../../cache.ts'

const FROZEN = new Set(['published', 'archived'])

const MAX_ENTRIES = 2000

const cacheOf = perConnection(() => new BoundedMap<string, unknown>(MAX_ENTRIES))

export function roundVersions(db: Db, roundIds: readonly number[]): Map<number, number> {
  return new Map([...roundStates(db, roundIds)].map(([id, r]) => [id, r.version]))
}

function roundStates(db: Db, roundIds: readonly number[]): Map<number, { version: number; frozen: boolean }> {
  if (roundIds.length === 0) return new Map()
  const rows = db
    .select({ id: rounds.id, v: rounds.dataVersion, status: rounds.status })
    .from(rounds)
    .where(inArray(rounds.id, [...roundIds]))
    .all()
  return new Map(rows.map((r) => [r.id, { version: r.v, frozen: FROZEN.has(r.status) }]))
}

interface Stored {
  read: Database.Statement<[string], { round_id: number; data_version: number; value: string }>
  write: Database.Statement<[string, number, number, string]>
}
// Raw prepared statements, once per connection: the figures cache's read and write on every score page,
// with an INSERT OR REPLACE the builder would spell as an upsert.
const stored = perConnection(
  (db): Stored => ({
    read: db.$client.prepare('SELECT round_id, data_version, value FROM kept_figures WHERE key = ?'),
    write: db.$client.prepare(
      'INSERT OR REPLACE INTO kept_figures (key, round_id, data_version, value) VALUES (?, ?, ?, ?)',
    ),
  }),
)

// Prepared once: a page asks for one round's version several times (roll-up, design, counts).
const versionOfRound = perConnection((db) =>
  db
    .select({ v: rounds.dataVersion })
    .from(rounds)
    .where(eq(rounds.id, sql.placeholder('id')))
    .prepare(),
)

/** The value of `compute()` for `key` over one round, computed again only when the round changed. */
export function memoised<T>(db: Db, roundId: number, key: string, compute: () => T): T {
  const cache = cacheOf(db)
  const full = `${key}@${roundId}:${versionOfRound(db).get({ id: roundId })?.v ?? 'gone'}`
  return cache.remember(full, compute) as T
}

/**
 * One value per round: the rounds whose kept value is still current are read from the cache,
 * and the rest are counted together by one call of `computeMissing`.
 */
export function memoisedPerRound<T>(
  db: Db,
  key: string,
  roundIds: readonly number[],
  computeMissing: (ids: number[]) => Map<number, T>,
  empty: T,
): Map<number, T> {
  const cache = cacheOf(db)
  const states = roundStates(db, roundIds)
  const keyOf = (id: number) => `${key}@${id}:${states.get(id)?.version ?? 'gone'}`
  const result = new Map<number, T>()
  let missing: number[] = []
  for (const id of roundIds) {
    if (cache.has(keyOf(id))) result.set(id, cache.get(keyOf(id)) as T)
    else missing.push(id)
  }
  if (missing.some((id) => states.get(id)?.frozen)) {
    const rows = new Map(
      stored(db)
        .read.all(key)
        .map((r) => [r.round_id, r]),
    )
    missing = missing.filter((id) => {
      const row = rows.get(id)
      if (!row || row.data_version !== states.get(id)?.version) return true
      const value = JSON.parse(row.value) as T
      cache.set(keyOf(id), value)
      result.set(id, value)
      return false
    })
  }
  if (missing.length > 0) {
    const computed = computeMissing(missing)
    const write = stored(db).write
    db.$client.transaction(() => {
      for (const id of missing) {
        const value = computed.get(id) ?? empty
        cache.set(keyOf(id), value)
        result.set(id, value)
        const state = states.get(id)
        if (state?.frozen) write.run(key, id, state.version, JSON.stringify(value))
      }
    })()
  }
  return result
}

/**
 * Drops the figures kept in memory, as a restart would (for measuring the first request after a
 * start); with `stored`, the ones kept in the database too, as before a round's first request.
 */
export function forgetKeptScores(db: Db, { stored = false } = {}): void {
  cacheOf.forget(db)
  if (stored) db.delete(keptFigures).run()
}
