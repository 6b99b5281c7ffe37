// SIGKILL the real server (and the import command) mid-write, restart, and check what survived:
// SQLite's integrity check passes, an import is there in full or not at all, and every save the
// server acknowledged is still there. Faults are injected by killing child processes outright.
import t from 'tap'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { applicableItems } from '../../audits/applicability.ts'
import { fieldIdOf } from '../../audits/field-ids.ts'
import { openDatabase } from '../../schema/database.ts'
import { agencies, answers, populationCases, roundAgencies, rounds, sampleCases, users } from '../../schema/index.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import { DEMO_PASSWORD } from '../../seeds/cumbria.ts'
import { busyCaseFacts } from '../../seeds/busy-case.ts'

const root = join(import.meta.dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
// The processes to be killed run as node itself with tsx's loader: the tsx command runs the script
// in a child process of its own, and a SIGKILL to the command (which it cannot pass on) would
// leave that child, the real server or import, running on.
const nodeWithTsx = (script: string, ...args: string[]) =>
  [process.execPath, ['--import', 'tsx', script, ...args]] as const

function startServer(dbFile: string, port: number): Promise<ChildProcess> {
  const child = spawn(...nodeWithTsx('server/main.ts'), {
    cwd: root,
    env: {
      ...process.env,
      DB_FILE: dbFile,
      PORT: String(port),
      DEMO_DATA: 'off',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'crash-test-secret-that-is-long-enough-01',
    },
    stdio: 'ignore',
  })
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const poll = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return resolve(child)
      } catch {}
      if (Date.now() - started > 60_000) return reject(new Error('server did not start'))
      setTimeout(poll, 100)
    }
    void poll()
  })
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

async function signIn(base: string) {
  const jar = new Map<string, string>()
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [k, v] = (pair ?? '').split('=')
      if (k) jar.set(k, v ?? '')
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const form = await fetch(`${base}/sign-in`)
  keep(form)
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ email: 'auditor@qaf.example', password: DEMO_PASSWORD, _csrf: token }),
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
  })
  keep(res)
  const home = await fetch(`${base}/`, { headers: { cookie: cookie() } })
  keep(home)
  const csrf = /"x-csrf-token": "([^"]+)"/.exec(await home.text())?.[1] ?? ''
  return { cookie: cookie(), csrf }
}

let faults = 0

