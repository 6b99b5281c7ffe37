// seededOrder over a million case references must finish inside a second, since a draw runs
// while the auditor waits. The references look like real ones (area code, year, number, so long
// shared prefixes) and arrive in no useful order, so the sort does real work.
import { seededOrder } from '../audits/sampling.ts'
import { atMost } from './result.ts'
import { scale, small } from './scale.ts'
import type { BenchResult } from './result.ts'

// BENCH_SCALE=small: a tenth, for a smoke run (the target is for the million).
const IDS = small ? 100_000 : 1_000_000
const RUNS = 3

function makeIds(n: number): string[] {
  const areas = ['LDN', 'MCR', 'BHM', 'LDS', 'CDF', 'NCL', 'BRS', 'SHF']
  const ids: string[] = []
  // A fixed LCG scatters the numbering so the input is in no useful order.
  let x = 2463534242
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    ids.push(`${areas[x % areas.length] ?? 'LDN'}-${2020 + (x % 6)}-${String(x >>> 8).padStart(8, '0')}-${i}`)
  }
  // Real references arrive flat from the database or a CSV parse. Strings built by template
  // literals are ropes that V8 reads through an extra indirection, which would measure the
  // generator rather than the draw; a JSON round trip gives flat copies.
  return JSON.parse(JSON.stringify(ids)) as string[]
}

export default async (): Promise<BenchResult[]> => {
  const ids = makeIds(IDS)
  const times: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now()
    const order = seededOrder(ids, `bench-${r}`)
    times.push(performance.now() - start)
    if (order.length !== IDS) throw new Error('seededOrder lost ids')
  }
  times.sort((a, b) => a - b)
  const median = times[Math.floor(RUNS / 2)] ?? Number.NaN
  return [atMost('seeded-order-1m', median, 'ms', 1000, { scale, ids: IDS, runs: times.map((t) => Math.round(t)) })]
}
