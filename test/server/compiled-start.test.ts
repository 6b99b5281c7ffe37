// `npm start` runs the compiled server (dist/, built by `npm run build`), not the TypeScript: the
// compiled code must find what sits beside the source (views, migrations, the password list, the
// import's worker) and serve the same pages.
import t from 'tap'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { generatedCsv } from '../fixtures/population.ts'
import { freePort } from '../../bench/startup.ts'

const root = join(import.meta.dirname, '..', '..')

function output(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })))
}

t.test('the compiled server starts, migrates a new database and serves pages; the compiled import runs', async (t) => {
  // Without the test runner's loader (it puts one in NODE_OPTIONS of every child), which breaks
  // the TypeScript compiler's launcher and is not wanted in the server.
  execFileSync('env', ['-u', 'NODE_OPTIONS', 'npm', 'run', '--silent', 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const dir = mkdtempSync(join(tmpdir(), 'qaf-compiled-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const dbFile = join(dir, 'qaf.sqlite')
  const port = await freePort()
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DB_FILE: dbFile,
    PORT: String(port),
    DEMO_DATA: 'on',
    JWT_SECRET: 'compiled-test-secret-that-is-long-enough',
  }
  // From another directory: nothing may depend on where it is started from, beyond DB_FILE.
  const server = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, join(root, 'dist', 'server', 'main.js')], {
    cwd: dir,
    env,
    stdio: 'pipe',
  })
  const ended = output(server)
  t.teardown(() => server.kill('SIGTERM'))
  const base = `http://127.0.0.1:${port}`
  let up = false
  for (let i = 0; i < 600 && !up && server.exitCode === null; i++) {
    up = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (!up) await new Promise((r) => setTimeout(r, 100))
  }
  if (!up) {
    server.kill('SIGTERM')
    t.fail(`the compiled server did not start: ${(await ended).err}`)
    return
  }
  const signIn = await fetch(`${base}/sign-in`)
  t.equal(signIn.status, 200)
  t.match(await signIn.text(), /<h1[^>]*>Sign in/)
  const css = /href="(\/assets\/built\/[^"]+\.css)"/.exec(await (await fetch(`${base}/sign-in`)).text())?.[1]
  t.ok(css, 'the page links its fingerprinted stylesheet')
  t.equal((await fetch(`${base}${css}`)).status, 200, 'and the stylesheet is served')
  server.kill('SIGTERM')
  await ended

  const db = new Database(dbFile, { readonly: true })
  t.ok((db.prepare('select count(*) as n from users').get() as { n: number }).n > 0, 'migrated and given its demo data')
  db.close()

  // The import command compiled: its writer runs in a worker thread loaded from dist/.
  const csv = join(dir, 'population.csv')
  writeFileSync(csv, generatedCsv(2000, 'compiled'))
  const cli = spawn(
    'env',
    [
      '-u',
      'NODE_OPTIONS',
      process.execPath,
      join(root, 'dist', 'server', 'cli', 'import-population.js'),
      '--new-round',
      'Compiled import',
      csv,
    ],
    { cwd: dir, env: { ...env, DEMO_DATA: 'off' }, stdio: 'pipe' },
  )
  const imported = await output(cli)
  t.equal(imported.code, 0, imported.err)
  t.match(imported.out, /Imported 2,000 cases/)
})
