import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, users } from '../../schema/index.ts'
import { buildTestApp, Session, signedIn } from '../fixtures/app.ts'
import { demoUsers } from '../../seeds/cumbria.ts'
import { SignInThrottle } from '../../server/routes/auth/throttle.ts'

t.test('signed-out visitors are sent to sign in; health and assets stay open', async (t) => {
  const { app } = await buildTestApp(t)
  const home = await app.inject('/')
  t.equal(home.statusCode, 303)
  t.equal(home.headers.location, '/sign-in')
  const deep = await app.inject('/admin/users')
  t.equal(deep.headers.location, '/sign-in?next=%2Fadmin%2Fusers')
  const htmx = await app.inject({ url: '/admin/users', headers: { 'hx-request': 'true' } })
  t.equal(htmx.headers['hx-redirect'], '/sign-in?next=%2Fadmin%2Fusers', 'htmx gets a full-page redirect')
  t.equal((await app.inject('/health')).json().status, 'ok')
  t.equal((await app.inject('/sign-in')).statusCode, 200)
  t.equal((await app.inject('/assets/govuk/govuk-frontend.min.css')).statusCode, 200)
  t.equal((await app.inject('/assets/htmx/htmx.min.js')).statusCode, 200)
})

t.test('the sign-in page has the fields, a CSRF token and a strict CSP', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject('/sign-in')
  t.match(res.body, /name="email"/)
  t.match(res.body, /name="password"/)
  t.match(res.body, /name="_csrf" value="[^"]+"/)
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, /script-src 'self'/)
  t.notMatch(csp, /unsafe-inline/)
  t.notMatch(res.body, /<script>(?!<\/script>)/, 'no inline script')
})

t.test('each demo account signs in and lands on its role home page', async (t) => {
  const { app } = await buildTestApp(t)
  for (const u of demoUsers) {
    const s = new Session(app)
    const res = await s.signIn(u.email)
    t.equal(res.headers.location, '/', u.email)
    const cookie = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string; maxAge?: number }[]).find(
      (c) => c.name === 'qaf_session',
    )
    t.ok(cookie?.httpOnly, 'session cookie is httpOnly')
    t.equal(cookie?.sameSite, 'Lax')
    t.equal(cookie?.maxAge, 8 * 3600, 'expires after 8 hours')
    const home = await s.get('/')
    t.equal(home.statusCode, 200)
    t.match(home.body, /data-qa="home-heading"/)
    t.match(home.body, u.displayName)
  }
})

t.test('wrong password or unknown email: one generic message, logged, nothing revealed', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = new Session(app)
  const wrong = await s.post('/sign-in', { email: 'admin@qaf.example', password: 'nope' })
  const unknown = await s.post('/sign-in', { email: 'nobody@qaf.example', password: 'nope' })
  for (const res of [wrong, unknown]) {
    t.equal(res.statusCode, 401)
    t.match(res.body, /Enter a correct email address and password/)
    t.match(res.body, /govuk-error-summary/)
    t.notOk(res.cookies.some((c) => c.name === 'qaf_session'))
  }
  const failures = db.select().from(auditLog).where(eq(auditLog.action, 'sign_in_failed')).all()
  t.equal(failures.length, 2)
  t.notMatch(JSON.stringify(failures), /nope/, 'the password never reaches the log')
  const empty = await s.post('/sign-in', { email: '', password: '' })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, /href="#email">Enter your email address/)
  t.match(empty.body, /<title>Error: /)
})

