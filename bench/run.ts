// Runs every benchmark in bench/ (files named *.bench.ts) and prints one JSON object per line:
// {"bench", "value", "unit", "target", "ok", ...extra}. Exit code 1 when any target is missed.
// Each row carries the load average before and after its file (also printed on stderr), since on
// a shared machine the figures mean little without it.
import { readdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchResult } from './result.ts'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()

let failed = false
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
for (const file of files) {
  const loadBefore = load()
  process.stderr.write(`${new Date().toISOString()} ${file}: load average ${loadBefore}\n`)
  const mod = (await import(pathToFileURL(join(here, file)).href)) as {
    default: () => Promise<BenchResult[]> | BenchResult[]
  }
  const results = await mod.default()
  const loadAfter = load()
  for (const result of results) {
    // A row skipped for want of a tool (e.g. no sqlite3 shell) says so and does not fail the run.
    if (!result.ok && !result.skipped) failed = true
    // The machine's 1, 5 and 15-minute load averages as the file started and ended.
    process.stdout.write(JSON.stringify({ ...result, load: { before: loadBefore, after: loadAfter } }) + '\n')
  }
  process.stderr.write(`${new Date().toISOString()} ${file} done: load average ${loadAfter}\n`)
}
process.exitCode = failed ? 1 : 0
