import t from 'tap'
import { buildTestApp, Session } from '../fixtures/app.ts'
import { safeNext } from '../../server/routes/auth/index.ts'

// Addresses a browser would resolve to another site, or that once broke the Location header.
const hostile = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/x',
  '//evil.example/',
  '/\\evil.example',
  '/\t\\evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  '/ /evil.example',
  '\t//evil.example',
]

t.test('sign in only ever returns to a path on this site', async (t) => {
  const { app } = await buildTestApp(t)
  for (const next of hostile) {
    const s = new Session(app)
    const res = await s.post('/sign-in', { email: 'admin@qaf.example', password: 'demo-password', next })
    t.equal(res.statusCode, 303, JSON.stringify(next))
    const location = String(res.headers.location)
    const resolved = new URL(location, 'https://qaf.example')
    t.equal(resolved.origin, 'https://qaf.example', `${JSON.stringify(next)} stays on this site (${location})`)
    t.notMatch(location, /[\u0000-\u001f\\]/, 'no control characters or backslashes in Location')
  }
  const s = new Session(app)
  const kept = await s.post('/sign-in', {
    email: 'admin@qaf.example',
    password: 'demo-password',
    next: '/scores?round=2#top',
  })
  t.equal(kept.headers.location, '/scores?round=2#top', 'a genuine path, query and fragment survive')
})

t.test('a hostile next on the sign-in page is a page, never a 500, and is not carried into the form', async (t) => {
  const { app } = await buildTestApp(t)
  for (const q of ['/%0a/x', '/%09/evil.example', '%2F%2Fevil.example', '/%00', '/%E0%A4%A']) {
    const res = await app.inject(`/sign-in?next=${q}`)
    t.equal(res.statusCode, 200, q)
    const hidden = /name="next" value="([^"]*)"/.exec(res.body)?.[1] ?? '/'
    t.equal(
      new URL(hidden.replaceAll('&#39;', "'").replaceAll('&amp;', '&'), 'https://qaf.example').origin,
      'https://qaf.example',
      q,
    )
  }
  t.equal(safeNext('/%0a/x'), '/%0a/x', 'an encoded newline is just part of a path')
  t.equal(safeNext('/\n/x'), '/')
})
