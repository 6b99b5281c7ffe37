import t from 'tap'
import { buildTestApp, signedIn } from '../fixtures/app.ts'

// Each role against a page it may open and one it may not (which must look like it does not exist).
const cases: { email: string; allowed: string; forbidden: string }[] = [
  { email: 'admin@qaf.example', allowed: '/admin/users', forbidden: '/no-such-page' },
  { email: 'auditor@qaf.example', allowed: '/', forbidden: '/admin/users' },
  { email: 'moderator@qaf.example', allowed: '/', forbidden: '/admin/agencies' },
  { email: 'police@qaf.example', allowed: '/', forbidden: '/admin/users/1' },
  { email: 'cps@qaf.example', allowed: '/', forbidden: '/admin/users/new' },
  { email: 'advocate@qaf.example', allowed: '/', forbidden: '/admin/users' },
  { email: 'viewer@qaf.example', allowed: '/', forbidden: '/admin/agencies' },
]

t.test('each role: an allowed page answers 200, a forbidden one 404', async (t) => {
  const { app } = await buildTestApp(t)
  for (const c of cases) {
    const s = await signedIn(app, c.email)
    t.equal((await s.get(c.allowed)).statusCode, 200, `${c.email} may open ${c.allowed}`)
    const denied = await s.get(c.forbidden)
    t.equal(denied.statusCode, 404, `${c.email} gets 404 for ${c.forbidden}`)
    t.match(denied.body, /Page not found/)
  }
})

t.test('a forbidden POST is refused as not found and changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await signedIn(app, 'police@qaf.example')
  const res = await s.post('/admin/users/new', {
    displayName: 'Mallory',
    email: 'm@x.example',
    role: 'admin',
    password: 'long-enough-password',
  })
  t.equal(res.statusCode, 404)
  const admin = await signedIn(app, 'admin@qaf.example')
  t.notMatch((await admin.get('/admin/users')).body, /Mallory/)
})

t.test('navigation shows only what the role may open', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  t.match((await admin.get('/')).body, /href="\/admin\/users"/)
  const viewer = await signedIn(app, 'viewer@qaf.example')
  t.notMatch((await viewer.get('/')).body, /href="\/admin\/users"/)
})

t.test('pages vary on HX-Request and are not cached', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await signedIn(app, 'admin@qaf.example')
  const res = await s.get('/admin/users')
  t.match(String(res.headers.vary), /HX-Request/)
  t.equal(res.headers['cache-control'], 'no-store')
})
