// Score queries read every answer of the rounds they cover (the trend page: every answer ever
// given), which takes a few hundred milliseconds at 800,000 answers, so their results are kept.
// A kept result is tied to the data_version of each round it was counted from; database
// triggers move a round's version whenever one of its answers or sampled cases changes
// (schema/migrations/0004), whichever connection writes. So a figure is never stale, and an
// autosave in this round's fieldwork does not throw away the counts of every published round.
import { inArray } from 'drizzle-orm'
import { rounds } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'

const MAX_ENTRIES = 2000

const caches = new WeakMap<Db, Map<string, unknown>>()

function cacheOf(db: Db): Map<string, unknown> {
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  return cache
}

function remember(cache: Map<string, unknown>, key: string, value: unknown): void {
  // Oldest first out: Map keeps insertion order.
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  cache.set(key, value)
}

export function roundVersions(db: Db, roundIds: readonly number[]): Map<number, number> {
  if (roundIds.length === 0) return new Map()
  const rows = db.select({ id: rounds.id, v: rounds.dataVersion }).from(rounds).where(inArray(rounds.id, [...roundIds])).all()
  return new Map(rows.map((r) => [r.id, r.v]))
}

/** The value of `compute()` for `key` over one round, computed again only when the round changed. */
export function memoised<T>(db: Db, roundId: number, key: string, compute: () => T): T {
  const cache = cacheOf(db)
  const full = `${key}@${roundId}:${roundVersions(db, [roundId]).get(roundId) ?? 'gone'}`
  if (cache.has(full)) return cache.get(full) as T
  const value = compute()
  remember(cache, full, value)
  return value
}

/**
 * One value per round: the rounds whose kept value is still current are read from the cache,
 * and the rest are counted together by one call of `computeMissing`.
 */
export function memoisedPerRound<T>(db: Db, key: string, roundIds: readonly number[], computeMissing: (ids: number[]) => Map<number, T>, empty: T): Map<number, T> {
  const cache = cacheOf(db)
  const versions = roundVersions(db, roundIds)
  const keyOf = (id: number) => `${key}@${id}:${versions.get(id) ?? 'gone'}`
  const result = new Map<number, T>()
  const missing: number[] = []
  for (const id of roundIds) {
    if (cache.has(keyOf(id))) result.set(id, cache.get(keyOf(id)) as T)
    else missing.push(id)
  }
  if (missing.length > 0) {
    const computed = computeMissing(missing)
    for (const id of missing) {
      const value = computed.get(id) ?? empty
      remember(cache, keyOf(id), value)
      result.set(id, value)
    }
  }
  return result
}

/** Drops every kept figure (for measuring the first request after a start). */
export function forgetKeptScores(db: Db): void {
  caches.delete(db)
}
