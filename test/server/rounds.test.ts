import t from 'tap'
import { allWith } from '../fixtures/html.ts'
import { eq } from 'drizzle-orm'
import { auditLog, populationImports, roundAgencies, rounds, timeLimitOverrides } from '../../schema/index.ts'
import { verifyAuditChain } from '../../server/audit-log.ts'
import { buildTestApp, signedIn, flashOf } from '../fixtures/app.ts'
import { agencyId, insertPopulation, insertRound, roundForm, setStatus } from '../fixtures/rounds.ts'

t.test('an admin creates a round; it is listed, shown and logged', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const form = await admin.get('/rounds/new')
  t.equal(form.statusCode, 200)
  t.match(form.body, /name="ragGreen"[^>]*value="95"/, 'green defaults to 95')
  t.match(form.body, /name="ragAmber"[^>]*value="80"/, 'amber defaults to 80')
  t.match(form.body, /name="moderationPercent"[^>]*value="10"/, 'moderation defaults to 10%')

  const police = agencyId(db, 'Constabulary')
  const cps = agencyId(db, 'CPS')
  const res = await admin.post('/rounds/new', roundForm({ agencyIds: [String(police), String(cps)] }))
  t.equal(res.statusCode, 303)
  const round = db.select().from(rounds).get()
  t.match(round, {
    name: 'Cumbria audit 2024 to 2025',
    edition: '2020',
    periodFrom: '2024-04-01',
    periodTo: '2025-03-31',
    status: 'draft',
    ragGreen: 95,
    ragAmber: 80,
    moderationShare: 0.1,
  })
  t.same(
    db
      .select({ a: roundAgencies.agencyId })
      .from(roundAgencies)
      .where(eq(roundAgencies.roundId, round!.id))
      .all()
      .map((r) => r.a)
      .sort(),
    [police, cps].sort(),
  )
  t.equal(res.headers.location?.split('?')[0], `/rounds/${round!.id}`)

  const page = await admin.get(res.headers.location as string)
  t.equal(page.statusCode, 200)
  t.match(page.body, /Round “Cumbria audit 2024 to 2025” created/)
  t.match(page.body, /1 April 2024 to 31 March 2025/)
  t.match(page.body, /Cumbria Constabulary/)
  t.match(page.body, /Green from 95%, amber from 80%/)
  t.match(page.body, /10% of reviewed cases/)
  t.match(page.body, /href="\/rounds\/\d+\/population">Import or view the population</)

  const list = await admin.get('/rounds')
  t.match(list.body, /Cumbria audit 2024 to 2025/)
  t.match(list.body, /Draft/)
  const logged = db.select().from(auditLog).where(eq(auditLog.action, 'round_created')).get()
  t.equal(logged?.entityId, String(round!.id))
  t.ok(verifyAuditChain(db).ok)
})

t.test('an invalid round form is shown again with every error and nothing is saved', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.post(
    '/rounds/new',
    roundForm({
      name: '',
      edition: '',
      'periodFrom-month': '',
      'periodTo-year': '2023',
      ragGreen: '120',
      ragAmber: '80',
      moderationPercent: '0',
    }),
  )
  t.equal(res.statusCode, 400)
  t.match(res.body, /<title>Error: /)
  t.match(res.body, /There is a problem/)
  for (const field of ['name', 'edition', 'periodFrom', 'agencyIds', 'ragGreen', 'moderationPercent'])
    t.match(res.body, new RegExp(`href="#${field}"`), field)
  t.match(res.body, /The date the period starts must include a month/)
  t.match(res.body, /value="2023"/, 'what was typed is kept')
  t.match(res.body, /id="agencyIds"/, 'the first agency box carries the id the summary links to')

  const order = await admin.post(
    '/rounds/new',
    roundForm({ agencyIds: '1', 'periodTo-year': '2023', ragGreen: '80', ragAmber: '90' }),
  )
  t.equal(order.statusCode, 400)
  t.match(order.body, /The date the period ends must be the same as or after the date it starts/)
  t.match(order.body, /The amber threshold must be lower than the green threshold/)
  t.match(
    allWith(order.body, 'name', 'agencyIds').find((box) => box.attrs.value === '1')?.attrs,
    { type: 'checkbox', checked: '' },
    'ticked agencies stay ticked',
  )

  const bogus = await admin.post('/rounds/new', roundForm({ agencyIds: '99999' }))
  t.equal(bogus.statusCode, 400)
  t.match(bogus.body, /Select agencies from the list/)
  t.equal(db.select().from(rounds).all().length, 0)
})

