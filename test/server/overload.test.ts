import t from 'tap'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { openDatabase } from '../../schema/database.ts'

t.test('a saturated event loop answers 503 with Retry-After, on the app’s own page', async (t) => {
  const db = openDatabase(':memory:')
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DB_FILE: ':memory:' }),
    db,
    jwtSecret: 'test-secret-that-is-long-enough-0123456789',
    pressure: { maxEventLoopDelay: 50, sampleInterval: 300 },
  })
  t.teardown(() => app.close())
  await app.ready()
  t.equal((await app.inject('/sign-in')).statusCode, 200, 'fine while idle')
  // Keep blocking the event loop in 80 ms slices, as a burst of heavy requests would, and ask for
  // a page in the middle of it.
  const blocker = setInterval(() => {
    const until = Date.now() + 80
    while (Date.now() < until) {}
  }, 1)
  let res = await app.inject('/sign-in')
  for (let i = 0; i < 80 && res.statusCode !== 503; i++) {
    await new Promise((r) => setTimeout(r, 50))
    res = await app.inject('/sign-in')
  }
  clearInterval(blocker)
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '10')
  t.match(String(res.headers['content-security-policy']), /default-src/)
  t.match(res.body, /The service is busy/)
  // Once the loop recovers, requests are served again.
  await new Promise((r) => setTimeout(r, 1000))
  t.equal((await app.inject('/sign-in')).statusCode, 200)
})
