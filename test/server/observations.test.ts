// The Victims' Advocate's observations: the form and its personal-data guard, who reads an
// observation before and after it is shared (by page, list, fragment, themes, summary and CSV),
// the theme counts and the recurring-issue rule as the pages show them, linking and proposing a
// finding, and the advocate's home page.
import t from 'tap'
import { sql } from 'drizzle-orm'
import type { Db } from '../../schema/database.ts'
import { buildTestApp, flashOf, signedIn, type Session } from '../fixtures/app.ts'
import { scopeOfUser } from '../../server/services/admin/users-queries.ts'
import { agencyIdByName, CPS, POLICE, seedScenario } from '../fixtures/scores.ts'
import {
  createObservation,
  shareObservation,
  type ObservationInput,
} from '../../server/services/advocate/observations.ts'

const ADVOCATE = 'advocate@qaf.example'

function form(overrides: Record<string, string | string[]> = {}, agencyId = 1): Record<string, string | string[]> {
  return {
    'observedOn-day': '12',
    'observedOn-month': '5',
    'observedOn-year': '2025',
    agency: String(agencyId),
    setting: 'police_station',
    kind: 'service_delivery',
    themes: ['communication_information'],
    rights: ['6'],
    wentWell: 'The officer explained the next steps clearly.',
    couldImprove: 'The victim was not told when to expect an update.',
    rating: 'requires_improvement',
    followUp: '',
    ...overrides,
  }
}

