import t from 'tap'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig, resolveJwtSecret } from '../../server/config.ts'

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

t.test('defaults suit local use', async (t) => {
  const c = loadConfig({})
  t.equal(c.port, 3000)
  t.equal(c.host, '127.0.0.1')
  t.equal(c.dbFile, 'data/qaf.sqlite')
  t.equal(c.demoData, true)
  t.equal(c.env, 'development')
})

t.test('a bad PORT is refused with a message naming it', async (t) => {
  for (const PORT of ['abc', '0', '70000', '3.5']) {
    t.match(problems({ PORT }), [/^PORT must be/], `PORT=${PORT}`)
  }
})

t.test('production needs a real secret of at least 32 characters', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), /JWT_SECRET is required in production/)
  t.throws(
    () => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'too-short' }),
    /JWT_SECRET must be at least 32 characters/,
  )
  const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })
  t.equal(c.jwtSecret, 'x'.repeat(32))
  t.equal(c.demoData, false, 'no demo accounts in production unless asked for')
})

t.test('DEMO_DATA accepts on/off words and rejects others', async (t) => {
  t.equal(loadConfig({ DEMO_DATA: 'off' }).demoData, false)
  t.equal(loadConfig({ DEMO_DATA: '1', NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(40) }).demoData, true)
  t.throws(() => loadConfig({ DEMO_DATA: 'maybe' }), /DEMO_DATA/)
})

t.test('every bad variable is listed at once', async (t) => {
  t.equal(problems({ PORT: 'x', LOG_LEVEL: 'loud' }).length, 2)
})

t.test('outside production a secret is generated once and kept beside the database', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-config-'))
  const config = loadConfig({ DB_FILE: join(dir, 'qaf.sqlite') })
  const first = resolveJwtSecret(config)
  t.ok(first.length >= 32)
  t.equal(resolveJwtSecret(config), first, 'the same secret on the next start')
  t.equal(readFileSync(join(dir, '.jwt-secret'), 'utf8'), first)
})