t.test('a draft round can be edited; once sampling starts its details are frozen', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db)
  const form = await admin.get(`/rounds/${id}/edit`)
  t.equal(form.statusCode, 200)
  t.match(form.body, /name="periodFrom-day"[^>]*value="1"/)
  t.match(form.body, /name="periodFrom-year"[^>]*value="2024"/)

  const cps = agencyId(db, 'CPS')
  const saved = await admin.post(
    `/rounds/${id}/edit`,
    roundForm({
      name: 'Renamed',
      edition: '2015',
      agencyIds: String(cps),
      ragGreen: '90',
      ragAmber: '70.5',
      moderationPercent: '20',
    }),
  )
  t.equal(saved.statusCode, 303)
  t.match(db.select().from(rounds).where(eq(rounds.id, id)).get(), {
    name: 'Renamed',
    edition: '2015',
    ragGreen: 90,
    ragAmber: 70.5,
    moderationShare: 0.2,
  })
  t.same(db.select({ a: roundAgencies.agencyId }).from(roundAgencies).where(eq(roundAgencies.roundId, id)).all(), [
    { a: cps },
  ])
  t.ok(db.select().from(auditLog).where(eq(auditLog.action, 'round_updated')).get())

  const invalid = await admin.post(`/rounds/${id}/edit`, roundForm({ name: '', agencyIds: String(cps) }))
  t.equal(invalid.statusCode, 400)
  t.equal(db.select().from(rounds).where(eq(rounds.id, id)).get()?.name, 'Renamed', 'nothing saved')

  setStatus(db, id, 'sampling')
  const refused = await admin.post(`/rounds/${id}/edit`, roundForm({ name: 'Too late', agencyIds: String(cps) }))
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /only change the round’s details while the round is in draft/)
  t.equal(db.select().from(rounds).where(eq(rounds.id, id)).get()?.name, 'Renamed')
  t.equal((await admin.get(`/rounds/${id}/edit`)).statusCode, 400)
  t.notMatch((await admin.get(`/rounds/${id}`)).body, /Edit round details/, 'no edit button once frozen')
})

