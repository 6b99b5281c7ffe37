// Case review under load, against a bare Fastify hello-world measured in the same run (so the
// figures are relative to this machine, not absolute). The real app runs on a temporary SQLite
// file with one case of about 40 obligations and a signed-in auditor, and autocannon drives:
//   - autosave of one answer (POST with the session cookie and CSRF header, alternating the
//     outcome so every request is a real write): at least 25% of hello-world's requests per
//     second, with p99 latency under 50 ms;
//   - the case page (GET, about 40 obligations): at least 10% of hello-world's.
// Each connection saves a different obligation and sends the version the last response gave it,
// so no request is refused as a conflict. autocannon runs in a worker thread, so parsing large
// responses does not eat into the main thread the servers run on.
//
// Every run also measures what the targets are up against, reported beside them:
//   - the signed-in floor: a trivial signed-in request (GET /health with a session cookie), since
//     the session check costs every signed-in page the same, whatever it does;
//   - the write alone: one audited answer save called directly, with no HTTP at all;
//   - the page's bytes alone: a bare Fastify route sending the case page's exact bytes, built in
//     advance, so with no session, database or rendering.
import Fastify from 'fastify'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import { applicableItems } from '../audits/applicability.ts'
import { caseFactsSchema } from '../audits/case-facts.ts'
import { openDatabase, type Db } from '../schema/database.ts'
import { agencies, populationCases, roundAgencies, rounds, sampleCases, users } from '../schema/index.ts'
import { loadDemoData } from '../seeds/demo.ts'
import { DEMO_PASSWORD } from '../seeds/cumbria.ts'
import { buildApp } from '../server/app.ts'
import { loadConfig } from '../server/config.ts'
import { fieldIdOf } from '../server/routes/review/answer-form.ts'
import { loadCaseContext } from '../server/routes/review/case-context.ts'
import { loadAnswer } from '../server/routes/review/queries.ts'
import { saveAnswer } from '../server/routes/review/writes.ts'
import { atLeast, atMost } from './result.ts'
import type { BenchResult } from './result.ts'

const CONNECTIONS = 10
const SECONDS = 5
const WORKERS = 1

export interface CannonResult {
  requests: { average: number }
  latency: { p99: number; average: number }
  non2xx: number
  errors: number
  timeouts: number
}
export interface CannonOptions {
  url: string
  connections: number
  duration: number
  workers?: number
  headers?: Record<string, string>
  /** In worker mode, request hooks are files that default-export the function. */
  requests?: Array<{ method?: string; headers?: Record<string, string>; setupRequest?: string; onResponse?: string }>
}
export type Autocannon = (opts: CannonOptions) => Promise<CannonResult>
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

// A violent offence taken to trial, with enough hearings and bail decisions for about 40
// obligations: the size of a real case file with court stages.
function busyCaseFacts() {
  const events = [
    ['crime_recorded', '2023-03-06'], ['statement_taken', '2023-03-06'], ['property_seized', '2023-03-06'], ['language_need', '2023-03-06'],
    ['suspect_arrested', '2023-03-08'], ['suspect_interviewed', '2023-03-08'], ['bailed', '2023-03-09'],
    ['bail_changed', '2023-03-30'], ['bail_changed', '2023-04-06'], ['bail_changed', '2023-04-13'], ['charged', '2023-04-20'],
    ['hearing_set', '2023-04-21'], ['hearing_held', '2023-05-10'], ['court_bail_decision', '2023-05-10'], ['not_guilty_plea', '2023-05-10'],
    ['witness_required', '2023-05-11'], ['hearing_set', '2023-05-11'], ['hearing_held', '2023-07-03'], ['court_bail_decision', '2023-07-03'],
    ['hearing_set', '2023-07-04'], ['hearing_held', '2023-08-01'], ['hearing_set', '2023-08-02'], ['hearing_held', '2023-09-04'],
    ['verdict', '2023-09-06'], ['hearing_set', '2023-09-07'], ['hearing_held', '2023-10-02'], ['sentence', '2023-10-02'],
    ['vcs_referral', '2023-10-16'], ['complaint_received', '2023-11-01'],
  ].map(([type, date]) => ({ type, date }))
  return caseFactsSchema.parse({
    reportedOn: '2023-03-06', offenceGroup: 'violence',
    under18: false, vulnerable: false, intimidated: false, persistentlyTargeted: false, bereaved: false, domesticAbuse: false, hateCrime: false,
    sentenceMonths: 30, specifiedOffence: true, events,
  })
}

