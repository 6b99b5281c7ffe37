import { test } from 'tap'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { openDatabase } from '../../schema/database.ts'
import { securityHeaders } from '../../server/plugins/security.ts'
import { buildTestApp } from '../fixtures/app.ts'

test('every response carries the security headers: pages, errors, redirects and assets', async (t) => {
  const { app } = await buildTestApp(t, { demo: false })
  for (const url of ['/sign-in', '/no-such-page', '/', '/assets/govuk-frontend.min.css', '/health']) {
    const res = await app.inject({ method: 'GET', url })
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /default-src 'self'/, `${url}: CSP`)
    t.match(csp, /frame-ancestors 'none'/, `${url}: no framing`)
    t.notMatch(
      csp,
      /unsafe-inline|upgrade-insecure-requests/,
      `${url}: no inline script; no upgrade outside production`,
    )
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url}: nosniff`)
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${url}: referrer policy`)
    t.equal(res.headers['strict-transport-security'], undefined, `${url}: no HSTS outside production`)
    t.equal(res.headers['x-powered-by'], undefined, `${url}: no x-powered-by`)
  }
})

test('production adds HSTS and upgrades insecure requests', async (t) => {
  const db = openDatabase(':memory:')
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DB_FILE: ':memory:',
    JWT_SECRET: 'production-secret-that-is-long-enough-0123',
  })
  const app = await buildApp({ config, db, jwtSecret: config.jwtSecret as string })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/sign-in' })
  t.match(String(res.headers['strict-transport-security']), /max-age=\d+/)
  t.match(String(res.headers['content-security-policy']), /upgrade-insecure-requests/)
})

test('securityHeaders gives what helmet would set, once', async (t) => {
  const headers = securityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"] } },
    strictTransportSecurity: false,
  })
  t.equal(headers['content-security-policy'], "default-src 'none'")
  t.equal(headers['strict-transport-security'], undefined)
  t.equal(headers['x-frame-options'], 'SAMEORIGIN')
  t.throws(
    () => securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ['self'] } } }),
    /should be quoted/,
    'a malformed policy fails at start-up',
  )
})
