// Kept results, in one of two shapes: a map bounded in size (the oldest entry goes first), and a
// value made once per database connection (prepared statements, and caches that must not outlive
// or cross the connection they were read from).
import type { Db } from '../schema/database.ts'

/** A map that forgets its oldest entry once it holds `limit` (a Map keeps insertion order). */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(readonly limit: number) {}

  has(key: K): boolean {
    return this.entries.has(key)
  }

  get(key: K): V | undefined {
    return this.entries.get(key)
  }

  set(key: K, value: V): void {
    if (!this.entries.has(key) && this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(key, value)
  }

  /** The value kept for `key`, made and kept now if there is none. */
  remember(key: K, make: () => V): V {
    if (this.entries.has(key)) return this.entries.get(key) as V
    const value = make()
    this.set(key, value)
    return value
  }
}

export interface PerConnection<V> {
  (db: Db): V
  /** Drops the value for this connection; the next call makes it again. */
  forget(db: Db): void
}

/** A value made on first use for each database connection and kept while the connection lives. */
export function perConnection<V>(make: (db: Db) => V): PerConnection<V> {
  const values = new WeakMap<object, V>()
  const get = (db: Db): V => {
    let value = values.get(db.$client)
    if (value === undefined) {
      value = make(db)
      values.set(db.$client, value)
    }
    return value
  }
  return Object.assign(get, { forget: (db: Db) => void values.delete(db.$client) })
}
