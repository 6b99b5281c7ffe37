// Score pages at national scale: 43 areas × 4 rounds a year × 3 years (516 rounds) × 500 sampled
// cases × 40 answers (about 10 million answers, a tenth of cases moderated) in a temporary SQLite
// file, measured through app.inject as an admin (who sees every round and every agency, the
// heaviest case). Targets (issue 21): round dashboard median <= 50 ms warm and <= 300 ms cold
// (just after a write in that round); trends across all rounds <= 300 ms, including the first
// request after a restart; CSV/XLSX export of a round <= 1 s; start-up of the server on that file
// <= 2 s and its memory at rest <= 150 MB RSS; the file's size is reported.
// The data are written by bulk SQL of the same shape the import, draw and review write (the
// columns the score queries read); BENCH_SCALE=small uses 1 area (12 rounds) for a smoke run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { buildApp } from '../server/app.ts'
import { loadConfig } from '../server/config.ts'
import { openDatabase, type Db } from '../schema/database.ts'
import { loadDemoData } from '../seeds/demo.ts'
import { agencies, users } from '../schema/index.ts'
import { frameworks } from '../audits/frameworks/index.ts'
import type { Edition } from '../audits/frameworks/index.ts'
import { forgetKeptScores } from '../server/services/scores/memo.ts'
import { atMost, type BenchResult } from './result.ts'
import { scale, small } from './scale.ts'
import { ensureBuilt, startupAndRest } from './startup.ts'
import { statSync } from 'node:fs'

const AREAS = small ? 1 : 43
const ROUNDS_PER_AREA = 12
const ROUNDS = AREAS * ROUNDS_PER_AREA
const CASES = small ? 200 : 500
const ANSWERS = 40
const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789'
const MODERATED_SHARE = 0.1
const MODERATED_ANSWERS = 4
const DISTRICTS = ['Allerdale', 'Barrow-in-Furness', 'Carlisle', 'Copeland', 'Eden', 'South Lakeland']
const OUTCOMES = [
  'met',
  'met',
  'met',
  'met',
  'met',
  'met',
  'partially_met',
  'not_met',
  'not_applicable',
  'not_evidenced',
] as const

// A fixed generator so every run measures the same data.
function rng(seed: number) {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x / 2 ** 32
  }
}