function count(db: Db, table: 'observations' | 'audit_log'): number {
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.raw(table)}`)?.n ?? 0
}

/** The observation id a successful save redirects to. */
function savedId(location: unknown): number {
  const m = /^\/observations\/(\d+)$/.exec(String(location))
  if (!m) throw new Error(`not an observation: ${String(location)}`)
  return Number(m[1])
}

/** The form's own action, as the page sends it. */
function actionOf(body: string, contains: string): string {
  const m = new RegExp(`<form method="post" action="([^"]*${contains}[^"]*)"`).exec(body)
  if (!m?.[1]) throw new Error(`no form posting to …${contains}`)
  return m[1]
}

t.test('the form says why contact details are refused, and refuses them in every free-text field', async (t) => {
  const { app, db } = await buildTestApp(t)
  const advocate = await signedIn(app, ADVOCATE)
  const page = await advocate.get('/observations/new')
  t.equal(page.statusCode, 200)
  t.match(
    page.body,
    /data-qa="personal-data-rule"[^>]*>\s*Describe the service, not the person\. Never record a victim's name or contact details: text that looks like an e-mail address, a UK phone number or a postcode is refused\./,
  )
  const action = actionOf(page.body, '/observations/new')
  const before = { o: count(db, 'observations'), l: count(db, 'audit_log') }
  const cases: [string, string, RegExp][] = [
    [
      'wentWell',
      'Her e-mail is jo.bloggs@example.com, call back.',
      /What went well contains what looks like an e-mail address \(jo\.bloggs@example\.com\): remove it/,
    ],
    [
      'couldImprove',
      'Ring 07700 900123 after the hearing',
      /What could improve contains what looks like a phone number \(07700 900123\)/,
    ],
    ['couldImprove', 'Contact on +44 (0)1768 123456', /a phone number/],
    ['followUp', 'Visit at CA1 2AB next week', /Follow-up contains what looks like a postcode \(CA1 2AB\)/],
    ['followUp', 'lives near la9 4nd', /a postcode \(la9 4nd\)/],
  ]
  for (const [name, value, message] of cases) {
    const res = await advocate.post(action, form({ [name]: value }))
    t.equal(res.statusCode, 400, `${name}: ${value}`)
    t.match(res.body, /govuk-error-summary/)
    t.match(res.body, message)
    t.match(res.body, new RegExp(`href="#${name}"`), 'the summary links to the field')
    t.ok(res.body.includes(value), 'the typed text is shown again to correct')
  }
  t.same({ o: count(db, 'observations'), l: count(db, 'audit_log') }, before, 'nothing saved, nothing logged')
})

t.test('every required answer is asked for, in the form order, and a future date is refused', async (t) => {
  const { app, db } = await buildTestApp(t)
  const advocate = await signedIn(app, ADVOCATE)
  const empty = await advocate.post('/observations/new', {})
  t.equal(empty.statusCode, 400)
  const summary = [...empty.body.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => m[1])
  t.same(summary, ['observedOn', 'agency', 'setting', 'kind', 'themes', 'wentWell', 'couldImprove', 'rating'])
  t.match(empty.body, /Enter the date of the observation/)
  t.match(empty.body, /Select at least one theme the observation touches/)
  const future = await advocate.post('/observations/new', form({ 'observedOn-year': '2999' }))
  t.equal(future.statusCode, 400)
  t.match(future.body, /The date of the observation must be today or in the past/)
  const bogus = await advocate.post('/observations/new', form({ themes: ['nonsense'], rights: ['13'], agency: '999' }))
  t.equal(bogus.statusCode, 400)
  t.match(bogus.body, /Select themes from the list/)
  t.match(bogus.body, /Select Rights from the list/)
  t.match(bogus.body, /Select the service or agency observed/)
  const long = await advocate.post('/observations/new', form({ wentWell: 'x'.repeat(5001) }))
  t.equal(long.statusCode, 400)
  t.match(long.body, /What went well must be 5,000 characters or fewer/)
  t.equal(count(db, 'observations'), 0)
})

t.test('an observation is private until shared, then read by the partnership and its own agency only', async (t) => {
  const { app, db } = await buildTestApp(t)
  const police = agencyIdByName(db, POLICE)
  const advocate = await signedIn(app, ADVOCATE)
  const saved = await advocate.post(
    '/observations/new',
    form({ couldImprove: 'Marker-Wombat: no update given.' }, police),
  )
  t.equal(saved.statusCode, 303)
  t.match(flashOf(saved), /only you can see it until you share it/)
  const id = savedId(saved.headers.location)
  const page = await advocate.get(`/observations/${id}`)
  t.match(page.body, /Only you can see this observation/)
  t.equal(
    db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM audit_log WHERE action = 'observation_recorded' AND entity_id = ${String(id)}`,
    )?.n,
    1,
    'recorded in the audit log',
  )

  const others: Record<string, Session> = {}
  for (const email of ['admin', 'moderator', 'viewer', 'police', 'cps', 'auditor'])
    others[email] = await signedIn(app, `${email}@qaf.example`)
  const sees = async (who: Session) => {
    const show = await who.get(`/observations/${id}`)
    const list = await who.get('/observations')
    const fragment = await who.get('/observations?rating=requires_improvement', { 'HX-Request': 'true' })
    const themes = await who.get('/observations/themes')
    const summary = await who.get('/observations/summary?year=2025')
    const csv = await who.get('/observations/summary.csv?year=2025')
    return {
      show: show.statusCode,
      list: list.statusCode === 200 && list.body.includes(`/observations/${id}"`),
      fragment: fragment.statusCode === 200 && fragment.body.includes(`/observations/${id}"`),
      themesCount:
        />(\d+)<\/td>/.exec(themes.body.split('data-qa="by-theme-communication_information"')[1] ?? '')?.[1] ?? null,
      summary:
        summary.statusCode === 200
          ? (/data-qa="summary-total">(\d+)/.exec(summary.body)?.[1] ?? null)
          : summary.statusCode,
      csv: csv.statusCode === 200 ? (csv.body.split('\r\n')[1] ?? '') : csv.statusCode,
      marker: [show, list, fragment, themes, summary].some((r) => r.body.includes('Marker-Wombat')),
    }
  }
  for (const [who, s] of Object.entries(others)) {
    const r = await sees(s)
    t.equal(r.show, 404, `${who}: the page is not found before sharing`)
    t.notOk(r.list || r.fragment || r.marker, `${who}: not in any list or fragment before sharing`)
    if (who !== 'auditor') t.equal(r.themesCount, '0', `${who}: not counted under its theme before sharing`)
  }
  t.equal((await sees(others.viewer as Session)).summary, '0', 'not in the board summary before sharing')

  // Sharing, through the page's own form; only the author can.
  t.equal(
    (await (others.admin as Session).post(`/observations/${id}/share`, {})).statusCode,
    404,
    'admins cannot share it',
  )
  const shared = await advocate.post(actionOf(page.body, '/share'), {})
  t.equal(shared.statusCode, 303)
  t.match(flashOf(shared), /shared with the partnership and with Cumbria Constabulary/)
  t.match((await advocate.get(`/observations/${id}`)).body, /Shared on/)

  for (const who of ['admin', 'moderator', 'viewer', 'police']) {
    const r = await sees(others[who] as Session)
    t.equal(r.show, 200, `${who}: reads it once shared`)
    t.ok(r.list && r.fragment && r.marker, `${who}: listed, in the fragment, text shown`)
    t.equal(r.themesCount, '1', `${who}: counted under its theme`)
  }
  for (const who of ['cps', 'auditor']) {
    const r = await sees(others[who] as Session)
    t.equal(r.show, 404, `${who}: still not found`)
    t.notOk(r.list || r.fragment || r.marker, `${who}: in no list or fragment`)
  }
  t.equal((await sees(others.cps as Session)).themesCount, '0', 'another agency: not counted in its themes')
  t.equal((await sees(others.cps as Session)).summary, 404, 'agencies do not get the board summary')
  t.equal((await sees(others.cps as Session)).csv, 404, 'nor its CSV')
  t.equal((await sees(others.viewer as Session)).summary, '1', 'the board summary counts it once shared')
  t.match((await (others.police as Session).get('/')).body, />1 observation<\/a> of your agency shared with you/)
  t.match((await (others.cps as Session).get('/')).body, />0 observations<\/a> of your agency shared with you/)
  t.match((await (others.viewer as Session).get('/')).body, />1 observation<\/a> shared with the partnership/)
  t.notMatch((await (others.auditor as Session).get('/')).body, /observation/i, 'auditors hear nothing of them')
  t.match(String((await sees(others.viewer as Session)).csv), /^2025\/26,All,All observations,1,0,1,0,/)
  // Nobody but the author changes it.
  for (const who of ['admin', 'moderator', 'police']) {
    t.equal((await (others[who] as Session).get(`/observations/${id}/edit`)).statusCode, 404, `${who}: no edit page`)
    t.equal((await (others[who] as Session).post(`/observations/${id}/edit`, form({}, police))).statusCode, 404)
  }
  t.equal(
    db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'observation_shared'`)?.n,
    1,
    'the share is in the audit log once',
  )
})

t.test('an observation of another agency never reaches an agency, however it is asked for', async (t) => {
  const { app, db } = await buildTestApp(t)
  const advocate = scopeOfUser(db, ADVOCATE)
  const cps = agencyIdByName(db, CPS)
  const id = createObservation(db, advocate, {
    ...input(cps, 'communication_information', 'inadequate'),
    couldImprove: 'Quokka-mark: nobody explained the decision.',
  })
  shareObservation(db, advocate, id)
  const police = await signedIn(app, 'police@qaf.example')
  t.equal((await police.get(`/observations/${id}`)).statusCode, 404)
  for (const url of [
    '/observations',
    `/observations?agency=${cps}`,
    '/observations/themes',
    '/observations/themes?year=2025',
  ]) {
    const res = await police.get(url)
    t.equal(res.statusCode, 200, url)
    t.notMatch(res.body, /Quokka-mark|Crown Prosecution Service North West/, `${url}: nothing of the CPS`)
  }
  const cpsLead = await signedIn(app, 'cps@qaf.example')
  t.match((await cpsLead.get(`/observations/${id}`)).body, /Quokka-mark/, 'the CPS reads its own')
})

function input(
  agencyId: number,
  theme: string,
  rating: ObservationInput['rating'],
  on = '2025-06-10',
): ObservationInput {
  return {
    observedOn: on,
    agencyId,
    setting: 'court',
    kind: 'service_delivery',
    themes: [theme as ObservationInput['themes'][number]],
    rights: [8],
    wentWell: 'Staff were kind.',
    couldImprove: 'Updates were late.',
    rating,
    followUp: '',
  }
}

t.test('theme counts and the recurring-issue rule, as the themes page shows them', async (t) => {
  const { app, db } = await buildTestApp(t)
  const advocate = scopeOfUser(db, ADVOCATE)
  const police = agencyIdByName(db, POLICE)
  const cps = agencyIdByName(db, CPS)
  const add = (a: number, theme: string, rating: ObservationInput['rating'], on?: string) =>
    shareObservation(db, advocate, createObservation(db, advocate, input(a, theme, rating, on)))
  // Communication: three poor ratings across two services (recurring); care: two poor (not).
  add(police, 'communication_information', 'requires_improvement', '2025-05-02')
  add(cps, 'communication_information', 'inadequate', '2025-08-02')
  add(police, 'communication_information', 'requires_improvement', '2025-08-20')
  add(police, 'communication_information', 'good', '2025-11-02')
  add(police, 'care_respect', 'inadequate')
  add(cps, 'care_respect', 'requires_improvement')
  add(cps, 'care_respect', 'good')
  // A third poor rating for care, but never shared: the partnership does not count it.
  createObservation(db, advocate, input(cps, 'care_respect', 'inadequate'))

  const row = (body: string, key: string) => {
    const m = new RegExp(`data-qa="${key}">[\\s\\S]*?</tr>`).exec(body)
    return [...(m?.[0] ?? '').matchAll(/govuk-table__cell[^>]*>([^<]*)</g)].map((x) => x[1])
  }
  const viewer = await signedIn(app, 'viewer@qaf.example')
  const page = (await viewer.get('/observations/themes')).body
  t.same(
    row(page, 'by-theme-communication_information'),
    ['4', '1', '2', '1', 'Yes'],
    'communication: 4 observations, 3 poor, recurring',
  )
  t.same(row(page, 'by-theme-care_respect'), ['3', '1', '1', '1', 'No'], 'care: 2 poor is not recurring')
  t.same(row(page, 'by-theme-enhanced_support'), ['0', '0', '0', '0', 'No'], 'themes with none still listed')
  t.match(
    page,
    /data-qa="recurring">\s*<li><a class="govuk-link" href="\/observations\?theme=communication_information">Communication and Information<\/a>: rated poorly in 3 observations of 4<\/li>\s*<\/ul>/,
  )
  t.same(row(page, 'by-right-8'), ['7', '2', '3', '2'], 'Right 8 counted')
  t.same(row(page, 'by-quarter-2025-Q3'), ['2', '0', '1', '1'], 'by quarter: July to September 2025')
  t.match(page, /April to June 2025/)

  // Trends over time by theme (the default), by Right or by service.
  const cells = (body: string, quarter: string) => {
    const m = new RegExp(`data-qa="trend-${quarter}">[\\s\\S]*?</tr>`).exec(body)
    return [...(m?.[0] ?? '').matchAll(/govuk-table__cell[^>]*>([^<]*)</g)].map((x) => x[1])
  }
  t.same(cells(page, '2025-Q3'), ['2 (2)', '0 (0)', '0 (0)', '2 (2)', '0 (0)'], 'Q3 by theme')
  const byService = (await viewer.get('/observations/themes?trend=service')).body
  t.match(byService, /By quarter and service/)
  t.same(cells(byService, '2025-Q3'), ['2 (2)', '1 (1)', '1 (1)'], 'Q3 by service: the CPS, then the police')
  const byRight = (await viewer.get('/observations/themes?trend=right')).body
  t.same(cells(byRight, '2025-Q3').slice(7, 9), ['0 (0)', '2 (2)'], 'Q3 by Right: all under Right 8')
  const policeLead = await signedIn(app, 'police@qaf.example')
  const own = (await policeLead.get('/observations/themes?trend=service')).body
  t.same(cells(own, '2025-Q3'), ['1 (1)', '1 (1)'], 'an agency sees its own column only')
  t.notMatch(own, /Crown Prosecution/)

  // The advocate also counts their unshared observation: care becomes recurring for them only.
  const adv = await signedIn(app, ADVOCATE)
  const advocates = (await adv.get('/observations/themes')).body
  t.same(row(advocates, 'by-theme-care_respect'), ['4', '1', '1', '2', 'Yes'])
  // A financial year that holds none of them.
  const empty = (await viewer.get('/observations/themes?year=2023')).body
  t.match(empty, /data-qa="recurring-none"/)
  t.same(row(empty, 'by-theme-communication_information'), ['0', '0', '0', '0', 'No'])
})

t.test('a finding proposed from an observation goes through the findings write path and is linked', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const advocateScope = scopeOfUser(db, ADVOCATE)
  const id = createObservation(db, advocateScope, input(s.police, 'communication_information', 'inadequate'))
  const advocate = await signedIn(app, ADVOCATE)
  const page = await advocate.get(`/observations/${id}`)
  const proposeUrl = /href="(\/observations\/\d+\/propose)"/.exec(page.body)?.[1] as string
  const formPage = await advocate.get(proposeUrl)
  t.equal(formPage.statusCode, 200)
  t.match(formPage.body, /value="R8\.[0-9]+"|value="R/, 'items of the round offered')
  const action = actionOf(formPage.body, '/propose')
  const round = /name="round" value="(\d+)"/.exec(formPage.body)?.[1] as string
  const bad = await advocate.post(action, {
    round,
    title: '',
    severity: 'high',
    recommendation: 'Call me on 07700 900123',
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /Enter a short title for the finding/)
  t.match(bad.body, /Select at least one item the finding concerns/)
  t.match(bad.body, /Recommendation contains what looks like a phone number/)
  const item = /name="items" type="checkbox" value="([^"]+)"/.exec(formPage.body)?.[1] as string
  const res = await advocate.post(action, {
    round,
    title: 'Victims not told of charging decisions',
    items: [item],
    severity: 'high',
    recommendation: 'Tell victims of the charging decision within the Code time limit.',
  })
  t.equal(res.statusCode, 303)
  const findingId = Number(/^\/findings\/(\d+)$/.exec(String(res.headers.location))?.[1])
  t.ok(findingId > 0)
  t.match(flashOf(res), /Finding proposed from the observation/)
  const f = db.get<{ status: string; agency: number; raised: number }>(
    sql`SELECT status, agency_id AS agency, raised_by AS raised FROM findings WHERE id = ${findingId}`,
  )
  t.same(f, { status: 'proposed', agency: s.police, raised: advocateScope.userId })
  t.equal(db.get<{ f: number }>(sql`SELECT finding_id AS f FROM observations WHERE id = ${id}`)?.f, findingId)
  const log = db
    .all<{ action: string }>(sql`SELECT action FROM audit_log ORDER BY id DESC LIMIT 2`)
    .map((r) => r.action)
  t.same(log, ['observation_linked', 'finding_proposed'])
  t.match(
    (await advocate.get(`/observations/${id}`)).body,
    /Evidence for the finding <a class="govuk-link" href="\/findings\/\d+">Victims not told of charging decisions<\/a> \(Proposed\)/,
  )

  // Shared, the police lead reads the observation but not the proposal behind it.
  shareObservation(db, advocateScope, id)
  const lead = await signedIn(app, 'police@qaf.example')
  const leadPage = await lead.get(`/observations/${id}`)
  t.equal(leadPage.statusCode, 200)
  t.notMatch(leadPage.body, /Victims not told of charging decisions|\/findings\/\d+/, 'no word of the proposed finding')

  // The home page: the open proposal, then what changed once a moderator accepts it.
  const home = (await advocate.get('/')).body
  t.match(home, /data-qa="home-proposals">[\s\S]*Victims not told of charging decisions/)
  t.match(home, /data-qa="home-observations">[\s\S]*\/observations\/\d+/)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const accept = await moderator.post(`/findings/${findingId}/status`, { to: 'draft' })
  t.equal(accept.statusCode, 303)
  const again = await signedIn(app, ADVOCATE)
  const changed = (await again.get('/')).body
  t.match(
    changed,
    /data-qa="home-changes">[\s\S]*Victims not told of charging decisions \(Cumbria Constabulary\): Accepted as a draft by Morgan Moderator/,
  )
  t.match(changed, /Your open proposals[\s\S]*No proposed finding is waiting for a moderator/)
  t.match(
    (await again.get(`/observations/${id}`)).body,
    /Evidence for a finding the moderators are drafting/,
    'the advocate cannot read the draft, and is told why',
  )
})

t.test('linking an observation to a finding about the same agency only', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const moderator = scopeOfUser(db, 'moderator@qaf.example')
  const advocateScope = scopeOfUser(db, ADVOCATE)
  const { createFinding, moveFinding } = await import('../../server/services/findings/writes.ts')
  const { findRound } = await import('../../server/services/scores/rounds-queries.ts')
  const round = findRound(db, moderator, s.roundA)
  if (!round) throw new Error('no round')
  const mk = (agencyId: number, title: string) => {
    const fid = createFinding(db, moderator, {
      round,
      agencyId,
      title,
      itemIds: ['R6.1'],
      caseRefs: [],
      severity: 'medium',
      recommendation: 'Do better',
      status: 'draft',
    })
    moveFinding(db, moderator, fid, 'issued', null)
    return fid
  }
  const policeFinding = mk(s.police, 'Police updates late')
  const cpsFinding = mk(s.cps, 'CPS letters unclear')
  const id = createObservation(db, advocateScope, input(s.police, 'communication_information', 'inadequate'))
  const advocate = await signedIn(app, ADVOCATE)
  const page = (await advocate.get(`/observations/${id}`)).body
  t.match(page, /Police updates late/)
  t.notMatch(page, /CPS letters unclear/, 'only findings about the agency observed are offered')
  const action = actionOf(page, '/link')
  const wrong = await advocate.post(action, { finding: String(cpsFinding) })
  t.equal(wrong.statusCode, 400)
  t.match(wrong.body, /Select a finding about Cumbria Constabulary/)
  const ok = await advocate.post(action, { finding: String(policeFinding) })
  t.equal(ok.statusCode, 303)
  t.match(flashOf(ok), /linked to the finding "Police updates late"/)
  t.equal(db.get<{ f: number }>(sql`SELECT finding_id AS f FROM observations WHERE id = ${id}`)?.f, policeFinding)
  // The finding names the observation behind it, to those who may read the observation.
  const evidence = new RegExp(`data-qa="finding-observations">[^<]*<a class="govuk-link" href="/observations/${id}">`)
  t.match((await advocate.get(`/findings/${policeFinding}`)).body, evidence, 'the advocate sees it on the finding')
  const mod = await signedIn(app, 'moderator@qaf.example')
  t.notMatch((await mod.get(`/findings/${policeFinding}`)).body, /finding-observations/, 'not while it is private')
  shareObservation(db, advocateScope, id)
  t.match((await mod.get(`/findings/${policeFinding}`)).body, evidence, 'the moderator, once shared')
  const unlink = await advocate.post(action, { finding: 'none' })
  t.equal(unlink.statusCode, 303)
  t.equal(db.get<{ f: number | null }>(sql`SELECT finding_id AS f FROM observations WHERE id = ${id}`)?.f, null)
  t.same(
    db
      .all<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'observation' ORDER BY id`)
      .map((r) => r.action),
    ['observation_recorded', 'observation_linked', 'observation_shared', 'observation_unlinked'],
  )
})

