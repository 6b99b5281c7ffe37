// Case review under load, against a bare Fastify hello-world measured in the same run: every
// figure is a ratio, so it is about the code and not this machine. To keep the ratio honest on a
// busy machine, each scenario alternates short runs of itself and of hello-world (same
// connections, two seconds each; one in a smoke run), and the ratio is of their summed requests. The app runs on a temporary SQLite
// file with the demo data (a published round for the dashboard) and two busy cases of about 40
// obligations each (seeds/busy-case.ts), and autocannon, in a worker thread, drives:
//   - the case page, compressed (accept-encoding: br): >= 2% of hello-world, p99 <= 100 ms at 10
//     connections; reported with its bytes, its size on the wire and a table of compression levels;
//   - the signed-in floor, GET /health with a session (the session check, security headers and
//     CSRF cookie parsing every signed-in page pays): >= 50%;
//   - the round dashboard of the published demo round, warm and compressed: >= 3%;
//   - autosave of one answer at 50 connections, each request a real audited write (checked
//     afterwards against the audit log): >= 8%, p99 <= 50 ms; reported with the write's parts
//     (bench/write-cost.ts).
import Fastify from 'fastify'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import zlib from 'node:zlib'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { eq, sql } from 'drizzle-orm'
import { applicableItems } from '../audits/applicability.ts'
import { fieldIdOf } from '../audits/field-ids.ts'
import { busyCaseFacts } from '../seeds/busy-case.ts'
import { openDatabase, type Db } from '../schema/database.ts'
import { agencies, auditLog, populationCases, roundAgencies, rounds, sampleCases, users } from '../schema/index.ts'
import { loadDemoData } from '../seeds/demo.ts'
import { DEMO_PASSWORD } from '../seeds/cumbria.ts'
import { buildApp } from '../server/app.ts'
import { loadConfig } from '../server/config.ts'
import { loadAnswer } from '../server/services/review/queries.ts'
import { atLeast, atMost } from './result.ts'
import type { BenchResult } from './result.ts'
import { small } from './scale.ts'
import { writeCost } from './write-cost.ts'

const CONNECTIONS = 10
const AUTOSAVE_CONNECTIONS = 50
/** Slices of each scenario, each paired with one of hello-world as long. */
const SLICES = small ? 1 : 5
const SLICE_SECONDS = small ? 1 : 2
const WORKERS = 1

export interface CannonResult {
  requests: { average: number; total: number }
  latency: { p99: number; average: number }
  '2xx': number
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

function cookiesFrom(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';')
    const eq = pair?.indexOf('=') ?? -1
    if (pair && eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1))
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')

/** Signs in through the sign-in form, as a browser would: the session cookie and the page's CSRF token. */
export async function signIn(base: string, email = 'auditor@qaf.example'): Promise<{ cookie: string; csrf: string }> {
  const jar = new Map<string, string>()
  const form = await fetch(`${base}/sign-in`)
  cookiesFrom(form, jar)
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
  const body = new URLSearchParams({ email, password: DEMO_PASSWORD, _csrf: token })
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
  })
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`)
  cookiesFrom(res, jar)
  const home = await fetch(`${base}/`, { headers: { cookie: cookieHeader(jar) } })
  cookiesFrom(home, jar)
  const csrf = /"x-csrf-token": "([^"]+)"/.exec(await home.text())?.[1]
  if (!csrf) throw new Error('no CSRF token on the home page')
  return { cookie: cookieHeader(jar), csrf }
}

async function listen(app: {
  listen: (o: { port: number; host: string }) => Promise<string>
  server: { address(): AddressInfo | string | null }
}): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address() as AddressInfo
  return `http://127.0.0.1:${addr.port}`
}

export interface ReviewData {
  db: Db
  dir: string
  dbFile: string
  /** The first busy case, the one the case page scenario opens. */
  caseId: number
  keys: string[]
  /** Every obligation of both busy cases: autosave gives each connection one of its own. */
  slots: Array<{ caseId: number; key: string }>
  /** The published demo round (the bench round when built without the demo rounds). */
  dashboardRoundId: number
}

export interface ReviewBench extends ReviewData {
  base: string
  helloBase: string
  cookie: string
  csrf: string
  /** An admin's session, for the scores pages. */
  adminCookie: string
  close(): Promise<void>
}