export function fill(db: Db, { rounds: roundCount = ROUNDS, cases: caseCount = CASES } = {}): { answers: number } {
  const random = rng(20240401)
  const agencyByType = new Map(
    db
      .select({ id: agencies.id, type: agencies.type })
      .from(agencies)
      .all()
      .map((a) => [a.type as string, a.id]),
  )
  const allAgencies = [...new Set(agencyByType.values())]
  const sqlite = db.$client
  const insRound = sqlite.prepare(
    `INSERT INTO rounds (name, edition, period_from, period_to, status, rag_green, rag_amber, moderation_share, created_at) VALUES (?, ?, ?, ?, 'published', 95, 80, 0.1, ?)`,
  )
  const insRoundAgency = sqlite.prepare('INSERT INTO round_agencies (round_id, agency_id) VALUES (?, ?)')
  const insDraw = sqlite.prepare(
    `INSERT INTO sample_draws (round_id, seed, stratify_by, allocation, margin_of_error, confidence, minimum_per_stratum, population_sha256, strata, drawn_at) VALUES (?, 'bench', 'district', 'proportional', 5, 95, 5, ?, ?, ?)`,
  )
  const insPop = sqlite.prepare(
    `INSERT INTO population_cases (round_id, case_ref, reported_on, offence_group, district) VALUES (?, ?, ?, 'violence', ?)`,
  )
  const insCase = sqlite.prepare(
    `INSERT INTO sample_cases (round_id, population_case_id, stratum, draw_position, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  )
  const insAnswer = sqlite.prepare(
    `INSERT INTO answers (sample_case_id, marker, obligation_key, item_id, agency_id, outcome, evidence_date, due_date, days_late, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  let answerCount = 0
  // The data_version triggers would fire once per answer; they are set aside while filling and
  // every round's version is moved once afterwards, as they would have left it (moved).
  const triggers = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_bump_round_%'`)
    .all() as Array<{ name: string; sql: string }>
  for (const t of triggers) sqlite.exec(`DROP TRIGGER ${t.name}`)
  // One transaction per round, so the WAL is checkpointed as the file grows.
  const oneRound = sqlite.transaction((n: number) => {
    {
      // Each area's quarterly rounds over three years from 2020; the 2020 Code from April 2021,
      // so trends cross editions.
      const area = Math.floor(n / ROUNDS_PER_AREA)
      const r = n % ROUNDS_PER_AREA
      const year = 2020 + Math.floor(r / 4)
      const quarter = r % 4
      const from = `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`
      const to = `${year}-${String(quarter * 3 + 3).padStart(2, '0')}-28`
      const edition: Edition = from >= '2021-04-01' ? '2020' : '2015'
      const items = frameworks[edition].items
      const now = new Date().toISOString()
      const roundId = Number(
        insRound.run(`Area ${area + 1} round ${r + 1} (${year} Q${quarter + 1})`, edition, from, to, now)
          .lastInsertRowid,
      )
      for (const a of allAgencies) insRoundAgency.run(roundId, a)
      const strata = DISTRICTS.map((d, i) => ({ key: d, population: 800 + i * 400, take: 0 }))
      for (let c = 0; c < caseCount; c++) {
        const district = DISTRICTS[c % DISTRICTS.length] as string
        const stratum = strata.find((s) => s.key === district)
        if (stratum) stratum.take++
        const popId = Number(
          insPop.run(roundId, `A${area}-${year}-${r}-${String(c).padStart(5, '0')}`, from, district).lastInsertRowid,
        )
        const status = c % 50 === 49 ? 'replaced' : c % 10 === 0 ? 'in_progress' : 'complete'
        const caseId = Number(insCase.run(roundId, popId, district, c, status, now).lastInsertRowid)
        const moderated = random() < MODERATED_SHARE
        const primaries = moderated ? ANSWERS - MODERATED_ANSWERS : ANSWERS
        for (let k = 0; k < primaries; k++) {
          const item = items[Math.floor(random() * items.length)] ?? items[0]
          if (!item) continue
          const outcome = random() < 0.03 ? null : (OUTCOMES[Math.floor(random() * OUTCOMES.length)] ?? 'met')
          const timed =
            item.timeLimit !== null && outcome !== null && outcome !== 'not_applicable' && outcome !== 'not_evidenced'
          const late = timed ? (random() < 0.7 ? 0 : 1 + Math.floor(random() * 15)) : null
          insAnswer.run(
            caseId,
            'primary',
            `${item.id}#${k}`,
            item.id,
            agencyByType.get(item.agency) ?? null,
            outcome,
            timed ? from : null,
            timed ? from : null,
            late,
            now,
          )
          answerCount++
          if (moderated && k < MODERATED_ANSWERS) {
            insAnswer.run(
              caseId,
              'moderator',
              `${item.id}#${k}`,
              item.id,
              agencyByType.get(item.agency) ?? null,
              'met',
              timed ? from : null,
              timed ? from : null,
              late,
              now,
            )
            answerCount++
          }
        }
      }
      insDraw.run(roundId, '0'.repeat(64), JSON.stringify(strata), now)
    }
  })
  for (let n = 0; n < roundCount; n++) {
    oneRound(n)
    if (!small && n % ROUNDS_PER_AREA === ROUNDS_PER_AREA - 1)
      process.stderr.write(`\rscores bench: filled ${n + 1} of ${ROUNDS} rounds`)
  }
  if (!small) process.stderr.write('\n')
  for (const t of triggers) sqlite.exec(t.sql)
  sqlite.exec('UPDATE rounds SET data_version = data_version + 1')
  sqlite.pragma('optimize')
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  return { answers: answerCount }
}

async function median(
  runs: number,
  fn: () => Promise<void>,
  before?: () => void,
): Promise<{ median: number; times: number[] }> {
  await fn() // warm-up: template compilation and the page cache
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    before?.()
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  const sorted = [...times].sort((a, b) => a - b)
  return { median: sorted[Math.floor(runs / 2)] ?? Number.NaN, times: sorted.map((t) => Math.round(t)) }
}

export default async (): Promise<BenchResult[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-scores-bench-'))
  const file = join(dir, 'bench.sqlite')
  const db = openDatabase(file)
  try {
    await loadDemoData(db)
    // Production: templates compiled once and kept, as the real server does.
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DB_FILE: file, JWT_SECRET })
    // The overload guard off (0): each page is timed alone here, and the bench's own synchronous
    // work (the fill, the first XLSX loading exceljs) must not turn the next request into a 503.
    const app = await buildApp({
      config,
      db,
      jwtSecret: JWT_SECRET,
      closeDb: false,
      pressure: { maxEventLoopDelay: 0, sampleInterval: 500 },
    })
    await app.ready()
    const fillStart = performance.now()
    const { answers } = fill(db)
    const fillMs = performance.now() - fillStart
    const admin = db
      .select({ id: users.id, sessionVersion: users.sessionVersion })
      .from(users)
      .where(eq(users.email, 'admin@qaf.example'))
      .get()
    if (!admin) throw new Error('no admin user')
    const cookie = `qaf_session=${app.sessionToken(admin)}`
    // A round of the last area, a year before its newest.
    const roundId = ROUNDS - 5

    const get = (url: string) => async () => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie } })
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
    }
    // Score figures are kept per round until that round's data_version moves (database triggers
    // on answers and sample_cases; server/services/scores/memo.ts), and those of published rounds
    // are stored in the database too. "cold" runs change an answer of the round a page shows
    // first, as an autosave would, so that round is counted afresh; "after a write" runs change
    // one answer in the newest round, which the trend page then recounts while every other round
    // is reused; "first request" forgets what memory keeps, as a restart does; "never counted"
    // also empties the stored figures (the first request ever, once after the rounds are filled).
    const touch = db.$client.prepare(
      `UPDATE answers SET updated_at = ? WHERE id = (SELECT a.id FROM answers a JOIN sample_cases sc ON sc.id = a.sample_case_id WHERE sc.round_id = ? LIMIT 1)`,
    )
    const writeIn = (round: number) => () => {
      touch.run(new Date().toISOString(), round)
    }
    const cold = writeIn(roundId)
    const latestRoundWrite = writeIn(ROUNDS)
    const firstRequest = () => forgetKeptScores(db)
    const neverCounted = () => forgetKeptScores(db, { stored: true })
    const few = small ? 3 : 5
    const dashboardCold = await median(small ? 3 : 15, get(`/scores/rounds/${roundId}`), cold)
    const dashboardWarm = await median(small ? 3 : 15, get(`/scores/rounds/${roundId}`))
    const trendsNever = await median(1, get('/scores/trends'), neverCounted)
    await get('/scores/trends')()
    const trendsFirst = await median(few, get('/scores/trends'), firstRequest)
    const trendsAfterWrite = await median(few, get('/scores/trends'), latestRoundWrite)
    const trendsWarm = await median(few, get('/scores/trends'))
    const trendItemFirst = await median(few, get('/scores/trends?measure=item:R6.5&agency=1'), firstRequest)
    const csv = await median(few, get(`/scores/rounds/${roundId}/export.csv`), cold)
    const xlsx = await median(few, get(`/scores/rounds/${roundId}/export.xlsx`), cold)
    const report = await median(few, get(`/scores/rounds/${roundId}/report`), cold)
    const summary = await median(few, get('/scores/summary'), firstRequest)
    await app.close()
    db.$client.pragma('wal_checkpoint(TRUNCATE)')
    const fileMb = Math.round(statSync(file).size / 1024 / 1024)
    // The server as started for real on this file (compiled, as `npm start` runs it), and the same
    // from the TypeScript source through tsx (`npm run dev`) for comparison; the pages it serves
    // before resting.
    const pages = [`/scores/rounds/${roundId}`, '/scores/trends', '/scores']
    const buildMs = ensureBuilt()
    const server = await startupAndRest(file, JWT_SECRET, cookie, pages, 'compiled')
    // (Not in a smoke run, to keep it under two minutes.)
    const serverTsx = small ? null : await startupAndRest(file, JWT_SECRET, cookie, pages, 'tsx')
    const extra = { scale, rounds: ROUNDS, answers, fillMs: Math.round(fillMs), fileMb }
    return [
      atMost('scores-round-dashboard-warm', dashboardWarm.median, 'ms', 50, { ...extra, runs: dashboardWarm.times }),
      atMost('scores-round-dashboard-cold', dashboardCold.median, 'ms', 300, { runs: dashboardCold.times }),
      atMost('scores-trends-all-rounds-first-request', trendsFirst.median, 'ms', 300, {
        runs: trendsFirst.times,
        neverCountedMs: Math.round(trendsNever.median),
        neverCountedRuns: trendsNever.times,
      }),
      atMost('scores-trends-all-rounds-after-write', trendsAfterWrite.median, 'ms', 300, {
        runs: trendsAfterWrite.times,
      }),
      atMost('scores-trends-all-rounds-warm', trendsWarm.median, 'ms', 300, { runs: trendsWarm.times }),
      atMost('scores-trends-item-one-agency-first-request', trendItemFirst.median, 'ms', 300, {
        runs: trendItemFirst.times,
      }),
      atMost('scores-export-csv-cold', csv.median, 'ms', 1000, { runs: csv.times }),
      atMost('scores-export-xlsx-cold', xlsx.median, 'ms', 1000, { runs: xlsx.times }),
      atMost('scores-report-cold', report.median, 'ms', 1000, { runs: report.times }),
      atMost('scores-summary-first-request', summary.median, 'ms', 300, { runs: summary.times }),
      atMost('server-start-up', server.startupMs, 'ms', 2000, {
        scale,
        fileMb,
        cpuMs: server.startupCpuMs,
        buildMs: Math.round(buildMs),
        tsxMs: serverTsx && Math.round(serverTsx.startupMs),
        tsxCpuMs: serverTsx?.startupCpuMs,
        note: 'launch of node dist/server/main.js (what npm start runs after its build) until /health answers; tsx: node --import tsx server/main.ts',
      }),
      atMost('server-rss-at-rest', server.rssAtRestMb, 'MB', 150, {
        scale,
        fileMb,
        rssJustStartedMb: Math.round(server.rssAtStartMb),
        tsxMb: serverTsx && Math.round(serverTsx.rssAtRestMb),
        note: 'after serving a dashboard, the trends and the scores home, then 3 s idle',
      }),
    ]
  } finally {
    db.$client.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