t.test('SIGKILL during a burst of autosaves: every acknowledged save survives the restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-crash-'))
  const dbFile = join(dir, 'qaf.sqlite')
  const db = openDatabase(dbFile)
  await loadDemoData(db)
  const now = new Date().toISOString()
  const roundId = db
    .insert(rounds)
    .values({
      name: 'Crash round',
      edition: '2020',
      periodFrom: '2023-01-01',
      periodTo: '2023-12-31',
      status: 'fieldwork',
      createdAt: now,
    })
    .returning({ id: rounds.id })
    .get().id
  for (const a of db.select({ id: agencies.id }).from(agencies).all())
    db.insert(roundAgencies).values({ roundId, agencyId: a.id }).run()
  const facts = busyCaseFacts()
  const keys = applicableItems(facts).items.map((o) => o.key)
  const popId = db
    .insert(populationCases)
    .values({
      roundId,
      caseRef: 'CRASH-0001',
      reportedOn: facts.reportedOn,
      offenceGroup: facts.offenceGroup,
      district: 'Carlisle',
      events: JSON.stringify(facts.events),
    })
    .returning({ id: populationCases.id })
    .get().id
  const auditorId = db.select({ id: users.id }).from(users).where(eq(users.email, 'auditor@qaf.example')).get()!.id
  const caseId = db
    .insert(sampleCases)
    .values({
      roundId,
      populationCaseId: popId,
      stratum: 'Carlisle',
      drawPosition: 0,
      auditorId,
      facts: JSON.stringify(facts),
      updatedAt: now,
    })
    .returning({ id: sampleCases.id })
    .get().id
  db.$client.close()

  const port = 41000 + Math.floor(Math.random() * 2000)
  const base = `http://127.0.0.1:${port}`
  let server = await startServer(dbFile, port)
  const { cookie, csrf } = await signIn(base)
  // Acknowledged: the server answered 200 with the new version. Each key is saved by one loop.
  const acked = new Map<string, { outcome: string; version: number }>()
  let stop = false
  let sent = 0
  let firstError = ''
  let running = 0
  const loop = async (key: string) => {
    let version = 0
    let outcome = 'met'
    while (!stop) {
      outcome = outcome === 'met' ? 'not_met' : 'met'
      const fid = fieldIdOf(key)
      sent++
      try {
        const res = await fetch(`${base}/cases/${caseId}/answers/${encodeURIComponent(key)}`, {
          method: 'POST',
          body: new URLSearchParams({ [`${fid}-outcome`]: outcome, [`${fid}-version`]: String(version) }),
          headers: {
            cookie,
            'x-csrf-token': csrf,
            'hx-request': 'true',
            'content-type': 'application/x-www-form-urlencoded',
          },
        })
        const body = await res.text()
        const m = /-version" name="[^"]+" value="(\d+)" hx-swap-oob/.exec(body)
        if (res.status !== 200 || !m) throw new Error(`save answered ${res.status}`)
        version = Number(m[1])
        acked.set(key, { outcome, version })
      } catch (err) {
        if (!stop && !firstError) firstError = String(err)
        return // the server is gone
      }
    }
  }
  const loops = keys.slice(0, 20).map((k) => {
    running++
    return loop(k).finally(() => running--)
  })
  const deadline = Date.now() + 60_000
  while (
    (acked.size < 20 || [...acked.values()].reduce((n, a) => n + a.version, 0) < 200) &&
    running > 0 &&
    Date.now() < deadline
  )
    await new Promise((r) => setTimeout(r, 20))
  t.equal(firstError, '', 'every save before the kill was acknowledged')
  const killing = kill9(server)
  // Saves in flight now are cut off by the kill: not errors of the service.
  stop = true
  await killing
  faults++
  await Promise.all(loops)
  const answered = await fetch(`${base}/health`).then(
    () => true,
    () => false,
  )
  t.notOk(answered, 'the server is gone after the kill, not running on without its parent')

  const after = openDatabase(dbFile)
  t.equal(after.$client.pragma('integrity_check', { simple: true }), 'ok', 'integrity check after the kill')
  let lost = 0
  for (const [key, a] of acked) {
    const row = after
      .select()
      .from(answers)
      .where(sql`${answers.sampleCaseId} = ${caseId} and ${answers.obligationKey} = ${key}`)
      .get()
    // A save in flight at the kill may have committed without its answer arriving: never fewer.
    if (!row || row.version < a.version || (row.version === a.version && row.outcome !== a.outcome)) lost++
  }
  after.$client.close()
  t.equal(
    lost,
    0,
    `rows lost: ${lost} of ${acked.size} keys (${sent} saves sent, ${[...acked.values()].reduce((n, a) => n + a.version, 0)} acknowledged)`,
  )
  server = await startServer(dbFile, port)
  t.equal((await fetch(`${base}/health`)).status, 200, 'the server starts again on the same file')
  const again = await signIn(base)
  t.equal(
    (await fetch(`${base}/cases/${caseId}`, { headers: { cookie: again.cookie } })).status,
    200,
    'and the case opens',
  )
  await kill9(server)
  console.log(
    `# crash safety (autosave): ${acked.size} keys, ${[...acked.values()].reduce((n, a) => n + a.version, 0)} acknowledged saves, ${lost} lost`,
  )
})

t.test('SIGKILL during a population import: the import is complete or absent', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-crash-import-'))
  const csv = join(dir, 'population.csv')
  const CASES = 60_000
  const gen = spawnSync(tsx, ['seeds/generate-population.ts', '--cases', String(CASES), '--seed', '7'], {
    cwd: root,
    maxBuffer: 1 << 30,
  })
  writeFileSync(csv, gen.stdout)
  const outcomes: string[] = []
  // On this machine the command starts in about 1 s and imports these rows in about 1 s more.
  for (const delayMs of [1200, 1500, 1800]) {
    const dbFile = join(dir, `import-${delayMs}.sqlite`)
    const child = spawn(...nodeWithTsx('server/cli/import-population.ts', '--new-round', 'Crash import', csv), {
      cwd: root,
      env: { ...process.env, DB_FILE: dbFile, NODE_ENV: 'test' },
      stdio: 'ignore',
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
    const code = await exited
    clearTimeout(timer)
    if (code === null) faults++
    const db = openDatabase(dbFile)
    t.equal(db.$client.pragma('integrity_check', { simple: true }), 'ok', `integrity after a kill at ${delayMs} ms`)
    const n = db.select({ n: sql<number>`count(*)` }).from(populationCases).get()?.n ?? 0
    t.ok(n === 0 || n === CASES, `killed at ${delayMs} ms: ${n} cases, which is all or nothing`)
    outcomes.push(
      code === null ? `killed at ${delayMs} ms: ${n === 0 ? 'absent' : 'complete'}` : `finished before ${delayMs} ms`,
    )
    db.$client.close()
  }
  console.log(`# crash safety (import): ${outcomes.join('; ')}; faults injected so far ${faults}`)
})