export const BENCH_JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789'

/** A temporary SQLite file with the demo data and a fieldwork round holding two busy cases given to the demo auditor. */
export async function prepareReviewData({ demoRounds = true } = {}): Promise<ReviewData> {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-review-bench-'))
  const dbFile = join(dir, 'bench.sqlite')
  const db = openDatabase(dbFile)
  await loadDemoData(db, { rounds: demoRounds })
  const now = new Date().toISOString()
  const roundId = db
    .insert(rounds)
    .values({
      name: 'Bench round',
      edition: '2020',
      periodFrom: '2023-01-01',
      periodTo: '2023-12-31',
      status: 'fieldwork',
      createdAt: now,
    })
    .returning({ id: rounds.id })
    .get().id
  for (const a of db.select({ id: agencies.id }).from(agencies).all())
    db.insert(roundAgencies).values({ roundId, agencyId: a.id }).run()
  const facts = busyCaseFacts()
  const keys = applicableItems(facts).items.map((o) => o.key)
  const auditorId =
    db.select({ id: users.id }).from(users).where(eq(users.email, 'auditor@qaf.example')).get()?.id ?? null
  const caseIds = [1, 2].map((n) => {
    const popId = db
      .insert(populationCases)
      .values({
        roundId,
        caseRef: `BENCH-000${n}`,
        reportedOn: facts.reportedOn,
        offenceGroup: facts.offenceGroup,
        district: 'Carlisle',
        events: JSON.stringify(facts.events),
      })
      .returning({ id: populationCases.id })
      .get().id
    return db
      .insert(sampleCases)
      .values({
        roundId,
        populationCaseId: popId,
        stratum: 'Carlisle',
        drawPosition: n,
        auditorId,
        facts: JSON.stringify(facts),
        updatedAt: now,
      })
      .returning({ id: sampleCases.id })
      .get().id
  })
  const dashboardRoundId =
    db.select({ id: rounds.id }).from(rounds).where(eq(rounds.status, 'published')).orderBy(rounds.id).get()?.id ??
    roundId
  if (demoRounds && dashboardRoundId === roundId) throw new Error('the demo data has no published round')

  return {
    db,
    dir,
    dbFile,
    caseId: caseIds[0] as number,
    keys,
    slots: caseIds.flatMap((caseId) => keys.map((key) => ({ caseId, key }))),
    dashboardRoundId,
  }
}

