// Every registered route × every identity (signed out, each role, two agency leads, two
// auditors), generated from the app's own route table: a route added later is covered by default,
// and one whose access cannot be worked out fails here until it is given an expectation.
import t from 'tap'
import { ne, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { agencies, answers, frameworkItems, users } from '../../schema/index.ts'
import { loadDemoRounds } from '../../seeds/demo-rounds.ts'
import { loadDemoReportedFigures } from '../../seeds/demo-reported-figures.ts'
import { todayIso } from '../../audits/calendar.ts'
import { loadDemoObservations } from '../../seeds/demo-observations.ts'
import { demoUsers } from '../../seeds/cumbria.ts'
import { buildTestApp, type Session, signedIn } from '../fixtures/app.ts'
import { canSeeCaseAnswers } from '../../server/access.ts'
import type { Role } from '../../schema/index.ts'

// Routes open to any signed-in person (they declare no role list). Anything else without an
// access declaration is a route nobody decided about, and fails the test.
const anySignedIn = new Set(['GET /'])
// Static files: open to all, checked by the asset tests.
const isAsset = (url: string) => url.startsWith('/assets/')

const NOTE = 'CASE-NOTE-MARKER-7f3a'

interface Identity {
  label: string
  session: Session | null
  role: Role | null
  agencyName: string | null
}

/** Addresses to try for a route: its parameters filled with real ids (and each agency for :agencyId). */
function addresses(url: string, values: Record<string, string[]>): string[] {
  let out = [url]
  for (const name of url.match(/:[A-Za-z]+/g) ?? []) {
    const choices = values[name.slice(1)] ?? ['1']
    out = out.flatMap((u) => choices.map((v) => u.replace(name, v)))
  }
  return out
}

async function identities(app: FastifyInstance): Promise<Identity[]> {
  const list: Identity[] = [{ label: 'signed out', session: null, role: null, agencyName: null }]
  for (const u of demoUsers)
    list.push({
      label: `${u.role} ${u.email}`,
      session: await signedIn(app, u.email),
      role: u.role,
      agencyName: u.agency,
    })
  return list
}

t.test('access matrix: every route, every identity', async (t) => {
  const { app, db } = await buildTestApp(t)
  await loadDemoRounds(db)
  // Reported figures of three agencies, so the reconciliation pages and CSV have rows to leak.
  loadDemoReportedFigures(db, todayIso())
  // Observations of every agency (1 and 2 are of different agencies, both shared): an agency lead
  // must find only its own, by page, list, fragment, themes and summary.
  loadDemoObservations(db)
  db.update(answers)
    .set({ note: sql`${NOTE} || '-' || ${answers.id}` })
    .run()
  const allAgencies = db.select({ id: agencies.id, name: agencies.name }).from(agencies).all()
  const item = db.select({ id: frameworkItems.id }).from(frameworkItems).limit(1).get()
  const values: Record<string, string[]> = {
    id: ['1', '2'],
    agencyId: allAgencies.map((a) => String(a.id)),
    itemId: [String(item?.id ?? '1')],
    to: ['fieldwork'],
    caseId: ['1'],
    job: ['1'],
    key: ['x'],
  }
  const who = await identities(app)
  t.equal(who.filter((w) => w.role === 'agency').length, 2, 'two agency leads')
  t.equal(who.filter((w) => w.role === 'auditor').length, 2, 'two auditors')
  const before = db.select().from(users).where(ne(users.id, 0)).all()

  let checked = 0
  let notesSeen = 0
  let namesSeen = 0
  const routes = app.routeTable.filter((r) => !isAsset(r.url))
  for (const route of routes) {
    const key = `${route.method} ${route.url}`
    if (route.access === undefined && !anySignedIn.has(key)) {
      t.fail(`${key} declares no access and has no expectation in this test`)
      continue
    }
    const allowed = (role: Role | null) =>
      route.access === 'public' || (role !== null && (route.access === undefined || route.access.includes(role)))
    for (const url of addresses(route.url, values)) {
      for (const w of who) {
        // Allowed posts change data: the fuzz and feature tests cover them; here only refusals are sent.
        if (route.method !== 'GET' && allowed(w.role)) continue
        const res = w.session
          ? route.method === 'GET'
            ? await w.session.get(url)
            : await w.session.post(url, {})
          : await app.inject({ method: route.method as 'GET', url })
        checked++
        const where = `${route.method} ${url} as ${w.label}`
        if (res.statusCode >= 500) t.fail(`${where}: ${res.statusCode}`)
        if (!allowed(w.role)) {
          if (w.role === null) {
            if (res.statusCode !== 303 || !String(res.headers.location).startsWith('/sign-in'))
              t.fail(`${where}: ${res.statusCode}, not sent to sign in`)
          } else if (res.statusCode !== 404 || !/Page not found/.test(res.body))
            t.fail(`${where}: ${res.statusCode}, not the not-found page`)
          continue
        }
        if (route.method === 'GET' && !route.url.includes(':') && res.statusCode !== 200 && res.statusCode !== 303)
          t.fail(`${where}: ${res.statusCode}, expected the page`)
        if (res.statusCode !== 200) continue
        const body = res.rawPayload.toString('latin1')
        if (w.role === 'agency') {
          for (const a of allAgencies)
            if (a.name !== w.agencyName && body.includes(a.name)) t.fail(`${where}: shows another agency, ${a.name}`)
        }
        if (w.role && !canSeeCaseAnswers({ role: w.role } as never) && body.includes(NOTE))
          t.fail(`${where}: shows a case note`)
        // The scans must be able to find something: count where roles that may see these do.
        if (body.includes(NOTE)) notesSeen++
        if (w.role !== 'agency' && allAgencies.filter((a) => body.includes(a.name)).length > 1) namesSeen++
      }
    }
  }
  t.ok(notesSeen > 0, `case notes were on ${notesSeen} pages for roles that may see them`)
  t.ok(namesSeen > 0, `several agencies were named on ${namesSeen} pages for roles that may see them`)
  t.same(db.select().from(users).where(ne(users.id, 0)).all(), before, 'refused requests changed nothing')
  t.pass(`${routes.length} routes, ${who.length} identities, ${checked} requests checked`)
  console.log(`# access matrix: ${routes.length} routes x ${who.length} identities, ${checked} requests`)
})
