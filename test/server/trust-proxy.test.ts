import t, { type Test } from 'tap'
import { eq } from 'drizzle-orm'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { openDatabase } from '../../schema/database.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import { auditLog } from '../../schema/index.ts'
import { Session } from '../fixtures/app.ts'

t.test('TRUST_PROXY: none by default, hops or addresses when set, nonsense refused', async (t) => {
  t.equal(loadConfig({}).trustProxy, false)
  t.equal(
    loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).trustProxy,
    false,
    'production no longer trusts every proxy',
  )
  t.equal(loadConfig({ TRUST_PROXY: 'none' }).trustProxy, false)
  t.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1)
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1' }).trustProxy, ['10.0.0.5', '10.1.0.0/16', '::1'])
  for (const TRUST_PROXY of ['true', 'yes', '10.0.0.300', '10.0.0.0/33', 'proxy.local', '99']) {
    t.throws(() => loadConfig({ TRUST_PROXY }), { message: /TRUST_PROXY must be/ }, TRUST_PROXY)
  }
})

async function appWith(t: Test, env: Record<string, string>) {
  const db = openDatabase(':memory:')
  await loadDemoData(db)
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DB_FILE: ':memory:', ...env }),
    db,
    jwtSecret: 'test-secret-that-is-long-enough-0123456789',
  })
  t.teardown(() => app.close())
  return { app, db }
}

t.test('a forged X-Forwarded-For is not believed unless it comes from the configured proxy', async (t) => {
  for (const [env, expected] of [
    [{}, '127.0.0.1'],
    [{ TRUST_PROXY: '10.9.9.9' }, '127.0.0.1'],
    [{ TRUST_PROXY: '127.0.0.1' }, '203.0.113.7'],
  ] as const) {
    const { app, db } = await appWith(t, env)
    const s = new Session(app)
    await s.post(
      '/sign-in',
      { email: 'admin@qaf.example', password: 'demo-password' },
      { headers: { 'x-forwarded-for': '203.0.113.7' } },
    )
    const entry = db.select().from(auditLog).where(eq(auditLog.action, 'sign_in')).get()
    t.match(String(entry?.after), expected, `${JSON.stringify(env)} records ${expected}`)
  }
})