function cookiesFrom(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';')
    const eq = pair?.indexOf('=') ?? -1
    if (pair && eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1))
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')

async function signIn(base: string): Promise<{ cookie: string; csrf: string }> {
  const jar = new Map<string, string>()
  const form = await fetch(`${base}/sign-in`)
  cookiesFrom(form, jar)
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
  const body = new URLSearchParams({ email: 'auditor@qaf.example', password: DEMO_PASSWORD, _csrf: token })
  const res = await fetch(`${base}/sign-in`, { method: 'POST', body, redirect: 'manual', headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' } })
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`)
  cookiesFrom(res, jar)
  const home = await fetch(`${base}/`, { headers: { cookie: cookieHeader(jar) } })
  cookiesFrom(home, jar)
  const csrf = /"x-csrf-token": "([^"]+)"/.exec(await home.text())?.[1]
  if (!csrf) throw new Error('no CSRF token on the home page')
  return { cookie: cookieHeader(jar), csrf }
}

async function listen(app: { listen: (o: { port: number; host: string }) => Promise<string>; server: { address(): AddressInfo | string | null } }): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address() as AddressInfo
  return `http://127.0.0.1:${addr.port}`
}

export interface ReviewBench {
  db: Db
  base: string
  helloBase: string
  dir: string
  caseId: number
  keys: string[]
  cookie: string
  csrf: string
  close(): Promise<void>
}

/** The app on a temporary database with one busy case and a signed-in auditor, beside a bare hello-world. */
export async function startReviewBench(): Promise<ReviewBench> {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-review-bench-'))
  const dbFile = join(dir, 'bench.sqlite')
  const db = openDatabase(dbFile)
  await loadDemoData(db)

  const now = new Date().toISOString()
  const roundId = db.insert(rounds).values({ name: 'Bench round', edition: '2020', periodFrom: '2023-01-01', periodTo: '2023-12-31', status: 'fieldwork', createdAt: now }).returning({ id: rounds.id }).get().id
  for (const a of db.select({ id: agencies.id }).from(agencies).all()) db.insert(roundAgencies).values({ roundId, agencyId: a.id }).run()
  const facts = busyCaseFacts()
  const keys = applicableItems(facts).items.map((o) => o.key)
  const popId = db
    .insert(populationCases)
    .values({ roundId, caseRef: 'BENCH-0001', reportedOn: facts.reportedOn, offenceGroup: facts.offenceGroup, district: 'Carlisle', events: JSON.stringify(facts.events) })
    .returning({ id: populationCases.id })
    .get().id
  const auditorId = db.select({ id: users.id }).from(users).where(eq(users.email, 'auditor@qaf.example')).get()?.id ?? null
  const caseId = db
    .insert(sampleCases)
    .values({ roundId, populationCaseId: popId, stratum: 'Carlisle', drawPosition: 0, auditorId, facts: JSON.stringify(facts), updatedAt: now })
    .returning({ id: sampleCases.id })
    .get().id

  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DB_FILE: dbFile, JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789' })
  const app = await buildApp({ config, db, jwtSecret: config.jwtSecret as string })
  const hello = Fastify({ logger: false })
  hello.get('/', async () => 'hello world')

  const base = await listen(app)
  const helloBase = await listen(hello)
  const { cookie, csrf } = await signIn(base)
  return {
    db, base, helloBase, dir, caseId, keys, cookie, csrf,
    async close() {
      await hello.close()
      await app.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** autocannon requests that autosave answers on the bench case, each a real write. */
export function autosaveRequestsFor({ dir, caseId, keys, cookie, csrf }: Pick<ReviewBench, 'dir' | 'caseId' | 'keys' | 'cookie' | 'csrf'>): NonNullable<CannonOptions['requests']> {
  // Each connection takes an obligation that is not in flight, with the version its last
  // response gave, and hands it back when the answer comes. The hooks run in autocannon's
  // worker, so they are written out as files that share one module.
  const pool = join(dir, 'pool.cjs')
  writeFileSync(
    pool,
    `const caseId = ${caseId}
const free = ${JSON.stringify(keys.map((key) => ({ key, fid: fieldIdOf(key), version: 0, outcome: 'met' })))}
const inFlight = new Map()
exports.setup = (req) => {
  const slot = free.shift()
  if (!slot) throw new Error('more connections than obligations')
  slot.outcome = slot.outcome === 'met' ? 'not_met' : 'met'
  inFlight.set(slot.fid, slot)
  const body = new URLSearchParams({ [slot.fid + '-outcome']: slot.outcome, [slot.fid + '-version']: String(slot.version) }).toString()
  return { ...req, path: '/cases/' + caseId + '/answers/' + encodeURIComponent(slot.key), body }
}
exports.done = (status, body) => {
  const m = /id="([^"]+)-version" name="[^"]+" value="(\\d+)" hx-swap-oob/.exec(body)
  const slot = m ? inFlight.get(m[1]) : undefined
  if (!slot) return
  inFlight.delete(m[1])
  slot.version = Number(m[2])
  free.push(slot)
}
`,
  )
  writeFileSync(join(dir, 'setup.cjs'), "module.exports = require('./pool.cjs').setup\n")
  writeFileSync(join(dir, 'done.cjs'), "module.exports = require('./pool.cjs').done\n")
  const headers = { cookie, 'x-csrf-token': csrf, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' }
  return [{ method: 'POST', headers, setupRequest: join(dir, 'setup.cjs'), onResponse: join(dir, 'done.cjs') }]
}

/**
 * The write alone: microseconds per audited save of one answer (the transaction with its version
 * check, audit-log entry and case touch) called directly, with no HTTP, session or rendering.
 */
function saveAloneMicros(db: Db, caseId: number, saves: number): number {
  const user = db.select().from(users).where(eq(users.email, 'auditor@qaf.example')).get()
  if (!user) throw new Error('no auditor')
  const scope = { userId: user.id, email: user.email, displayName: user.displayName, role: user.role, agencyId: user.agencyId }
  // Loaded as a request would, after the HTTP runs: the case is already in progress, so a save
  // does not also record the case starting (as the first save of a real case does).
  const ctx = loadCaseContext(db, scope, caseId)
  const items = ctx?.applicability?.items
  if (!ctx || !items) throw new Error('bench case has no obligations')
  if (ctx.rec.status !== 'in_progress') throw new Error(`bench case is ${ctx.rec.status}, not in progress`)
  const stored = new Map(items.map((o) => [o.key, loadAnswer(db, caseId, o.key)]))
  const save = (i: number) => {
    const obligation = items[i % items.length]!
    const before = stored.get(obligation.key)
    const value = { outcome: before?.outcome === 'met' ? 'not_met' : 'met', evidenceDate: null, note: null, timelinessOverride: null, overrideReason: null, dueDate: obligation.dueDate, daysLate: null } as const
    const result = saveAnswer(db, scope, ctx.rec, { obligation, value, expectedVersion: before?.version ?? 0, agencyId: before?.agencyId ?? null }, null)
    if (result.kind !== 'saved') throw new Error(`bench save was ${result.kind}`)
    stored.set(obligation.key, result.row)
  }
  for (let i = 0; i < 200; i++) save(i)
  const started = process.hrtime.bigint()
  for (let i = 0; i < saves; i++) save(i)
  return Number(process.hrtime.bigint() - started) / saves / 1000
}

/** A bare Fastify route sending these exact bytes, already built: what no rendering at all would reach. */
async function staticBytesRun(body: Buffer): Promise<CannonResult> {
  const bare = Fastify({ logger: false })
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(body))
  try {
    const url = await listen(bare)
    await autocannon({ url, connections: CONNECTIONS, duration: 1, workers: WORKERS })
    return await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, workers: WORKERS })
  } finally {
    await bare.close()
  }
}

export default async (): Promise<BenchResult[]> => {
  const { db, base, helloBase, dir, caseId, keys, cookie, csrf, close } = await startReviewBench()
  try {
    const page = await fetch(`${base}/cases/${caseId}`, { headers: { cookie } })
    if (page.status !== 200) throw new Error(`case page answered ${page.status}`)
    const pageBytes = Buffer.from(await page.arrayBuffer())

    // Warm both servers (JIT, template cache, memoised applicability) before measuring.
    await autocannon({ url: `${helloBase}/`, connections: CONNECTIONS, duration: 1, workers: WORKERS })
    await autocannon({ url: `${base}/cases/${caseId}`, connections: CONNECTIONS, duration: 1, workers: WORKERS, headers: { cookie } })

    const helloRun = await autocannon({ url: `${helloBase}/`, connections: CONNECTIONS, duration: SECONDS, workers: WORKERS })

    const autosaveRequests = autosaveRequestsFor({ dir, caseId, keys, cookie, csrf })
    const autosaveRun = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      workers: WORKERS,
      requests: autosaveRequests,
    })

    const pageRun = await autocannon({ url: `${base}/cases/${caseId}`, connections: CONNECTIONS, duration: SECONDS, workers: WORKERS, headers: { cookie } })
    const floorRun = await autocannon({ url: `${base}/health`, connections: CONNECTIONS, duration: SECONDS, workers: WORKERS, headers: { cookie } })
    const staticRun = await staticBytesRun(pageBytes)
    const saveUs = saveAloneMicros(db, caseId, 3000)

    const helloRps = helloRun.requests.average
    const failures = (r: CannonResult) => r.non2xx + r.errors + r.timeouts
    const floor = {
      signedInFloorRps: Math.round(floorRun.requests.average),
      signedInFloorPct: Math.round((floorRun.requests.average / helloRps) * 1000) / 10,
    }
    const extra = (r: CannonResult) => ({ helloRps: Math.round(helloRps), rps: Math.round(r.requests.average), p99Ms: r.latency.p99, failures: failures(r), ...floor, connections: CONNECTIONS, seconds: SECONDS })
    const autosaveShare = failures(autosaveRun) > 0 ? 0 : autosaveRun.requests.average / helloRps
    const pageShare = failures(pageRun) > 0 ? 0 : pageRun.requests.average / helloRps
    const micros = (rps: number) => Math.round(1e6 / rps)
    // What the targets leave per request, beside what the parts cost on their own: the server is
    // one thread, so its time per request is one over its requests per second.
    const autosaveParts = {
      budgetUs: micros(helloRps * 0.25),
      helloUs: micros(helloRps),
      signedInFloorUs: micros(floorRun.requests.average),
      saveAloneUs: Math.round(saveUs),
    }
    const pageParts = {
      bytes: pageBytes.length,
      budgetUs: micros(helloRps * 0.1),
      staticBytesRps: Math.round(staticRun.requests.average),
      staticBytesPct: Math.round((staticRun.requests.average / helloRps) * 1000) / 10,
    }
    return [
      atLeast('review-autosave-vs-hello', autosaveShare * 100, '% of hello-world req/s', 25, { ...extra(autosaveRun), ...autosaveParts }),
      atMost('review-autosave-p99', autosaveRun.latency.p99, 'ms', 50, extra(autosaveRun)),
      atLeast('review-case-page-vs-hello', pageShare * 100, '% of hello-world req/s', 10, { ...extra(pageRun), obligations: keys.length, ...pageParts }),
    ]
  } finally {
    await close()
  }
}
