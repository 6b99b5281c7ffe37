// fast-check against every registered route: odd path parameters, query strings, bodies (in the
// wrong content types too), headers and cookies. No answer may be a 5xx or show the framework's
// own words, and a refused request (4xx) must not have written a single row. A stack frame is
// matched with its file:line:col, so prose such as "at variance (" on a report is not one.
import t from 'tap'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { loadDemoRounds } from '../../seeds/demo-rounds.ts'
import { loadDemoObservations } from '../../seeds/demo-observations.ts'
import { buildTestApp, signedIn, type Session } from '../fixtures/app.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? 25)
const frameworkWords =
  /Body is not valid JSON|Unsupported Media Type|FST_[A-Z_]+|"statusCode"|Internal Server Error|SqliteError|SQLITE_|TypeError|ZodError|at [\w.<>]+ \([^)]*:\d+:\d+\)/

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1',
    '2',
    '1.5',
    '1e9',
    'NaN',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '%',
    '%00',
    '\u0000',
    '\u202e',
    '😀',
    '../../etc/passwd',
    '<script>',
    "'--",
    '9'.repeat(40),
  ),
  fc.nat().map(String),
  fc.constant('x'.repeat(5000)),
)
const param = fc.oneof(
  nasty.map((v) => encodeURIComponent(v).slice(0, 90)),
  fc.constantFrom('1', '2', '3', 'abc'),
)
const dict = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      'id',
      'round',
      'agency',
      'next',
      'page',
      'email',
      'password',
      'role',
      'agencyId',
      'caseIds',
      '__proto__',
    ),
  ),
  fc.oneof(nasty, fc.array(nasty, { maxLength: 3 })),
  { maxKeys: 6 },
)

type Body = { type: string | undefined; payload: string }
const body: fc.Arbitrary<Body> = fc.oneof(
  dict.map((d) => ({ type: 'application/x-www-form-urlencoded', payload: encodeForm(d) })),
  dict.map((d) => ({ type: 'application/json', payload: JSON.stringify(d) })),
  fc.string().map((s) => ({ type: 'application/json', payload: s })),
  fc.string().map((s) => ({ type: 'text/plain', payload: s })),
  fc.string().map((s) => ({ type: 'multipart/form-data', payload: s })),
  fc.string().map((s) => ({
    type: 'multipart/form-data; boundary=XX',
    payload: `--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${s}`,
  })),
  fc.constantFrom('application/xml', 'image/png', 'x/y;;;', '').map((type) => ({ type, payload: '<a/>' })),
  fc.constant({ type: undefined, payload: '' }),
)
const headers = fc.record(
  {
    'hx-request': fc.constantFrom('true', 'false', ''),
    'hx-target': nasty.map((v) => v.replace(/[^\x20-\x7e]/g, '').slice(0, 50)),
    accept: fc.constantFrom('text/html', 'application/json', '*/*', ''),
    'accept-language': fc.constant('zz'),
  },
  { requiredKeys: [] },
)
const extraCookie = fc.oneof(
  fc.constant(''),
  nasty.map((v) => `qaf_flash=${v.replace(/[;\s,]/g, '').slice(0, 60)}`),
  fc.constant('qaf_session=garbage'),
  fc.constant('_csrf=garbage'),
)

function encodeForm(d: Record<string, string | string[]>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(d)) for (const one of [v].flat()) p.append(k, one)
  return p.toString()
}

async function fuzzRoute(
  app: FastifyInstance,
  who: Session,
  csrf: string,
  method: string,
  url: string,
  changes: () => number,
) {
  const names = url.match(/:[A-Za-z]+/g) ?? []
  let cases = 0
  await fc.assert(
    fc.asyncProperty(
      fc.array(param, { minLength: names.length, maxLength: names.length }),
      dict,
      body,
      headers,
      extraCookie,
      fc.boolean(),
      async (params, query, b, h, cookie, withCsrf) => {
        let path = url
        names.forEach((n, i) => {
          path = path.replace(n, params[i] || '1')
        })
        const qs = encodeForm(query)
        let payload = b.payload
        if (withCsrf && b.type === 'application/x-www-form-urlencoded')
          payload = `${payload}&_csrf=${encodeURIComponent(csrf)}`
        const before = changes()
        const res = await app.inject({
          method: method as 'GET',
          url: qs ? `${path}?${qs}` : path,
          payload: method === 'GET' ? undefined : payload,
          headers: {
            ...h,
            ...(b.type && method !== 'GET' ? { 'content-type': b.type } : {}),
            cookie: [who.header(), cookie].filter(Boolean).join('; '),
          },
        })
        cases++
        const text = res.rawPayload.toString('latin1')
        if (res.statusCode >= 500) throw new Error(`${method} ${path}: ${res.statusCode}`)
        if (frameworkWords.test(text))
          throw new Error(
            `${method} ${path}: framework words in a ${res.statusCode}: ${frameworkWords.exec(text)?.[0]}`,
          )
        if (res.statusCode >= 400 && res.statusCode !== 401 && changes() !== before)
          throw new Error(`${method} ${path}: refused with ${res.statusCode} but wrote to the database`)
      },
    ),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 1523) },
  )
  return cases
}

t.test('fuzz: every route, as the admin and as an agency lead', async (t) => {
  const { app, db } = await buildTestApp(t)
  await loadDemoRounds(db)
  // Rows written by this connection so far: exact, and cheap enough to read around every request.
  const totalChanges = db.$client.prepare('select total_changes() as n').pluck()
  const changes = () => totalChanges.get() as number
  const admin = await signedIn(app, 'admin@qaf.example')
  const police = await signedIn(app, 'police@qaf.example')
  const csrfAdmin = await admin.csrfToken('/')
  const csrfPolice = await police.csrfToken('/')
  let total = 0
  for (const route of app.routeTable) {
    if (route.url.startsWith('/assets/') || route.url === '/sign-out') continue
    total += await fuzzRoute(app, admin, csrfAdmin, route.method, route.url, changes)
    total += await fuzzRoute(app, police, csrfPolice, route.method, route.url, changes)
  }
  const integrity = db.$client.pragma('integrity_check', { simple: true })
  t.equal(integrity, 'ok')
  t.pass(`${total} fuzz cases, no 5xx, no framework words, nothing written on refusal`)
  console.log(`# fuzz: ${total} cases over ${app.routeTable.length} routes`)
})

t.test("fuzz: the advocate's observation routes, as the advocate who writes them", async (t) => {
  const { app, db } = await buildTestApp(t)
  await loadDemoRounds(db)
  loadDemoObservations(db)
  const totalChanges = db.$client.prepare('select total_changes() as n').pluck()
  const changes = () => totalChanges.get() as number
  const advocate = await signedIn(app, 'advocate@qaf.example')
  const csrf = await advocate.csrfToken('/')
  let total = 0
  for (const route of app.routeTable)
    if (route.url === '/' || route.url.startsWith('/observations'))
      total += await fuzzRoute(app, advocate, csrf, route.method, route.url, changes)
  t.equal(db.$client.pragma('integrity_check', { simple: true }), 'ok')
  t.pass(`${total} fuzz cases, no 5xx, no framework words, nothing written on refusal`)
})
