// npm run import-population -- --round <id> <file.csv>
// npm run import-population -- --new-round "<name>" <file.csv>
//
// Imports a population file into a round from the command line, through the same importer as
// the browser upload. Works on a new database file too: opening it applies the migrations, and
// DEMO_DATA (on by default outside production) loads the Cumbria agencies and accounts first.
// Exit codes: 0 imported or unchanged, 1 the file or the round was refused, 2 wrong usage.
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { existsSync, statSync } from 'node:fs'
import { ConfigError, loadConfig } from '../config.ts'
import { openDatabase } from '../../schema/database.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import { importPopulation, type ImportOutcome, type ImportTarget } from '../population/importer.ts'
import { PROBLEMS_SHOWN } from '../population/problems.ts'
import { formatDateTime, plural } from '../view-helpers.ts'

const usage = `Usage:
  npm run import-population -- --round <id> <file.csv>
  npm run import-population -- --new-round "<name>" <file.csv>`

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  env: Record<string, string | undefined>
}

const n = (x: number) => x.toLocaleString('en-GB')

function describe(outcome: ImportOutcome, fileName: string, io: CliIo): number {
  switch (outcome.kind) {
    case 'imported': {
      const seconds = outcome.milliseconds / 1000
      io.out(
        `Imported ${plural(outcome.rows, 'case')} from ${fileName} into round ${outcome.roundId} in ` +
          `${seconds.toFixed(1)} s (${n(Math.round(outcome.rows / Math.max(seconds, 0.001)))} rows a second).`,
      )
      if (outcome.replaced > 0) io.out(`They replace the ${plural(outcome.replaced, 'case')} imported before.`)
      io.out(`SHA-256 ${outcome.sha256}`)
      return 0
    }
    case 'unchanged':
      io.out(
        `Nothing changed: ${fileName} is already the population of round ${outcome.roundId} ` +
          `(${plural(outcome.rows, 'case')}, imported ${formatDateTime(outcome.importedAt)}).`,
      )
      return 0
    case 'refused':
      for (const m of outcome.messages) io.err(m)
      io.err('Nothing was imported.')
      return 1
    case 'problems': {
      io.err(
        `${fileName} has ${plural(outcome.count, 'problem')} in ${plural(outcome.rowsRead, 'row')}. Nothing was ` +
          `imported.`,
      )
      for (const p of outcome.problems.slice(0, PROBLEMS_SHOWN)) {
        const where = p.column ? `line ${p.line}, ${p.column}` : `line ${p.line}`
        io.err(`  ${where}${p.value ? ` (${JSON.stringify(p.value)})` : ''}: ${p.reason}`)
      }
      if (outcome.count > PROBLEMS_SHOWN) io.err(`  …and ${n(outcome.count - PROBLEMS_SHOWN)} more.`)
      return 1
    }
  }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { round: { type: 'string' }, 'new-round': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    })
  } catch (err) {
    io.err(`${(err as Error).message}\n${usage}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.out(usage)
    return 0
  }
  let target: ImportTarget
  if (values.round !== undefined && values['new-round'] === undefined && /^[1-9]\d{0,15}$/.test(values.round)) {
    target = { roundId: Number(values.round) }
  } else if (
    values['new-round'] !== undefined &&
    values.round === undefined &&
    values['new-round'].trim() !== '' &&
    values['new-round'].length <= 200
  ) {
    target = { newRoundName: values['new-round'].trim() }
  } else {
    io.err(`Give either --round with a round number or --new-round with a name (up to 200 characters).\n${usage}`)
    return 2
  }
  const [file, ...extra] = positionals
  if (!file || extra.length > 0) {
    io.err(`Give exactly one CSV file.\n${usage}`)
    return 2
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    io.err(`There is no file at ${file}.`)
    return 2
  }

  let config
  try {
    config = loadConfig(io.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message)
      return 2
    }
    throw err
  }
  const db = openDatabase(config.dbFile)
  try {
    if (config.demoData && (await loadDemoData(db))) io.out(`Loaded Cumbria demo data into ${config.dbFile}.`)
    const fileName = basename(file)
    const outcome = await importPopulation(db, { path: file, fileName, target, actor: null })
    return describe(outcome, fileName, io)
  } finally {
    db.$client.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const io: CliIo = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
  }
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(
        `The import failed: ${err instanceof Error ? err.message : String(err)}\nNothing was imported.\n`,
      )
      process.exitCode = 1
    },
  )
}