/** The app on a temporary database with demo data, two busy cases and a signed-in auditor, beside a bare hello-world. */
export async function startReviewBench({ demoRounds = true } = {}): Promise<ReviewBench> {
  const data = await prepareReviewData({ demoRounds })
  const { db, dir, dbFile } = data
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DB_FILE: dbFile,
    JWT_SECRET: BENCH_JWT_SECRET,
  })
  const app = await buildApp({ config, db, jwtSecret: config.jwtSecret as string })
  const hello = Fastify({ logger: false })
  hello.get('/', async () => 'hello world')

  const base = await listen(app)
  const helloBase = await listen(hello)
  const { cookie, csrf } = await signIn(base)
  const admin = db
    .select({ id: users.id, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.email, 'admin@qaf.example'))
    .get()
  if (!admin) throw new Error('no admin user')
  const adminCookie = `qaf_session=${app.sessionToken(admin)}`
  return {
    ...data,
    base,
    helloBase,
    cookie,
    csrf,
    adminCookie,
    async close() {
      await hello.close()
      await app.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

let poolRuns = 0

export interface AutosavePool {
  requests: NonNullable<CannonOptions['requests']>
  /** What the pool had to mend in the run (all 0 when every request got its answer). */
  repairs(): { reclaimed: number; conflictsAdopted: number }
}

/**
 * autocannon requests that autosave answers on the busy cases, each a real write: each request
 * takes an obligation no other request has in flight, flips its outcome and sends the version the
 * last response gave, starting from what is stored now (so a run after another carries on).
 *
 * Responses that save nothing must not break the pool. The 30-second overload run once died
 * with 'more connections than obligations': an earlier pool put an obligation back only when the
 * response carried a new version, and on a machine loaded by other work the overload guard
 * answered some requests 503 (the server behaving as designed), which carry none. Now every
 * response puts its obligation back, and its outcome counts as stored only once a new version
 * came back (otherwise the next request would resend the stored outcome, which the server keeps
 * without writing, and the audit check would flag it). A request that never gets its response
 * (autocannon gives up after 10 s and reconnects) would still hold its obligation, so when none is
 * free the longest-waiting one is taken back, and a 409 (its lost save did happen) adopts the
 * stored version. Timeouts and 409s count as failures in autocannon's figures anyway, so this
 * hides nothing; `repairs()` reports them.
 */
export function autosavePool({
  db,
  dir,
  slots,
  cookie,
  csrf,
}: Pick<ReviewData, 'db' | 'dir' | 'slots'> & { cookie: string; csrf: string }): AutosavePool {
  const pool = slots.map(({ caseId, key }) => {
    const stored = loadAnswer(db, caseId, key)
    return { caseId, key, fid: fieldIdOf(key), version: stored?.version ?? 0, outcome: stored?.outcome ?? 'not_met' }
  })
  // The hooks run in autocannon's worker, so they are written out as files; a fresh name per run,
  // since the worker's require cache would otherwise keep the last run's pool.
  const run = ++poolRuns
  const poolFile = join(dir, `pool-${run}.cjs`)
  const repairsFile = join(dir, `pool-${run}-repairs.json`)
  writeFileSync(repairsFile, JSON.stringify({ reclaimed: 0, conflictsAdopted: 0 }))
  writeFileSync(
    poolFile,
    `const { writeFileSync } = require('node:fs')
const free = ${JSON.stringify(pool)}
const inFlight = new Set()
const repairs = { reclaimed: 0, conflictsAdopted: 0 }
const note = () => writeFileSync(${JSON.stringify(repairsFile)}, JSON.stringify(repairs))
// autocannon keeps a context from a request to its response (and clears it after): the slot
// travels in it and goes back to the free list once the response is in.
exports.setup = (req, context) => {
  let slot = free.shift()
  if (!slot) {
    slot = [...inFlight].sort((a, b) => a.sentAt - b.sentAt)[0]
    if (!slot) throw new Error('more connections than obligations')
    repairs.reclaimed++
    note()
  }
  inFlight.add(slot)
  slot.sentAt = Date.now()
  context.slot = slot
  // The stored outcome flips only once the save is answered with a new version: after a response
  // that saved nothing (a 503 from the overload guard, say) the next request must still differ
  // from what is stored, or the server rightly keeps it unchanged and nothing is written.
  slot.sending = slot.outcome === 'met' ? 'not_met' : 'met'
  const body = new URLSearchParams({ [slot.fid + '-outcome']: slot.sending, [slot.fid + '-version']: String(slot.version) }).toString()
  return { ...req, path: '/cases/' + slot.caseId + '/answers/' + encodeURIComponent(slot.key), body }
}
exports.done = (status, body, context) => {
  const slot = context.slot
  if (!slot || !inFlight.has(slot)) return
  inFlight.delete(slot)
  const m = /id="([^"]+)-version" name="[^"]+" value="(\\d+)" hx-swap-oob/.exec(body)
  if (m && m[1] === slot.fid) {
    slot.version = Number(m[2])
    slot.outcome = slot.sending
  }
  const theirs = status === 409 && /-theirs(?:&quot;|&#34;|")\\s*:\\s*(?:&quot;|&#34;|")(\\d+)/.exec(body)
  if (theirs) {
    // The lost save did happen: what is stored is what it sent.
    slot.version = Number(theirs[1])
    slot.outcome = slot.sending
    repairs.conflictsAdopted++
    note()
  }
  free.push(slot)
}
`,
  )
  writeFileSync(join(dir, `setup-${run}.cjs`), `module.exports = require('./pool-${run}.cjs').setup\n`)
  writeFileSync(join(dir, `done-${run}.cjs`), `module.exports = require('./pool-${run}.cjs').done\n`)
  const headers = {
    cookie,
    'x-csrf-token': csrf,
    'hx-request': 'true',
    'content-type': 'application/x-www-form-urlencoded',
  }
  return {
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: join(dir, `setup-${run}.cjs`),
        onResponse: join(dir, `done-${run}.cjs`),
      },
    ],
    repairs: () => JSON.parse(readFileSync(repairsFile, 'utf8')) as { reclaimed: number; conflictsAdopted: number },
  }
}

