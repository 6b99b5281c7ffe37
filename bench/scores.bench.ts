// Score pages at national scale: 43 areas × 4 rounds a year × 3 years (516 rounds) × 500 sampled
// cases × 40 answers (about 10 million answers, a tenth of cases moderated) in a temporary SQLite
// file, measured through app.inject as an admin (who sees every round and every agency, the
// heaviest case). Targets (issue 21): round dashboard median <= 50 ms warm and <= 300 ms cold
// (just after a write in that round); trends across all rounds <= 300 ms, including the first
// request after a restart; CSV/XLSX export of a round <= 1 s; start-up of the server on that file
// <= 2 s and its memory at rest <= 150 MB RSS; the file's size is reported.
// The data are written by bulk SQL (bench/national-data.ts) in place of the import, draw and
// review paths; test/server/bench-scale-equal.test.ts checks on the demo rounds that the score
// queries read the same from both. BENCH_SCALE=small uses 1 area (12 rounds) for a smoke run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { buildApp } from '../server/app.ts'
import { loadConfig } from '../server/config.ts'
import { openDatabase, type Db } from '../schema/database.ts'
import { loadDemoData } from '../seeds/demo.ts'
import { agencies, users } from '../schema/index.ts'
import { forgetKeptScores } from '../server/services/scores/memo.ts'
import { atMost, type BenchResult } from './result.ts'
import { scale, small } from './scale.ts'
import { demoCaseFacts, ROUNDS_PER_AREA, syntheticRounds, writeRoundsBulk } from './national-data.ts'
import { ensureBuilt, startupAndRest } from './startup.ts'
import { statSync } from 'node:fs'

const AREAS = small ? 1 : 43
const ROUNDS = AREAS * ROUNDS_PER_AREA
const CASES = small ? 200 : 500
const ANSWERS = 40
const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789'

/** The national-scale rounds (bench/national-data.ts), written by bulk SQL after the demo data. */
export function fill(
  db: Db,
  facts: readonly string[],
  { rounds: roundCount = ROUNDS, cases: caseCount = CASES } = {},
): { answers: number } {
  const agencyRows = db.select({ id: agencies.id, type: agencies.type }).from(agencies).all()
  const agencyByType = new Map(agencyRows.map((a) => [a.type as string, a.id]))
  const plans = syntheticRounds({
    rounds: roundCount,
    cases: caseCount,
    answers: ANSWERS,
    agencyByType,
    agencyIds: [...new Set(agencyByType.values())],
    facts,
  })
  const { answers } = writeRoundsBulk(db, plans, (n) => {
    if (!small && n % ROUNDS_PER_AREA === 0) process.stderr.write(`\rscores bench: filled ${n} of ${roundCount} rounds`)
  })
  if (!small) process.stderr.write('\n')
  db.$client.pragma('optimize')
  db.$client.pragma('wal_checkpoint(TRUNCATE)')
  return { answers }
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
    const facts = await demoCaseFacts()
    const fillStart = performance.now()
    const { answers } = fill(db, facts)
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
