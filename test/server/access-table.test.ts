// The access table in server/access.ts is the only place that says who opens which page: every
// registered route must have an entry, and a route without one is refused to everyone.
import t from 'tap'
import { accessFor, mayOpen } from '../../server/access.ts'
import { registeredRoutes } from '../../server/app.ts'
import { buildTestApp, signedIn } from '../fixtures/app.ts'

t.test('every registered route has an entry in the access table', async (t) => {
  const { app } = await buildTestApp(t, { demo: false })
  await app.ready()
  const routes = registeredRoutes(app)
  t.ok(routes.length > 50, `found ${routes.length} routes`)
  const missing = routes.filter((r) => accessFor(r.method, r.url) === undefined).map((r) => `${r.method} ${r.url}`)
  t.same(missing, [], 'routes with no entry in server/access.ts routeAccess')
})

t.test('a route added without an entry is refused, even to an admin', async (t) => {
  const { app } = await buildTestApp(t)
  app.get('/not-in-the-table', async () => 'secret')
  const admin = await signedIn(app, 'admin@qaf.example')
  t.ok(
    registeredRoutes(app).some((r) => r.url === '/not-in-the-table'),
    'the route is listed',
  )
  t.equal(accessFor('GET', '/not-in-the-table'), undefined)
  const res = await admin.get('/not-in-the-table')
  t.equal(res.statusCode, 404)
  t.notMatch(res.body, /secret/)
})

t.test('navigation links follow the table', async (t) => {
  t.ok(mayOpen('admin', '/admin/users'))
  t.notOk(mayOpen('viewer', '/admin/users'))
  t.notOk(mayOpen('auditor', '/scores'), 'auditors stay blind to the scores')
  const { app } = await buildTestApp(t)
  const auditor = await signedIn(app, 'auditor@qaf.example')
  const home = (await auditor.get('/')).body
  t.match(home, /href="\/worklist"/)
  t.notMatch(home, /href="\/scores"/)
})