export interface Paired {
  /** The scenario's requests over hello-world's, summed over the slices. */
  share: number
  rps: number
  helloRps: number
  /** Median of the slices' p99 latencies, and each slice's. */
  p99Ms: number
  p99MsBySlice: number[]
  failures: number
  ok2xx: number
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/** The scenario and hello-world in alternating runs of SLICE_SECONDS at the same connections. */
export async function paired(
  target: () => CannonOptions,
  helloUrl: string,
  connections: number,
  slices = SLICES,
): Promise<Paired> {
  let requests = 0
  let helloRequests = 0
  let failures = 0
  let ok2xx = 0
  const p99s: number[] = []
  for (let i = 0; i < slices; i++) {
    const h = await autocannon({ url: helloUrl, connections, duration: SLICE_SECONDS, workers: WORKERS })
    const r = await autocannon({ ...target(), connections, duration: SLICE_SECONDS, workers: WORKERS })
    helloRequests += h.requests.total
    requests += r.requests.total
    failures += r.non2xx + r.errors + r.timeouts
    ok2xx += r['2xx']
    p99s.push(r.latency.p99)
  }
  return {
    share: requests / helloRequests,
    rps: Math.round(requests / slices / SLICE_SECONDS),
    helloRps: Math.round(helloRequests / slices / SLICE_SECONDS),
    p99Ms: median(p99s),
    p99MsBySlice: p99s,
    failures,
    ok2xx,
  }
}

/** Bytes and microseconds per compression of the case page at each level tried. */
function compressionLevels(page: Buffer): Record<string, { bytes: number; us: number }> {
  const time = (f: () => Buffer) => {
    const runs = small ? 5 : 30
    const us: number[] = []
    let out = f()
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint()
      out = f()
      us.push(Number(process.hrtime.bigint() - t) / 1000)
    }
    return { bytes: out.length, us: Math.round(median(us)) }
  }
  const table: Record<string, { bytes: number; us: number }> = {}
  for (const q of [1, 2, 3, 4, 5, 6])
    table[`br${q}`] = time(() =>
      zlib.brotliCompressSync(page, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: page.length },
      }),
    )
  for (const l of [1, 3, 6, 9]) table[`gzip${l}`] = time(() => zlib.gzipSync(page, { level: l }))
  return table
}

