// Runs every benchmark in bench/ (files named *.bench.ts) and prints one JSON object per line:
// {"bench", "value", "unit", "target", "ok", ...extra}. Exit code 1 when any target is missed.
import { readdirSync } from 'node:fs'
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
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as {
    default: () => Promise<BenchResult[]> | BenchResult[]
  }
  for (const result of await mod.default()) {
    if (!result.ok) failed = true
    process.stdout.write(JSON.stringify(result) + '\n')
  }
}
process.exitCode = failed ? 1 : 0