t.test('time limit overrides: added with a reason, changed, removed, and only while draft or sampling', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { edition: '2020' })
  const page = await admin.get(`/rounds/${id}/overrides`)
  t.equal(page.statusCode, 200)
  const item = /<option value="([^"]+)">/.exec(page.body.split('name="itemId"')[1] ?? '')?.[1]
  t.ok(item, 'the form lists the edition’s entitlements')
  t.match(page.body, /Do not enter names or other personal details/)

  const bad = await admin.post(`/rounds/${id}/overrides`, {
    itemId: 'no-such-item',
    standardDays: '0',
    enhancedDays: '',
    reason: '',
  })
  t.equal(bad.statusCode, 400)
  for (const f of ['itemId', 'standardDays', 'reason']) t.match(bad.body, new RegExp(`href="#${f}"`), f)
  const neither = await admin.post(`/rounds/${id}/overrides`, {
    itemId: item!,
    standardDays: '',
    enhancedDays: '',
    reason: 'Local agreement',
  })
  t.match(neither.body, /Enter a standard limit, a limit for enhanced victims, or both/)
  t.equal(db.select().from(timeLimitOverrides).all().length, 0)

  const ok = await admin.post(`/rounds/${id}/overrides`, {
    itemId: item!,
    standardDays: '7',
    enhancedDays: '',
    reason: 'Cumbria protocol 2024',
  })
  t.equal(ok.statusCode, 303)
  t.match(db.select().from(timeLimitOverrides).get(), {
    roundId: id,
    itemId: item,
    standardDays: 7,
    enhancedDays: null,
    reason: 'Cumbria protocol 2024',
  })
  await admin.post(`/rounds/${id}/overrides`, {
    itemId: item!,
    standardDays: '8',
    enhancedDays: '4',
    reason: 'Revised protocol',
  })
  t.match(
    db.select().from(timeLimitOverrides).all(),
    [{ standardDays: 8, enhancedDays: 4, reason: 'Revised protocol' }],
    'saving again replaces it',
  )
  t.match((await admin.get(`/rounds/${id}`)).body, /Revised protocol/, 'the round page shows it with its reason')

  setStatus(db, id, 'fieldwork')
  const late = await admin.post(`/rounds/${id}/overrides`, {
    itemId: item!,
    standardDays: '9',
    enhancedDays: '',
    reason: 'Later',
  })
  t.equal(late.statusCode, 400)
  t.match(late.body, /only change time limit overrides while the round is in draft or sampling/)
  t.equal((await admin.post(`/rounds/${id}/overrides/remove`, { itemId: item! })).statusCode, 400)
  t.equal(db.select().from(timeLimitOverrides).get()?.standardDays, 8)

  setStatus(db, id, 'sampling')
  t.equal((await admin.post(`/rounds/${id}/overrides/remove`, { itemId: item! })).statusCode, 303)
  t.equal(db.select().from(timeLimitOverrides).all().length, 0)
  t.equal(
    (await admin.post(`/rounds/${id}/overrides/remove`, { itemId: item! })).statusCode,
    400,
    'removing twice is explained, not a crash',
  )
  t.ok(db.select().from(auditLog).where(eq(auditLog.action, 'round_override_removed')).get())
})

t.test('changing the heading edition keeps overrides: cases hold duties of both editions', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { edition: '2020' })
  const item = /<option value="([^"]+)">/.exec(
    (await admin.get(`/rounds/${id}/overrides`)).body.split('name="itemId"')[1] ?? '',
  )?.[1]
  await admin.post(`/rounds/${id}/overrides`, { itemId: item!, standardDays: '5', enhancedDays: '', reason: 'Local' })
  const res = await admin.post(`/rounds/${id}/edit`, roundForm({ edition: '2015', agencyIds: '1' }))
  t.notMatch(flashOf(res), /override/)
  t.equal(db.select().from(timeLimitOverrides).all().length, 1)
  t.match(
    (await admin.get(`/rounds/${id}/overrides`)).body,
    /<option value="R1\.1">R1\.1: Interpreting/,
    'the 2020 items are still offered under a 2015 heading',
  )
})

t.test('the round page shows the population count and the last import', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db)
  t.match((await admin.get(`/rounds/${id}`)).body, /No population has been imported yet/)
  insertPopulation(db, id, 1234)
  db.insert(populationImports)
    .values({
      roundId: id,
      fileName: 'cumbria-2024.csv',
      fileSha256: 'x'.repeat(64),
      rows: 1234,
      importedAt: '2025-03-03T10:15:00.000Z',
    })
    .run()
  const page = await admin.get(`/rounds/${id}`)
  t.match(page.body, /1,234 cases in the population/)
  t.match(page.body, /cumbria-2024\.csv, 1,234 rows, on 3 March 2025 at 10:15/)
})

t.test('unknown or malformed round ids are 404, never 500', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  for (const url of [
    '/rounds/999',
    '/rounds/abc',
    '/rounds/0',
    '/rounds/1.5/edit',
    '/rounds/999/planner',
    '/rounds/999/sample',
    '/rounds/999/allocation',
    '/rounds/999/manifest.csv',
    '/rounds/999/status/sampling',
  ]) {
    t.equal((await admin.get(url)).statusCode, 404, url)
  }
  t.equal((await admin.post('/rounds/999/edit', roundForm())).statusCode, 404)
  t.equal((await admin.post('/rounds/999/draw', {})).statusCode, 404)
})