export default async (): Promise<BenchResult[]> => {
  // A smoke run skips the demo rounds (nine seconds to build): its dashboard is the bench round's.
  const bench = await startReviewBench({ demoRounds: !small })
  const { db, base, helloBase, caseId, keys, cookie, adminCookie, dashboardRoundId, close } = bench
  try {
    const br = { 'accept-encoding': 'br, gzip' }
    const pageUrl = `${base}/cases/${caseId}`
    const dashboardUrl = `${base}/scores/rounds/${dashboardRoundId}`
    const page = await fetch(pageUrl, { headers: { cookie } })
    if (page.status !== 200) throw new Error(`case page answered ${page.status}`)
    const pageBytes = Buffer.from(await page.arrayBuffer())
    // fetch decompresses; node:http does not, so it shows the bytes on the wire.
    const wire = async (url: string, c: string) => {
      const { request } = await import('node:http')
      return new Promise<{ bytes: number; encoding: string | undefined }>((resolve, reject) => {
        request(url, { headers: { cookie: c, ...br } }, (res) => {
          let bytes = 0
          res.on('data', (d: Buffer) => (bytes += d.length))
          res.on('end', () => resolve({ bytes, encoding: res.headers['content-encoding'] }))
        })
          .on('error', reject)
          .end()
      })
    }
    const pageWire = await wire(pageUrl, cookie)
    const dashboard = await fetch(dashboardUrl, { headers: { cookie: adminCookie } })
    if (dashboard.status !== 200) throw new Error(`dashboard answered ${dashboard.status}`)
    const dashboardBytes = (await dashboard.arrayBuffer()).byteLength
    const dashboardWire = await wire(dashboardUrl, adminCookie)

    // Warm both servers (JIT, template cache, memoised applicability and scores) before measuring.
    await autocannon({ url: `${helloBase}/`, connections: CONNECTIONS, duration: 1, workers: WORKERS })
    await autocannon({
      url: pageUrl,
      connections: CONNECTIONS,
      duration: 1,
      workers: WORKERS,
      headers: { cookie, ...br },
    })
    await autocannon({
      url: dashboardUrl,
      connections: CONNECTIONS,
      duration: 1,
      workers: WORKERS,
      headers: { cookie: adminCookie, ...br },
    })

    const hello = `${helloBase}/`
    const pageRun = await paired(
      () => ({ url: pageUrl, headers: { cookie, ...br }, connections: CONNECTIONS, duration: 1 }),
      hello,
      CONNECTIONS,
    )
    const floorRun = await paired(
      () => ({ url: `${base}/health`, headers: { cookie }, connections: CONNECTIONS, duration: 1 }),
      hello,
      CONNECTIONS,
    )
    const dashboardRun = await paired(
      () => ({ url: dashboardUrl, headers: { cookie: adminCookie, ...br }, connections: CONNECTIONS, duration: 1 }),
      hello,
      CONNECTIONS,
    )

    const auditBefore =
      db.select({ n: sql<number>`count(*)` }).from(auditLog).where(eq(auditLog.action, 'answer_saved')).get()?.n ?? 0
    const autosaveRun = await paired(
      () => ({ url: base, requests: autosavePool(bench).requests, connections: AUTOSAVE_CONNECTIONS, duration: 1 }),
      hello,
      AUTOSAVE_CONNECTIONS,
    )
    const auditAfter =
      db.select({ n: sql<number>`count(*)` }).from(auditLog).where(eq(auditLog.action, 'answer_saved')).get()?.n ?? 0
    // Every answered request must be a real write with its audit entry. The log may hold more
    // than autocannon counted: requests in flight when a slice ends are still saved.
    const audited = auditAfter - auditBefore
    const write = writeCost(db, small ? 200 : 3000)
    const levels = compressionLevels(pageBytes)

    const share = (r: Paired) => (r.failures > 0 ? 0 : r.share * 100)
    const extra = (r: Paired, connections: number) => ({
      rps: r.rps,
      helloRps: r.helloRps,
      p99Ms: r.p99Ms,
      p99MsBySlice: r.p99MsBySlice,
      failures: r.failures,
      connections,
      slices: SLICES,
    })
    const micros = (rps: number) => Math.round(1e6 / rps)
    const floorShare = share(floorRun)
    return [
      atLeast('review-case-page-vs-hello', share(pageRun), '% of hello-world req/s', 2, {
        ...extra(pageRun, CONNECTIONS),
        obligations: keys.length,
        bytes: pageBytes.length,
        wireBytes: pageWire.bytes,
        encoding: pageWire.encoding,
        budgetUs: micros(pageRun.helloRps * 0.02),
        usedUs: micros(pageRun.rps),
        compressionLevels: levels,
      }),
      atMost('review-case-page-p99', pageRun.p99Ms, 'ms', 100, extra(pageRun, CONNECTIONS)),
      atLeast('review-signed-in-floor-vs-hello', floorShare, '% of hello-world req/s', 50, {
        ...extra(floorRun, CONNECTIONS),
        usedUs: micros(floorRun.rps),
        helloUs: micros(floorRun.helloRps),
      }),
      atLeast('review-round-dashboard-vs-hello', share(dashboardRun), '% of hello-world req/s', 3, {
        ...extra(dashboardRun, CONNECTIONS),
        bytes: dashboardBytes,
        wireBytes: dashboardWire.bytes,
        budgetUs: micros(dashboardRun.helloRps * 0.03),
        usedUs: micros(dashboardRun.rps),
      }),
      atLeast(
        'review-autosave-vs-hello',
        audited >= autosaveRun.ok2xx ? share(autosaveRun) : 0,
        '% of hello-world req/s',
        8,
        {
          ...extra(autosaveRun, AUTOSAVE_CONNECTIONS),
          auditedWrites: audited,
          answered2xx: autosaveRun.ok2xx,
          budgetUs: micros(autosaveRun.helloRps * 0.08),
          usedUs: micros(autosaveRun.rps),
          signedInFloorUs: micros(floorRun.rps),
          write,
        },
      ),
      atMost('review-autosave-p99', autosaveRun.p99Ms, 'ms', 50, extra(autosaveRun, AUTOSAVE_CONNECTIONS)),
    ]
  } finally {
    await close()
  }
}
