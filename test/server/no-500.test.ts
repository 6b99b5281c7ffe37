// Bad input never becomes a 500: every route, with odd ids and junk query strings, as the role
// most likely to reach its handler.
import t from 'tap'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import { loadDemoRounds } from '../../seeds/demo-rounds.ts'

// '1' and '2' are the demo rounds (and real cases, agencies and users), so handlers run in full.
const oddIds = ['1', '2', 'abc', '0', '-1', '1.5', '1e3', '99999999999999999999', '%00', '%E2%80%AE', "1'--"]
const junkQueries = [
  '',
  '?a[]=1&a[]=2',
  '?agency=x&measure=%FF',
  '?group=%00',
  '?stratifyBy=x&allocation=y&margin=-4&confidence=200',
  '?show=everyone&status[]=x&sort=__proto__',
]

t.test('no route answers 500 to odd ids or junk query strings', async (t) => {
  const { app, db } = await buildTestApp(t)
  await loadDemoRounds(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const auditor = await signedIn(app, 'auditor@qaf.example')
  const routes = app.printRoutes({ commonPrefix: false })
  const paths = [
    ...new Set(
      [...routes.matchAll(/^[│├└─\s]*([^\s(]+) \(([^)]*)\)/gm)]
        .filter((m) => m[2]?.includes('GET'))
        .map((m) => m[1] as string),
    ),
  ]
  t.ok(paths.length > 20, `found ${paths.length} GET routes`)
  let checked = 0
  for (const path of paths) {
    if (path.includes('*')) continue
    const ids = path.includes(':') ? oddIds : ['']
    for (const id of ids) {
      const url = path.replace(/:[A-Za-z]+/g, id)
      for (const q of junkQueries) {
        for (const s of [admin, auditor]) {
          const res = await s.get(url + q)
          checked++
          if (res.statusCode >= 500) t.fail(`${url + q} answered ${res.statusCode}`)
        }
      }
    }
  }
  t.pass(`${checked} requests, none answered 500`)
})

t.test('posts with junk bodies to every POST route never answer 500', async (t) => {
  const { app, db } = await buildTestApp(t)
  await loadDemoRounds(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const routes = app.printRoutes({ commonPrefix: false })
  const paths = [
    ...new Set(
      [...routes.matchAll(/^[│├└─\s]*([^\s(]+) \(([^)]*)\)/gm)]
        .filter((m) => m[2]?.includes('POST'))
        .map((m) => m[1] as string),
    ),
  ]
  t.ok(paths.length > 10, `found ${paths.length} POST routes`)
  const bodies: Record<string, string | string[]>[] = [
    {},
    { x: 'y' },
    { name: 'a'.repeat(5000), edition: '1999', periodFrom: '2024-02-30', agencyIds: ['x', '-1'] },
    { caseIds: ['1', 'x'], auditorId: 'NaN', seed: '\u0000' },
  ]
  for (const path of paths) {
    if (path === '/sign-in' || path === '/sign-out') continue
    for (const id of ['1', 'abc', '99999999']) {
      const url = path.replace(/:[A-Za-z]+/g, id)
      for (const body of bodies) {
        const res = await admin.post(url, body)
        if (res.statusCode >= 500)
          t.fail(
            `POST ${url} ${JSON.stringify(body).slice(0, 80)} answered ${res.statusCode}: ${res.body.slice(0, 200)}`,
          )
      }
    }
  }
  t.pass('no 500s')
})