t.test('editing keeps the guard and is audit-logged with before and after', async (t) => {
  const { app, db } = await buildTestApp(t)
  const police = agencyIdByName(db, POLICE)
  const id = createObservation(db, scopeOfUser(db, ADVOCATE), input(police, 'care_respect', 'good'))
  const advocate = await signedIn(app, ADVOCATE)
  const edit = await advocate.get(`/observations/${id}/edit`)
  t.equal(edit.statusCode, 200)
  t.match(edit.body, /name="wentWell"[^>]*>Staff were kind\.<\/textarea>/, 'the saved text is in the form')
  t.notMatch(edit.body, /shared-warning/, 'no warning while private')
  const action = actionOf(edit.body, '/edit')
  const refused = await advocate.post(action, form({ wentWell: 'write to a.b@c.org' }, police))
  t.equal(refused.statusCode, 400)
  const saved = await advocate.post(action, form({ rating: 'good' }, police))
  t.equal(saved.statusCode, 303)
  const entry = db.get<{ before: string; after: string }>(
    sql`SELECT before, after FROM audit_log WHERE action = 'observation_changed' AND entity_id = ${String(id)}`,
  )
  t.match(JSON.parse(entry?.before ?? '{}'), { wentWell: 'Staff were kind.', setting: 'court' })
  t.match(JSON.parse(entry?.after ?? '{}'), { setting: 'police_station', observedOn: '2025-05-12' })
  shareObservation(db, scopeOfUser(db, ADVOCATE), id)
  t.match(
    (await advocate.get(`/observations/${id}/edit`)).body,
    /This observation is shared: the partnership and Cumbria Constabulary will read your changes/,
  )
})

