// A million-row population must import in at most 10 s, with the process staying under 400 MB,
// through the command line's own code path (bench/import-child.ts runs main() in a process of
// its own, so the peak memory is the import's and not the generator's). The file comes from the
// synthetic generator and is written before any timing starts. The yardstick is the sqlite3
// shell's `.import --csv` of the same file into a bare table (no checks, no indexes).
import { spawn, spawnSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generatePopulationCsv } from '../seeds/population-generator.ts'
import { atMost, type BenchResult } from './result.ts'
import { scale, small } from './scale.ts'

// BENCH_SCALE=small: a tenth, for a smoke run (the targets are for the million).
const CASES = small ? 100_000 : 1_000_000

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path)
  for (const chunk of generatePopulationCsv({ cases: CASES, seed: 'bench' }, 5000)) {
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

function runChild(
  dbFile: string,
  csv: string,
): Promise<{ code: number; milliseconds: number; cpuSeconds: number; maxRssKb: number; output: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, join(import.meta.dirname, 'import-child.ts'), dbFile, csv],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''))
      } catch {
        reject(new Error(`import child printed no result: ${out}`))
      }
    })
  })
}

/** The sqlite3 shell on PATH (Debian's sqlite3 package), if there is one. */
function sqlite3Shell(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' })
  const path = found.stdout.trim()
  return found.status === 0 && path ? path : null
}

function sqliteYardstick(dir: string, csv: string): number | null {
  const shell = sqlite3Shell()
  if (!shell) return null
  const db = join(dir, 'yardstick.sqlite')
  const started = performance.now()
  const result = spawnSync(shell, [db, '.import --csv ' + csv + ' population'], { stdio: 'ignore' })
  const seconds = (performance.now() - started) / 1000
  return result.status === 0 ? seconds : null
}

export default async (): Promise<BenchResult[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-import-bench-'))
  try {
    const csv = join(dir, 'population.csv')
    await writeFile(csv)
    const megabytes = statSync(csv).size / (1024 * 1024)
    const run = await runChild(join(dir, 'qaf.sqlite'), csv)
    if (run.code !== 0) throw new Error(`the import failed: ${run.output.join('\n')}`)
    const seconds = run.milliseconds / 1000
    const peakRssMb = run.maxRssKb / 1024
    const yardstick = sqliteYardstick(dir, csv)
    const extra = {
      rows: CASES,
      fileMb: Math.round(megabytes),
      rowsPerSecond: Math.round(CASES / seconds),
      cpuSeconds: Math.round(run.cpuSeconds * 10) / 10,
      peakRssMb: Math.round(peakRssMb),
      sqlite3ImportSeconds: yardstick === null ? null : Math.round(yardstick * 100) / 100,
      ratioToSqlite3: yardstick === null ? null : Math.round((seconds / yardstick) * 100) / 100,
    }
    const rows = [
      atMost('population-import-1m', seconds, 's', 10, { scale, ...extra }),
      atMost('population-import-1m-peak-rss', peakRssMb, 'MB', 400, { scale, rows: CASES }),
    ]
    if (yardstick === null)
      rows.push({
        bench: 'population-import-vs-sqlite3',
        value: Number.NaN,
        unit: '× sqlite3 .import',
        target: 2,
        ok: false,
        skipped: true,
        note: 'skipped: no sqlite3 shell on PATH (apt-get install sqlite3); not counted in the exit code',
      })
    else
      rows.push(
        atMost('population-import-vs-sqlite3', seconds / yardstick, '× sqlite3 .import', 2, {
          scale,
          seconds: Math.round(seconds * 100) / 100,
          sqlite3ImportSeconds: extra.sqlite3ImportSeconds,
        }),
      )
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
