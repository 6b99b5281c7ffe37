import t from 'tap'
import { buildTestApp, Session, signedIn } from '../fixtures/app.ts'

t.test('a POST without a CSRF token is rejected and changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const anon = new Session(app)
  await anon.get('/sign-in')
  const signIn = await anon.post('/sign-in', { email: 'admin@qaf.example', password: 'demo-password' }, { csrf: null })
  t.equal(signIn.statusCode, 403)
  t.match(signIn.body, /This form has expired/)

  const s = await signedIn(app, 'admin@qaf.example')
  const create = await s.post(
    '/admin/users/new',
    { displayName: 'No Token', email: 'nt@x.example', role: 'viewer', password: 'long-enough-password' },
    { csrf: null },
  )
  t.equal(create.statusCode, 403)
  const forged = await s.post(
    '/admin/users/new',
    { displayName: 'No Token', email: 'nt@x.example', role: 'viewer', password: 'long-enough-password' },
    { csrf: 'made-up' },
  )
  t.equal(forged.statusCode, 403)
  t.notMatch((await s.get('/admin/users')).body, /No Token/)
})

t.test('htmx requests may send the token as a header', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await signedIn(app, 'admin@qaf.example')
  const token = await s.csrfToken('/')
  const res = await s.post('/sign-out', {}, { csrf: null, headers: { 'x-csrf-token': token, 'hx-request': 'true' } })
  t.equal(res.statusCode, 303)
})