t.test('the demo year: four observations a month, a recurring issue, three private', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { loadDemoObservations } = await import('../../seeds/demo-observations.ts')
  loadDemoObservations(db)
  t.equal(count(db, 'observations'), 48)
  t.equal(db.get<{ n: number }>(sql`SELECT count(*) AS n FROM observations WHERE shared_at IS NULL`)?.n, 3)
  t.equal(db.get<{ n: number }>(sql`SELECT count(DISTINCT agency_id) AS n FROM observations`)?.n, 9, 'every service')
  const viewer = await signedIn(app, 'viewer@qaf.example')
  const summary = (await viewer.get('/observations/summary?year=2025')).body
  t.match(summary, /data-qa="summary-total">45 observations of 9 services/)
  t.match(
    summary,
    /data-qa="recurring">[\s\S]*Communication and Information: rated poorly in 5 observations[\s\S]*Enhanced Support: rated poorly in 3 observations/,
  )
  t.notMatch(summary, /Care and Respect: rated poorly/)
  const latest = await viewer.get('/observations/summary')
  t.match(latest.body, /annual summary 2025\/26/, 'without a year: the latest with shared observations')
  const csv = await viewer.get('/observations/summary.csv')
  t.equal(csv.headers['content-disposition'], 'attachment; filename="advocate-summary-2025-26.csv"')
  const lines = csv.body.replace(/^\ufeff/, '').split('\r\n')
  t.equal(
    lines[0],
    'Financial year,Breakdown,Heading,Observations,Good,Requires improvement,Inadequate,Recurring issue',
  )
  t.ok(lines.includes('2025/26,Theme,Communication and Information,13,8,3,2,yes'), 'the theme row, as on the page')
  const { findPersonalData } = await import('../../audits/personal-data.ts')
  const texts = db.all<{ t: string }>(
    sql`SELECT went_well || ' ' || could_improve || ' ' || follow_up AS t FROM observations`,
  )
  t.ok(
    texts.every((r) => findPersonalData(r.t) === null),
    'the demo text passes the guard',
  )
})

