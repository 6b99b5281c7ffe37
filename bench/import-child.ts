// Run by import.bench.ts in a process of its own, so that the peak memory it reports is the
// import's alone: the command line's main() on a fresh database file, timed from start to exit
// of main(), then one JSON line on stdout.
import { main } from '../server/cli/import-population.ts'

const [dbFile, file] = process.argv.slice(2)
if (!dbFile || !file) throw new Error('usage: import-child.ts <db file> <csv file>')
const lines: string[] = []
const io = {
  out: (l: string) => lines.push(l),
  err: (l: string) => lines.push(l),
  env: { ...process.env, DB_FILE: dbFile, DEMO_DATA: 'off', NODE_ENV: 'test' },
}
const started = performance.now()
const code = await main(['--new-round', 'Benchmark', file], io)
const milliseconds = performance.now() - started
const usage = process.resourceUsage()
// CPU time (both threads) alongside wall time: on a shared machine it is the steadier figure.
process.stdout.write(
  `${JSON.stringify({ code, milliseconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssKb: usage.maxRSS, output: lines })}\n`,
)
