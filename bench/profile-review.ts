// Where the server's time goes under the review benchmark's load: records a CPU profile of the
// main thread (the servers) while autocannon, in its worker, drives one scenario, then prints the
// functions with the most self time. Run: npx tsx bench/profile-review.ts autosave|page|dashboard|floor|hello
import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { autocannon, autosavePool, startReviewBench } from './review.bench.ts'

const scenario = process.argv[2] ?? 'autosave'
const bench = await startReviewBench()
const { base, caseId, cookie } = bench
const run = (seconds: number) => {
  const common = { connections: 10, duration: seconds, workers: 1 }
  const br = { 'accept-encoding': 'br, gzip' }
  if (scenario === 'autosave')
    return autocannon({ ...common, connections: 50, url: base, requests: autosavePool(bench).requests })
  if (scenario === 'page') return autocannon({ ...common, url: `${base}/cases/${caseId}`, headers: { cookie, ...br } })
  if (scenario === 'dashboard')
    return autocannon({
      ...common,
      url: `${base}/scores/rounds/${bench.dashboardRoundId}`,
      headers: { cookie: bench.adminCookie, ...br },
    })
  if (scenario === 'hello') return autocannon({ ...common, url: `${bench.helloBase}/` })
  return autocannon({ ...common, url: `${base}/health`, headers: { cookie } })
}

// Warm up on the case page: autosave's version pool starts again at 0 each run.
await autocannon({ connections: 10, duration: 2, workers: 1, url: `${base}/cases/${caseId}`, headers: { cookie } })
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.setSamplingInterval', { interval: 100 })
await session.post('Profiler.start')
const result = await run(5)
const { profile } = await session.post('Profiler.stop')
await bench.close()
writeFileSync(`/tmp/qaf-${scenario}.cpuprofile`, JSON.stringify(profile))

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
}
const nodes = profile.nodes as Node[]
const total = nodes.reduce((s, n) => s + n.hitCount, 0)
const self = new Map<string, number>()
for (const n of nodes) {
  const url = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '')
  const key = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`
  self.set(key, (self.get(key) ?? 0) + n.hitCount)
}
const byPackage = new Map<string, number>()
for (const n of nodes) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(n.callFrame.url)
  const pkg = m
    ? m[1]!
    : n.callFrame.url.startsWith('file:')
      ? 'app'
      : n.callFrame.url.startsWith('node:')
        ? 'node'
        : n.callFrame.functionName || '(native)'
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n.hitCount)
}
console.log(
  `${scenario}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, non2xx ${result.non2xx}`,
)
console.log('\nby package (self %)')
for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${((v / total) * 100).toFixed(1).padStart(5)}  ${k}`)
console.log('\nby function (self %)')
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40))
  console.log(`${((v / total) * 100).toFixed(1).padStart(5)}  ${k}`)