t.test('a finding proposed on a dip sample of commissioned services takes that question set', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { loadDemoCommissioned } = await import('../../seeds/demo-commissioned.ts')
  const dipRound = await loadDemoCommissioned(db)
  const service = agencyIdByName(db, 'Victim Support (Cumbria integrated victim service)')
  const id = createObservation(db, scopeOfUser(db, ADVOCATE), input(service, 'communication_information', 'inadequate'))
  const advocate = await signedIn(app, ADVOCATE)
  const formPage = await advocate.get(`/observations/${id}/propose?round=${dipRound}`)
  t.equal(formPage.statusCode, 200)
  t.match(formPage.body, /name="items" type="checkbox" value="CS1"/, 'the commissioned-services questions offered')
  t.notMatch(formPage.body, /name="items" type="checkbox" value="R\d/, 'no Code items')
  const action = actionOf(formPage.body, '/propose')
  const proposal = {
    round: String(dipRound),
    title: 'First contact late after referral',
    severity: 'medium',
    recommendation: 'Contact victims within the service target after referral.',
  }
  const codeItem = await advocate.post(action, { ...proposal, items: ['R6.1'] })
  t.equal(codeItem.statusCode, 400)
  t.match(codeItem.body, /Select commissioned-services questions only/)
  const res = await advocate.post(action, { ...proposal, items: ['CS1'] })
  t.equal(res.statusCode, 303)
  const findingId = Number(/^\/findings\/(\d+)$/.exec(String(res.headers.location))?.[1])
  const f = db.get<{ round: number; agency: number }>(
    sql`SELECT round_id AS round, agency_id AS agency FROM findings WHERE id = ${findingId}`,
  )
  t.same(f, { round: dipRound, agency: service })
})