t.test('repeated failures from one address are slowed there, and nowhere else', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = new Session(app)
  const post = (session: Session, remoteAddress: string, password: string, email = 'admin@qaf.example') =>
    session.csrfToken('/sign-in').then(async (csrf) =>
      session.keep(
        await app.inject({
          method: 'POST',
          url: '/sign-in',
          remoteAddress,
          payload: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.header() },
        }),
      ),
    )
  for (let i = 0; i < 5; i++) await post(s, '198.51.100.9', `guess-${i}`)
  const blocked = await post(s, '198.51.100.9', 'demo-password')
  t.equal(blocked.statusCode, 429, 'the guessing address waits, even with the right password')
  t.match(blocked.body, /Too many failed attempts/)
  const owner = await post(new Session(app), '192.0.2.1', 'demo-password')
  t.equal(owner.statusCode, 303, 'the admin signing in from their own address is not locked out by a stranger')
  const other = await post(new Session(app), '198.51.100.9', 'demo-password', 'cps@qaf.example')
  t.equal(other.statusCode, 303, 'other accounts are unaffected')

  // An admin sees the hold on the account's page and can clear it.
  for (let i = 0; i < 5; i++) await post(s, '198.51.100.9', `guess-${i}`, 'police@qaf.example')
  const admin = await signedIn(app, 'admin@qaf.example')
  const police = db.select().from(users).where(eq(users.email, 'police@qaf.example')).get()!
  const page = await admin.get(`/admin/users/${police.id}`)
  t.match(page.body, /paused after repeated wrong passwords from 1 address/)
  const action = /<form method="post" action="([^"]+)">[\s\S]*?Unlock sign-in/.exec(page.body)?.[1]
  t.equal(action, `/admin/users/${police.id}/unlock`)
  t.equal((await admin.post(action!, {})).statusCode, 303)
  t.equal((await post(s, '198.51.100.9', 'demo-password', 'police@qaf.example')).statusCode, 303, 'unlocked')
  t.ok(db.select().from(auditLog).where(eq(auditLog.action, 'user_unlocked')).get(), 'the unlock is logged')
})

t.test('the throttle forgets failures after its window and on success', async (t) => {
  let now = 0
  const th = new SignInThrottle(() => now)
  for (let i = 0; i < 5; i++) th.fail('a')
  t.ok(th.waitSeconds('a') > 0)
  now += 16 * 60 * 1000
  t.equal(th.waitSeconds('a'), 0)
  th.fail('b')
  th.succeed('b')
  t.equal(th.waitSeconds('b'), 0)
})

t.test('a tampered, expired or foreign cookie means signed out, never a 500', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await signedIn(app, 'admin@qaf.example')
  const token = s.cookies.get('qaf_session') ?? ''
  const [h, p, sig] = token.split('.')
  const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString())
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: '2' })).toString('base64url')}.${sig}`
  const expired = app.jwt.sign({
    sub: '1',
    sv: 0,
    seen: Math.floor(Date.now() / 1000) - 20,
    exp: Math.floor(Date.now() / 1000) - 10,
  })
  for (const bad of [forged, `${token}x`, 'garbage', expired]) {
    const res = await app.inject({ url: '/', headers: { cookie: `qaf_session=${bad}` } })
    t.equal(res.statusCode, 303, 'redirected to sign in')
    t.equal(res.headers.location, '/sign-in')
  }
})

t.test('a session that was accepted (and so remembered as verified) still ends when it expires', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await signedIn(app, 'viewer@qaf.example')
  t.equal((await s.get('/')).statusCode, 200, 'accepted, and now in the verified-token cache')
  const realNow = Date.now
  Date.now = () => realNow() + 9 * 3600 * 1000
  t.teardown(() => {
    Date.now = realNow
  })
  const res = await s.get('/')
  t.equal(res.statusCode, 303, 'nine hours on, the eight-hour session is over')
  t.equal(res.headers.location, '/sign-in')
})

t.test('a disabled account loses its session at once', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = await signedIn(app, 'viewer@qaf.example')
  t.equal((await s.get('/')).statusCode, 200)
  db.update(users).set({ disabled: true }).where(eq(users.email, 'viewer@qaf.example')).run()
  t.equal((await s.get('/')).statusCode, 303)
})

t.test('sign out ends the session and is logged', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = await signedIn(app, 'auditor@qaf.example')
  const out = await s.post('/sign-out', {})
  t.equal(out.statusCode, 303)
  t.equal(out.headers.location, '/sign-in')
  t.equal((await s.get('/')).statusCode, 303)
  t.equal(db.select().from(auditLog).where(eq(auditLog.action, 'sign_out')).all().length, 1)
})

t.test('sign in returns to the page asked for, but only on this site', async (t) => {
  const { app } = await buildTestApp(t)
  const s = new Session(app)
  const ok = await s.post('/sign-in', { email: 'admin@qaf.example', password: 'demo-password', next: '/admin/users' })
  t.equal(ok.headers.location, '/admin/users')
  const s2 = new Session(app)
  const evil = await s2.post('/sign-in', {
    email: 'admin@qaf.example',
    password: 'demo-password',
    next: '//evil.example/',
  })
  t.equal(evil.headers.location, '/')
})
