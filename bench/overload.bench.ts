// 50 connections for 30 seconds on a round dashboard and then on autosave, through real HTTP, to
// the server started as it runs for real (server/main.ts, compiled, in a process of its own, with
// its overload guard on), so its memory is the server's alone and not autocannon's:
//   - no request may fail: non-2xx (a 503 from the overload guard included), errors and timeouts
//     all count, and every autosave answered 2xx must be a real write with its audit entry;
//   - memory stays steady: the server's RSS is sampled every second and reported at the start
//     (after a warm-up), the middle and the end of each run, every fifth sample beside them; the
//     mean of the last third may exceed that of the middle third by at most 25 MB (sampleRss).
// OVERLOAD_SECONDS shortens the runs for a quick look (BENCH_SCALE=small: 5 s).
import { rmSync } from 'node:fs'
import { eq, sql } from 'drizzle-orm'
import { auditLog } from '../schema/index.ts'
import { atMost, type BenchResult } from './result.ts'
import {
  autocannon,
  autosavePool,
  BENCH_JWT_SECRET,
  prepareReviewData,
  signIn,
  type CannonOptions,
  type CannonResult,
} from './review.bench.ts'
import { scale, small } from './scale.ts'
import { ensureBuilt, rssMb, sleep, startServer } from './startup.ts'

const CONNECTIONS = 50
const SECONDS = Number(process.env.OVERLOAD_SECONDS ?? (small ? 5 : 30))
const RSS_LATE_GROWTH_MB = 25

/**
 * The server's RSS every second. `rssLateGrowthMb` is the mean of the run's last third less the
 * mean of its middle third: memory that keeps growing as requests are served (a leak) grows as
 * much late in the run as early, while V8 and malloc sizing themselves to 50 concurrent requests
 * level off; thirds rather than single samples, since RSS saws up and down with each collection.
 */
function sampleRss(pid: number) {
  const samples: number[] = []
  const take = () => samples.push(rssMb(pid))
  take()
  const timer = setInterval(take, 1000)
  return {
    stop() {
      clearInterval(timer)
      take()
      const r = (mb: number) => Math.round(mb * 10) / 10
      const third = Math.max(1, Math.floor(samples.length / 3))
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
      return {
        rssStartMb: r(samples[0] ?? Number.NaN),
        rssMiddleMb: r(samples[Math.floor(samples.length / 2)] ?? Number.NaN),
        rssEndMb: r(samples.at(-1) ?? Number.NaN),
        rssMaxMb: r(Math.max(...samples)),
        rssLateGrowthMb: r(mean(samples.slice(-third)) - mean(samples.slice(third, 2 * third))),
        rssEvery5sMb: samples.filter((_, i) => i % 5 === 0).map((mb) => Math.round(mb)),
      }
    },
  }
}

const statusCodes = (r: CannonResult) =>
  Object.fromEntries(
    Object.entries((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).map(
      ([code, { count }]) => [code, count],
    ),
  )

export default async (): Promise<BenchResult[]> => {
  // A smoke run skips the demo rounds (nine seconds to build): its dashboard is the bench round's.
  const data = await prepareReviewData({ demoRounds: !small })
  const { db } = data
  ensureBuilt()
  const server = await startServer(data.dbFile, BENCH_JWT_SECRET, 'compiled')
  try {
    const { base } = server
    const auditor = await signIn(base)
    const admin = await signIn(base, 'admin@qaf.example')
    const dashboard: CannonOptions = {
      url: `${base}/scores/rounds/${data.dashboardRoundId}`,
      connections: CONNECTIONS,
      duration: SECONDS,
      workers: 1,
      headers: { cookie: admin.cookie, 'accept-encoding': 'br, gzip' },
    }
    const answerSaved = () =>
      db.select({ n: sql<number>`count(*)` }).from(auditLog).where(eq(auditLog.action, 'answer_saved')).get()?.n ?? 0

    const results: BenchResult[] = []
    for (const name of ['overload-round-dashboard', 'overload-autosave'] as const) {
      const autosave = name === 'overload-autosave'
      // Warm-up (JIT, template cache, the round's figures), then the measured run. Autosave's
      // measured pool is made after the warm-up's saves have landed, from the versions they left.
      const warmUp = autosave ? autosavePool({ ...data, ...auditor }).requests : undefined
      await autocannon({
        ...dashboard,
        duration: 2,
        connections: 10,
        ...(warmUp ? { url: base, requests: warmUp } : {}),
      })
      await sleep(500)
      const pool = autosave ? autosavePool({ ...data, ...auditor }) : null
      const options: CannonOptions = pool
        ? { ...dashboard, url: base, headers: {}, requests: pool.requests }
        : dashboard
      const auditBefore = answerSaved()
      const memory = sampleRss(server.pid)
      const r = await autocannon(options)
      const rss = memory.stop()
      const audited = answerSaved() - auditBefore
      const failures = r.non2xx + r.errors + r.timeouts + (autosave && audited < r['2xx'] ? r['2xx'] - audited : 0)
      const figures = {
        scale,
        connections: CONNECTIONS,
        seconds: SECONDS,
        requests: r.requests.total,
        rps: Math.round(r.requests.average),
        p99Ms: r.latency.p99,
        statusCodes: statusCodes(r),
        errors: r.errors,
        timeouts: r.timeouts,
        ...(autosave ? { auditedWrites: audited, answered2xx: r['2xx'], poolRepairs: pool?.repairs() } : {}),
        ...rss,
      }
      results.push(atMost(`${name}-failures`, failures, 'requests', 0, figures))
      results.push(
        atMost(`${name}-rss-late-growth`, rss.rssLateGrowthMb, 'MB', RSS_LATE_GROWTH_MB, {
          scale,
          seconds: SECONDS,
          ...rss,
        }),
      )
    }
    return results
  } finally {
    await server.stop()
    db.$client.close()
    rmSync(data.dir, { recursive: true, force: true })
  }
}
