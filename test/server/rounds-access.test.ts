import t from 'tap'
import { sql } from 'drizzle-orm'
import { auditLog, rounds, sampleCases, sampleDraws } from '../../schema/index.ts'
import { buildTestApp, Session, signedIn } from '../fixtures/app.ts'
import { drawForm, insertPopulation, insertRound, roundForm, userId } from '../fixtures/rounds.ts'
import type { Db } from '../../schema/database.ts'

async function roundWithSample(t: Parameters<typeof buildTestApp>[0]) {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 200)
  await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '20', minimumPerStratum: '0' }))
  const caseId = db.select({ id: sampleCases.id }).from(sampleCases).get()!.id
  return { app, db, admin, id, caseId }
}

const pages = (id: number, caseId: number) => ({
  read: [
    '/rounds',
    `/rounds/${id}`,
    `/rounds/${id}/planner`,
    `/rounds/${id}/sample`,
    `/rounds/${id}/overrides`,
    `/rounds/${id}/manifest.csv`,
  ],
  manage: [
    '/rounds/new',
    `/rounds/${id}/edit`,
    `/rounds/${id}/allocation`,
    `/rounds/${id}/status/fieldwork`,
    `/rounds/${id}/sample/${caseId}/replace`,
  ],
})

const writes = (db: Db, id: number, caseId: number): [string, Record<string, string | string[]>][] => [
  ['/rounds/new', roundForm({ agencyIds: '1' })],
  [`/rounds/${id}/edit`, roundForm({ agencyIds: '1' })],
  [`/rounds/${id}/overrides`, { itemId: 'x', standardDays: '5', enhancedDays: '', reason: 'r' }],
  [`/rounds/${id}/overrides/remove`, { itemId: 'x' }],
  [`/rounds/${id}/status/fieldwork`, {}],
  [`/rounds/${id}/draw`, drawForm({ confirmRedraw: 'yes' })],
  [`/rounds/${id}/sample/${caseId}/replace`, { reasonKind: 'duplicate', details: '' }],
  [`/rounds/${id}/sample/extend`, { additional: '5', stratum: '' }],
  [`/rounds/${id}/allocation/auto`, { auditorIds: String(userId(db, 'auditor@qaf.example')) }],
  [
    `/rounds/${id}/allocation/reassign`,
    { caseIds: String(caseId), auditorId: String(userId(db, 'auditor@qaf.example')) },
  ],
]

const snapshot = (db: Db) => ({
  rounds: db.select().from(rounds).all(),
  draws: db.select().from(sampleDraws).all(),
  cases: db.select().from(sampleCases).all(),
  roundLog: db.select({ n: sql<number>`count(*)` }).from(auditLog).where(sql`${auditLog.entity} = 'round'`).get()?.n,
})

t.test('admins open every rounds page', async (t) => {
  const { db, admin, id, caseId } = await roundWithSample(t)
  const { read, manage } = pages(id, caseId)
  // The sampled round's details are frozen; a draft round's edit page is the one to open.
  const draft = insertRound(db)
  for (const url of [...read, ...manage.map((u) => u.replace(`/rounds/${id}/edit`, `/rounds/${draft}/edit`))])
    t.equal((await admin.get(url)).statusCode, 200, url)
})

t.test('moderators see rounds read-only and change nothing', async (t) => {
  const { app, db, id, caseId } = await roundWithSample(t)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const { read, manage } = pages(id, caseId)
  for (const url of read) t.equal((await moderator.get(url)).statusCode, 200, `may read ${url}`)
  for (const url of manage) t.equal((await moderator.get(url)).statusCode, 404, `may not open ${url}`)

  t.notMatch((await moderator.get('/rounds')).body, /Create a round/)
  const overview = await moderator.get(`/rounds/${id}`)
  t.notMatch(overview.body, /Move to|Edit round details|\/population"/)
  t.notMatch((await moderator.get(`/rounds/${id}/planner`)).body, /data-qa="draw-form"/)
  const sample = await moderator.get(`/rounds/${id}/sample`)
  t.notMatch(sample.body, /\/replace"|Extend the sample/)
  t.match(sample.body, /data-qa="sample-cases"/, 'but sees the sample')
  t.notMatch((await moderator.get(`/rounds/${id}/overrides`)).body, /Save override/)

  const before = snapshot(db)
  for (const [url, form] of writes(db, id, caseId))
    t.equal((await moderator.post(url, form)).statusCode, 404, `may not post ${url}`)
  t.same(snapshot(db), before, 'nothing changed')
})

t.test('auditors, agency leads, the advocate and viewers get 404 for everything about rounds', async (t) => {
  const { app, db, id, caseId } = await roundWithSample(t)
  const { read, manage } = pages(id, caseId)
  const before = snapshot(db)
  for (const email of [
    'auditor@qaf.example',
    'police@qaf.example',
    'cps@qaf.example',
    'advocate@qaf.example',
    'viewer@qaf.example',
  ]) {
    const s = await signedIn(app, email)
    for (const url of [...read, ...manage]) {
      const res = await s.get(url)
      t.equal(res.statusCode, 404, `${email} ${url}`)
      t.match(res.body, /Page not found/)
    }
    for (const [url, form] of writes(db, id, caseId))
      t.equal((await s.post(url, form)).statusCode, 404, `${email} POST ${url}`)
    t.notMatch((await s.get('/')).body, /href="\/rounds"/, `${email} has no rounds link`)
  }
  t.same(snapshot(db), before, 'nothing changed')
})

t.test('signed-out visitors are sent to sign in; posts without a CSRF token are refused', async (t) => {
  const { app, db, admin, id } = await roundWithSample(t)
  const anon = new Session(app)
  const res = await anon.get(`/rounds/${id}`)
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, /^\/sign-in/)
  const before = snapshot(db)
  t.equal(
    (await admin.post(`/rounds/${id}/draw`, drawForm({ confirmRedraw: 'yes', seed: 'other' }), { csrf: null }))
      .statusCode,
    403,
  )
  t.same(snapshot(db), before)
})
