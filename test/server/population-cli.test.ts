import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { generatedCsv } from '../fixtures/population.ts'

const root = join(import.meta.dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['server/cli/import-population.ts', ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

t.test('the command line imports into a brand-new database, recognises the same file, refuses a bad one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = { DB_FILE: join(dir, 'db', 'qaf.sqlite') }
  const good = join(dir, 'good.csv')
  writeFileSync(good, generatedCsv(5000, 'cli'))

  const created = await run(['--new-round', 'Spring audit 2024', good], env)
  t.equal(created.code, 0, created.err)
  t.match(created.out, /Loaded Cumbria demo data/)
  t.match(created.out, /Imported 5,000 cases from good.csv into round 1 in \d+\.\d s \([\d,]+ rows a second\)/)
  const db = new Database(env.DB_FILE, { readonly: true })
  t.match(db.prepare('select name, edition, status from rounds').all(), [
    { name: 'Spring audit 2024', edition: '2020', status: 'draft' },
  ])
  t.match(db.prepare('select count(*) n from population_cases').get(), { n: 5000 })
  db.close()

  const again = await run(['--round', '1', good], env)
  t.equal(again.code, 0)
  t.match(again.out, /Nothing changed: good.csv is already the population of round 1 \(5,000 cases/)

  const lines = generatedCsv(5000, 'cli-bad').trimEnd().split('\n')
  for (let i = 1; i <= 150; i++) lines[i] = (lines[i] as string).replace(/^([^,]*),[^,]*,/, '$1,31/12/2023,')
  const bad = join(dir, 'bad.csv')
  writeFileSync(bad, `${lines.join('\n')}\n`)
  const refused = await run(['--round', '1', bad], env)
  t.equal(refused.code, 1)
  t.match(refused.err, /bad.csv has 150 problems in 5,000 rows. Nothing was imported./)
  t.match(refused.err, /line 2, reported_on \("31\/12\/2023"\): Enter a real date as YYYY-MM-DD/)
  t.match(refused.err, /…and 50 more./)
  t.equal(refused.err.split('\n').filter((l) => l.startsWith('  line ')).length, 100, 'the first 100 problems')

  const header = join(dir, 'header.csv')
  writeFileSync(header, 'case_ref,victim_name\n')
  const wrong = await run(['--round', '1', header], env)
  t.equal(wrong.code, 1)
  t.match(wrong.err, /does not recognise: "victim_name"/)

  const check = new Database(env.DB_FILE, { readonly: true })
  t.match(check.prepare('select count(*) n from population_cases').get(), { n: 5000 }, 'still the first population')
  t.match(check.prepare('select count(*) n from population_imports').get(), { n: 1 })
  check.close()
})

t.test('the command line without demo data, and its usage errors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = { DB_FILE: join(dir, 'qaf.sqlite'), DEMO_DATA: 'off' }
  const file = join(dir, 'p.csv')
  writeFileSync(file, 'case_ref,reported_on,offence_group,district,agency_ref\nA1,2023-01-01,theft,eden,police\n')
  const ok = await run(['--new-round', 'Bare', file], env)
  t.equal(ok.code, 0, ok.err)
  t.notMatch(ok.out, /demo data/)
  t.match(ok.out, /Imported 1 case from p.csv/)

  t.equal((await run([file], env)).code, 2, 'no round given')
  t.equal((await run(['--round', 'x', file], env)).code, 2, 'not a round number')
  t.equal((await run(['--round', '1', '--new-round', 'Both', file], env)).code, 2, 'both given')
  t.equal((await run(['--round', '1', join(dir, 'missing.csv')], env)).code, 2, 'no such file')
  const noRound = await run(['--round', '99', file], env)
  t.equal(noRound.code, 1)
  t.match(noRound.err, /There is no audit round with that number/)
  const badEnv = await run(['--round', '1', file], { ...env, DEMO_DATA: 'maybe' })
  t.equal(badEnv.code, 2)
  t.match(badEnv.err, /DEMO_DATA/)
})
