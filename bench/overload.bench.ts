// 50 connections for 30 seconds each on the home dashboard and on autosave, through real HTTP:
// no request may fail (a 503 from the overload guard counts as a failure here), and memory must
// stay steady (heap at the end within 50 MB of the heap after warm-up).
// OVERLOAD_SECONDS shortens the runs for a quick look.
import { atMost, type BenchResult } from './result.ts'
import { autocannon, autosaveRequestsFor, startReviewBench, type CannonResult } from './review.bench.ts'

const CONNECTIONS = 50
const SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 30)

function sampleMemory() {
  const heaps: number[] = []
  const rss: number[] = []
  const timer = setInterval(() => {
    const m = process.memoryUsage()
    heaps.push(m.heapUsed)
    rss.push(m.rss)
  }, 1000)
  return {
    stop() {
      clearInterval(timer)
      const mb = (b: number) => Math.round(b / 1e5) / 10
      return {
        heapStartMb: mb(heaps[0] ?? 0),
        heapEndMb: mb(heaps.at(-1) ?? 0),
        heapMaxMb: mb(Math.max(...heaps)),
        rssMaxMb: mb(Math.max(...rss)),
      }
    },
  }
}

export default async (): Promise<BenchResult[]> => {
  const bench = await startReviewBench()
  try {
    const { base, cookie } = bench
    await autocannon({ url: `${base}/`, connections: 10, duration: 2, workers: 1, headers: { cookie } })
    const results: BenchResult[] = []
    const failures = (r: CannonResult) => r.non2xx + r.errors + r.timeouts
    for (const [name, run] of [
      [
        'overload-dashboard',
        () =>
          autocannon({ url: `${base}/`, connections: CONNECTIONS, duration: SECONDS, workers: 1, headers: { cookie } }),
      ],
      [
        'overload-autosave',
        // One connection per obligation of the bench case (each saves its own answer, so none
        // conflicts with another), up to 50.
        () =>
          autocannon({
            url: base,
            connections: autosaveConnections(bench.keys.length),
            duration: SECONDS,
            workers: 1,
            requests: autosaveRequestsFor(bench),
          }),
      ],
    ] as const) {
      global.gc?.()
      const memory = sampleMemory()
      const r = await run()
      const m = memory.stop()
      results.push(
        atMost(`${name}-failures`, failures(r), 'requests', 0, {
          connections: name === 'overload-autosave' ? autosaveConnections(bench.keys.length) : CONNECTIONS,
          seconds: SECONDS,
          requests: Math.round(r.requests.average * SECONDS),
          rps: Math.round(r.requests.average),
          p99Ms: r.latency.p99,
          statusCodes: (r as unknown as { statusCodeStats?: unknown }).statusCodeStats,
          ...m,
        }),
      )
      results.push(atMost(`${name}-heap-growth`, m.heapEndMb - m.heapStartMb, 'MB', 50, m))
    }
    return results
  } finally {
    await bench.close()
  }
}

// One connection per obligation of the bench case, less a few spare: the review bench's request
// pool hands each connection an obligation of its own, and needs a free one whenever a response
// does not hand one back.
function autosaveConnections(obligations: number): number {
  return Math.min(CONNECTIONS, obligations - 5)
}
