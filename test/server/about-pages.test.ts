// The accessibility statement and privacy notice (issue 14): open to anyone, linked from every page.
import t from 'tap'
import { buildTestApp, Session, signedIn } from '../fixtures/app.ts'
import { textOf } from '../fixtures/html.ts'

t.test('signed out: the sign-in page links to both, and both open', async (t) => {
  const { app } = await buildTestApp(t)
  const visitor = new Session(app)
  const signIn = await visitor.get('/sign-in')
  const footer = /<footer[\s\S]*<\/footer>/.exec(signIn.body)?.[0] ?? ''
  const a11y = /href="([^"]+)">Accessibility statement</.exec(footer)?.[1]
  const privacy = /href="([^"]+)">Privacy notice</.exec(footer)?.[1]
  t.ok(a11y && privacy, 'both in the footer')
  const statement = await visitor.get(a11y ?? '')
  t.equal(statement.statusCode, 200)
  t.match(textOf(statement.body), /WCAG\) version 2\.2 at level AA/)
  t.match(textOf(statement.body), /Equality Advisory and Support Service/)
  const notice = await visitor.get(privacy ?? '')
  t.equal(notice.statusCode, 200)
  t.match(textOf(notice.body), /never holds a victim's name/)
  t.match(textOf(notice.body), /qaf_session Keeps you signed in After 8 hours/)
})

t.test('every role: the footer of each page on the way links to both', async (t) => {
  const { app } = await buildTestApp(t)
  for (const who of ['admin', 'auditor', 'moderator', 'police', 'advocate', 'viewer']) {
    const s = await signedIn(app, `${who}@qaf.example`)
    const home = await s.get('/')
    const nav = [...home.body.matchAll(/class="govuk-service-navigation__link" href="([^"]+)"/g)].map((m) => m[1] ?? '')
    for (const href of ['/', ...nav, '/accessibility', '/privacy', '/no-such-page']) {
      const res = await s.get(href)
      const footer = /<footer[\s\S]*<\/footer>/.exec(res.body)?.[0] ?? ''
      t.match(footer, /href="\/accessibility">Accessibility statement</, `${who} ${href}: accessibility`)
      t.match(footer, /href="\/privacy">Privacy notice</, `${who} ${href}: privacy`)
    }
  }
})
