// One page's cost in process, without sockets or a load generator: CPU and wall milliseconds per
// request through app.inject, and the share spent rendering templates. For A/B comparisons of a
// change on a busy machine (CPU time varies less than throughput). Run:
// npx tsx bench/page-cost.ts [path]   (default: the review bench's case page; ENC=identity for no compression;
// DUMP=file writes the first response)
import { prepareReviewData, BENCH_JWT_SECRET } from './review.bench.ts'
import { loadConfig } from '../server/config.ts'
import { buildApp } from '../server/app.ts'
import { users } from '../schema/index.ts'
import { eq } from 'drizzle-orm'
const data = await prepareReviewData({ demoRounds: true })
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  DB_FILE: data.dbFile,
  JWT_SECRET: BENCH_JWT_SECRET,
})
const app = await buildApp({ config, db: data.db, jwtSecret: config.jwtSecret as string })
const u = data.db
  .select({ id: users.id, sessionVersion: users.sessionVersion })
  .from(users)
  .where(eq(users.email, process.env.AS ?? 'auditor@qaf.example'))
  .get()!
const cookie = `qaf_session=${app.sessionToken(u)}`
const path = process.argv[2] ?? `/cases/${data.caseId}`
const N = Number(process.env.N ?? 300)
const headers = { cookie, 'accept-encoding': process.env.ENC ?? 'br, gzip' }
const r0 = await app.inject({ url: path, headers })
console.log(r0.statusCode, r0.rawPayload.length, 'bytes')
if (process.env.DUMP) {
  ;(await import('node:fs')).writeFileSync(process.env.DUMP, r0.rawPayload)
  process.exit(0)
}
for (let i = 0; i < N; i++) await app.inject({ url: path, headers })
const times: number[] = []
let renderMs = 0
const orig = app.eta.render.bind(app.eta)
app.eta.render = ((...args: Parameters<typeof orig>) => {
  const s = performance.now()
  try {
    return orig(...args)
  } finally {
    renderMs += performance.now() - s
  }
}) as typeof app.eta.render
const cpus: number[] = []
for (let r = 0; r < 5; r++) {
  const t = performance.now()
  const c = process.cpuUsage()
  for (let i = 0; i < N; i++) await app.inject({ url: path, headers })
  times.push((performance.now() - t) / N)
  const d = process.cpuUsage(c)
  cpus.push((d.user + d.system) / 1000 / N)
}
console.log(
  'render ms/req',
  (renderMs / (5 * N)).toFixed(3),
  'cpu ms/req',
  cpus.map((x) => x.toFixed(3)).join(' '),
  'min',
  Math.min(...cpus).toFixed(3),
)
console.log('ms/req', times.map((x) => x.toFixed(3)).join(' '), 'min', Math.min(...times).toFixed(3))
await app.close()
process.exit(0)
