// A stratified draw of 500 cases from a population of a million must finish inside a second: the
// admin waits for it. Measured on the route's own code path (drawRoundSample: reading the
// sampling frame, hashing it, allocating, drawing, writing the sample and the audit entry) against
// a temporary SQLite file. The population is written straight into the table here, in a scattered
// order like a real import, so this benchmark does not depend on the import code.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../schema/database.ts'
import { drawRoundSample, type DrawDesign } from '../server/services/rounds/draw.ts'
import type { Scope } from '../server/scope.ts'
import { scale, small } from './scale.ts'
import { atMost, type BenchResult } from './result.ts'

const CASES = small ? 100_000 : 1_000_000
const SAMPLE = 500
const RUNS = 5

// Shares of recorded crime by district and offence group, roughly Cumbria's.
const districts: [string, number][] = [
  ['allerdale', 0.19],
  ['barrow', 0.14],
  ['carlisle', 0.22],
  ['copeland', 0.14],
  ['eden', 0.1],
  ['south_lakeland', 0.21],
]
const offenceGroups: [string, number][] = [
  ['violence', 0.42],
  ['sexual', 0.04],
  ['robbery', 0.01],
  ['theft', 0.25],
  ['criminal_damage_arson', 0.12],
  ['public_order', 0.1],
  ['other', 0.06],
]
const agencyRefs = ['police', 'police', 'cps', 'Victim Support', null]

function pickShare(shares: [string, number][], u: number): string {
  let acc = 0
  for (const [key, share] of shares) {
    acc += share
    if (u < acc) return key
  }
  return (shares[shares.length - 1] as [string, number])[0]
}

function buildPopulation(file: string): { roundId: number; scope: Scope } {
  const db = openDatabase(file)
  const c = db.$client
  c.pragma('synchronous = OFF')
  const now = new Date().toISOString()
  const agency = c
    .prepare("insert into agencies (name, short_name, type) values ('Bench Constabulary', 'Constabulary', 'police')")
    .run().lastInsertRowid
  const admin = c
    .prepare(
      "insert into users (email, display_name, password_hash, role, created_at, updated_at) values ('bench@qaf.example', 'Bench', 'x', 'admin', ?, ?)",
    )
    .run(now, now).lastInsertRowid
  const roundId = Number(
    c
      .prepare(
        "insert into rounds (name, edition, period_from, period_to, status, created_at) values ('Bench', '2020', '2024-04-01', '2025-03-31', 'sampling', ?)",
      )
      .run(now).lastInsertRowid,
  )
  c.prepare('insert into round_agencies (round_id, agency_id) values (?, ?)').run(roundId, agency)

  // Many rows per statement: a million single-row statements would take most of a minute.
  const PER = 200
  const insert = c.prepare(
    `insert into population_cases (round_id, case_ref, reported_on, offence_group, district, agency_ref) values ${Array.from({ length: PER }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
  )
  let x = 88172645
  const rand = () => {
    // xorshift32: fixed, so every run builds the same population.
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 4294967296
  }
  c.transaction(() => {
    const params: unknown[] = []
    for (let i = 0; i < CASES; i++) {
      // i·7919 mod a prime above CASES is a bijection: unique references in a scattered order.
      const serial = String((i * 7919) % 1_000_003).padStart(7, '0')
      const year = 2019 + (i % 6)
      const day = 1 + Math.floor(rand() * 28)
      params.push(
        roundId,
        `CU-${year}-${serial}`,
        `2024-0${1 + (i % 9)}-${String(day).padStart(2, '0')}`,
        pickShare(offenceGroups, rand()),
        pickShare(districts, rand()),
        agencyRefs[i % agencyRefs.length],
      )
      if (params.length === PER * 6) {
        insert.run(params)
        params.length = 0
      }
    }
    const single = c.prepare(
      'insert into population_cases (round_id, case_ref, reported_on, offence_group, district, agency_ref) values (?, ?, ?, ?, ?, ?)',
    )
    for (let i = 0; i < params.length; i += 6) single.run(params.slice(i, i + 6))
  })()
  db.$client.close()
  return {
    roundId,
    scope: { userId: Number(admin), email: 'bench@qaf.example', displayName: 'Bench', role: 'admin', agencyId: null },
  }
}

export default async (): Promise<BenchResult[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-draw-bench-'))
  try {
    const file = join(dir, 'bench.sqlite')
    const built = performance.now()
    const { roundId, scope } = buildPopulation(file)
    const buildMs = performance.now() - built
    // A fresh connection, as the server would have: nothing of the build left in its cache.
    const db = openDatabase(file)
    const design: DrawDesign = {
      stratifyBy: 'district',
      allocation: 'proportional',
      marginOfError: 50,
      confidence: 95,
      minimumPerStratum: 5,
      sampleSize: SAMPLE,
    }
    const times: number[] = []
    for (let r = 0; r < RUNS; r++) {
      const start = performance.now()
      const result = drawRoundSample(db, scope, roundId, design, `bench-seed-${r}`)
      times.push(performance.now() - start)
      if (!result.ok) throw new Error(`draw refused: ${result.message}`)
      if (result.total !== SAMPLE) throw new Error(`drew ${result.total} cases, not ${SAMPLE}`)
    }
    db.$client.close()
    const sorted = [...times].sort((a, b) => a - b)
    const median = sorted[Math.floor(RUNS / 2)] ?? Number.NaN
    return [
      atMost('draw-500-of-1m', median, 'ms', 1000, {
        scale,
        population: CASES,
        sample: SAMPLE,
        stratifyBy: 'district',
        runs: times.map((t) => Math.round(t)),
        populationBuildMs: Math.round(buildMs),
      }),
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
