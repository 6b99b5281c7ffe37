// Score pages over a large history: 40 rounds × 500 sampled cases × 40 answers (800,000
// answers, a tenth of cases moderated) in a temporary SQLite file, measured through app.inject
// as an admin (who sees every round and every agency, the heaviest case). Targets from issue 8:
// round dashboard < 100 ms median, all-rounds trend page < 300 ms median, exports < 1 s.
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
import { forgetKeptScores } from '../server/routes/scores/memo.ts'
import { atMost, type BenchResult } from './result.ts'

const ROUNDS = 40
const CASES = 500
const ANSWERS = 40
const MODERATED_SHARE = 0.1
const MODERATED_ANSWERS = 4
const DISTRICTS = ['Allerdale', 'Barrow-in-Furness', 'Carlisle', 'Copeland', 'Eden', 'South Lakeland']
const OUTCOMES = ['met', 'met', 'met', 'met', 'met', 'met', 'partially_met', 'not_met', 'not_applicable', 'not_evidenced'] as const

// A fixed generator so every run measures the same data.
function rng(seed: number) {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x / 2 ** 32
  }
}

export function fill(db: Db): { answers: number } {
  const random = rng(20240401)
  const agencyByType = new Map(db.select({ id: agencies.id, type: agencies.type }).from(agencies).all().map((a) => [a.type as string, a.id]))
  const allAgencies = [...new Set(agencyByType.values())]
  const sqlite = db.$client
  const insRound = sqlite.prepare(
    `INSERT INTO rounds (name, edition, period_from, period_to, status, rag_green, rag_amber, moderation_share, created_at) VALUES (?, ?, ?, ?, 'published', 95, 80, 0.1, ?)`,
  )
  const insRoundAgency = sqlite.prepare('INSERT INTO round_agencies (round_id, agency_id) VALUES (?, ?)')
  const insDraw = sqlite.prepare(
    `INSERT INTO sample_draws (round_id, seed, stratify_by, allocation, margin_of_error, confidence, minimum_per_stratum, population_sha256, strata, drawn_at) VALUES (?, 'bench', 'district', 'proportional', 5, 95, 5, ?, ?, ?)`,
  )
  const insPop = sqlite.prepare(`INSERT INTO population_cases (round_id, case_ref, reported_on, offence_group, district) VALUES (?, ?, ?, 'violence', ?)`)
  const insCase = sqlite.prepare(
    `INSERT INTO sample_cases (round_id, population_case_id, stratum, draw_position, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  )
  const insAnswer = sqlite.prepare(
    `INSERT INTO answers (sample_case_id, marker, obligation_key, item_id, agency_id, outcome, evidence_date, due_date, days_late, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  let answerCount = 0
  sqlite.transaction(() => {
    for (let r = 0; r < ROUNDS; r++) {
      // Quarterly rounds from 2017; the 2020 Code from April 2021, so trends cross editions.
      const year = 2017 + Math.floor(r / 4)
      const quarter = r % 4
      const from = `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`
      const to = `${year}-${String(quarter * 3 + 3).padStart(2, '0')}-28`
      const edition: Edition = from >= '2021-04-01' ? '2020' : '2015'
      const items = frameworks[edition].items
      const now = new Date().toISOString()
      const roundId = Number(insRound.run(`Round ${r + 1} (${year} Q${quarter + 1})`, edition, from, to, now).lastInsertRowid)
      for (const a of allAgencies) insRoundAgency.run(roundId, a)
      const strata = DISTRICTS.map((d, i) => ({ key: d, population: 800 + i * 400, take: 0 }))
      for (let c = 0; c < CASES; c++) {
        const district = DISTRICTS[c % DISTRICTS.length] as string
        const stratum = strata.find((s) => s.key === district)
        if (stratum) stratum.take++
        const popId = Number(insPop.run(roundId, `CMB-${year}-${r}-${String(c).padStart(5, '0')}`, from, district).lastInsertRowid)
        const status = c % 50 === 49 ? 'replaced' : c % 10 === 0 ? 'in_progress' : 'complete'
        const caseId = Number(insCase.run(roundId, popId, district, c, status, now).lastInsertRowid)
        const moderated = random() < MODERATED_SHARE
        const primaries = moderated ? ANSWERS - MODERATED_ANSWERS : ANSWERS
        for (let k = 0; k < primaries; k++) {
          const item = items[Math.floor(random() * items.length)] ?? items[0]
          if (!item) continue
          const outcome = random() < 0.03 ? null : (OUTCOMES[Math.floor(random() * OUTCOMES.length)] ?? 'met')
          const timed = item.timeLimit !== null && outcome !== null && outcome !== 'not_applicable' && outcome !== 'not_evidenced'
          const late = timed ? (random() < 0.7 ? 0 : 1 + Math.floor(random() * 15)) : null
          insAnswer.run(caseId, 'primary', `${item.id}#${k}`, item.id, agencyByType.get(item.agency) ?? null, outcome, timed ? from : null, timed ? from : null, late, now)
          answerCount++
          if (moderated && k < MODERATED_ANSWERS) {
            insAnswer.run(caseId, 'moderator', `${item.id}#${k}`, item.id, agencyByType.get(item.agency) ?? null, 'met', timed ? from : null, timed ? from : null, late, now)
            answerCount++
          }
        }
      }
      insDraw.run(roundId, '0'.repeat(64), JSON.stringify(strata), now)
    }
  })()
  sqlite.pragma('optimize')
  return { answers: answerCount }
}

async function median(runs: number, fn: () => Promise<void>, before?: () => void): Promise<{ median: number; times: number[] }> {
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
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DB_FILE: file })
    const app = await buildApp({ config, db, jwtSecret: 'bench-secret-that-is-long-enough-0123456789', closeDb: false })
    await app.ready()
    const fillStart = performance.now()
    const { answers } = fill(db)
    const fillMs = performance.now() - fillStart
    const admin = db.select({ id: users.id, sessionVersion: users.sessionVersion }).from(users).where(eq(users.email, 'admin@qaf.example')).get()
    if (!admin) throw new Error('no admin user')
    const cookie = `qaf_session=${app.sessionToken(admin)}`
    const roundId = ROUNDS - 5

    const get = (url: string) => async () => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie } })
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
    }
    // Score figures are kept per round until that round's data_version moves (database triggers
    // on answers and sample_cases; server/routes/scores/memo.ts). "cold" runs change an answer of
    // the round a page shows first, as an autosave would, so that round is counted afresh;
    // "after a write" runs change one answer in the newest round, which the trend page then
    // recounts while the other 39 rounds are reused; "first request" empties every kept figure.
    const touch = db.$client.prepare(
      `UPDATE answers SET updated_at = ? WHERE id = (SELECT a.id FROM answers a JOIN sample_cases sc ON sc.id = a.sample_case_id WHERE sc.round_id = ? LIMIT 1)`,
    )
    const writeIn = (round: number) => () => {
      touch.run(new Date().toISOString(), round)
    }
    const cold = writeIn(roundId)
    const latestRoundWrite = writeIn(ROUNDS)
    const firstRequest = () => forgetKeptScores(db)
    const dashboardCold = await median(15, get(`/scores/rounds/${roundId}`), cold)
    const dashboardWarm = await median(15, get(`/scores/rounds/${roundId}`))
    const trendsFirst = await median(5, get('/scores/trends'), firstRequest)
    const trendsAfterWrite = await median(9, get('/scores/trends'), latestRoundWrite)
    const trendsWarm = await median(9, get('/scores/trends'))
    const trendItemFirst = await median(5, get('/scores/trends?measure=item:R6.5&agency=1'), firstRequest)
    const csv = await median(5, get(`/scores/rounds/${roundId}/export.csv`), cold)
    const xlsx = await median(5, get(`/scores/rounds/${roundId}/export.xlsx`), cold)
    const report = await median(5, get(`/scores/rounds/${roundId}/report`), cold)
    const summary = await median(9, get('/scores/summary'), firstRequest)
    await app.close()
    const extra = { rounds: ROUNDS, answers, fillMs: Math.round(fillMs) }
    return [
      atMost('scores-round-dashboard-cold', dashboardCold.median, 'ms', 100, { ...extra, runs: dashboardCold.times }),
      atMost('scores-round-dashboard-warm', dashboardWarm.median, 'ms', 100, { runs: dashboardWarm.times }),
      atMost('scores-trends-all-rounds-after-write', trendsAfterWrite.median, 'ms', 300, { runs: trendsAfterWrite.times, firstRequestMs: Math.round(trendsFirst.median), firstRequestRuns: trendsFirst.times }),
      atMost('scores-trends-all-rounds-warm', trendsWarm.median, 'ms', 300, { runs: trendsWarm.times }),
      atMost('scores-trends-item-one-agency-first-request', trendItemFirst.median, 'ms', 300, { runs: trendItemFirst.times }),
      atMost('scores-export-csv-cold', csv.median, 'ms', 1000, { runs: csv.times }),
      atMost('scores-export-xlsx-cold', xlsx.median, 'ms', 1000, { runs: xlsx.times }),
      atMost('scores-report-cold', report.median, 'ms', 1000, { runs: report.times }),
      atMost('scores-summary-first-request', summary.median, 'ms', 300, { runs: summary.times }),
    ]
  } finally {
    db.$client.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
