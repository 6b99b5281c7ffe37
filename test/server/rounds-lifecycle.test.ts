import t, { type Test } from 'tap'
import { eq, sql } from 'drizzle-orm'
import { auditLog, rounds, sampleCases, sampleDraws, timeLimitOverrides } from '../../schema/index.ts'
import { buildTestApp, signedIn, type Session } from '../fixtures/app.ts'
import { drawForm, insertPopulation, insertRound, roundForm, setStatus, userId } from '../fixtures/rounds.ts'
import type { Db } from '../../schema/database.ts'

const statusOf = (db: Db, id: number) => db.select({ s: rounds.status }).from(rounds).where(eq(rounds.id, id)).get()?.s

async function drawnAndAllocated(t: Test, admin: Session, db: Db, id: number) {
  t.equal((await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '30' }))).statusCode, 303)
  const auditors = [userId(db, 'auditor@qaf.example'), userId(db, 'auditor2@qaf.example')].map(String)
  t.equal((await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: auditors })).statusCode, 303)
}

t.test('each step asks for confirmation, is logged, and only moves forward in order', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db)

  const noPopulation = await admin.get(`/rounds/${id}/status/sampling`)
  t.equal(noPopulation.statusCode, 200)
  t.match(noPopulation.body, /Import the population before sampling starts/)
  t.notMatch(noPopulation.body, /data-qa="confirm-transition"/, 'no button while the guard fails')
  const refused = await admin.post(`/rounds/${id}/status/sampling`, {})
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /There is a problem/)
  t.equal(statusOf(db, id), 'draft')

  insertPopulation(db, id, 300)
  const confirm = await admin.get(`/rounds/${id}/status/sampling`)
  t.match(confirm.body, /Move the round from draft to sampling\?/)
  t.match(confirm.body, /can no longer be changed/)
  t.match(confirm.body, /data-qa="confirm-transition"/)
  t.equal(statusOf(db, id), 'draft', 'opening the confirmation changes nothing')

  const skip = await admin.post(`/rounds/${id}/status/fieldwork`, {})
  t.equal(skip.statusCode, 400)
  t.match(skip.body, /cannot move from Draft to Fieldwork/)

  const moved = await admin.post(`/rounds/${id}/status/sampling`, {})
  t.equal(moved.statusCode, 303)
  t.equal(statusOf(db, id), 'sampling')
  t.match((await admin.get(moved.headers.location as string)).body, /Round moved to sampling/)

  const notDrawn = await admin.post(`/rounds/${id}/status/fieldwork`, {})
  t.equal(notDrawn.statusCode, 400)
  t.match(notDrawn.body, /Draw the sample before fieldwork starts/)

  t.equal((await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '30' }))).statusCode, 303)
  const unallocated = await admin.post(`/rounds/${id}/status/fieldwork`, {})
  t.equal(unallocated.statusCode, 400)
  t.match(
    unallocated.body,
    /Allocate every sampled case to an auditor before fieldwork starts: 30 cases are not allocated/,
  )
  t.equal(statusOf(db, id), 'sampling')

  await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: [String(userId(db, 'auditor@qaf.example'))] })
  t.equal((await admin.post(`/rounds/${id}/status/fieldwork`, {})).statusCode, 303)
  t.equal(statusOf(db, id), 'fieldwork')

  const back = await admin.post(`/rounds/${id}/status/sampling`, {})
  t.equal(back.statusCode, 400, 'never backwards')
  t.match(
    (await admin.get(`/rounds/${id}/status/moderation`)).body,
    /30 sampled cases are not yet complete/,
    'a warning, not a block',
  )
  for (const to of ['moderation', 'published', 'archived'] as const) {
    t.equal((await admin.post(`/rounds/${id}/status/${to}`, {})).statusCode, 303, to)
    t.equal(statusOf(db, id), to)
  }
  t.equal((await admin.post(`/rounds/${id}/status/published`, {})).statusCode, 400, 'archived is the end')
  t.equal((await admin.get(`/rounds/${id}/status/closed`)).statusCode, 404, 'no such stage')

  const log = db
    .select({ before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(eq(auditLog.action, 'round_status_changed'))
    .all()
  t.same(
    log.map((l) => `${JSON.parse(String(l.before)).status}→${JSON.parse(String(l.after)).status}`),
    ['draft→sampling', 'sampling→fieldwork', 'fieldwork→moderation', 'moderation→published', 'published→archived'],
  )
})

t.test('a disabled auditor’s cases count as unallocated when fieldwork would start', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 200)
  await drawnAndAllocated(t, admin, db, id)
  await admin.post(`/admin/users/${userId(db, 'auditor2@qaf.example')}/disable`, { disabled: 'true' })
  const res = await admin.post(`/rounds/${id}/status/fieldwork`, {})
  t.equal(res.statusCode, 400)
  t.match(res.body, /cases? (is|are) not allocated/)
})

t.test('published and archived rounds are read-only: every change is refused and nothing moves', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 200)
  await drawnAndAllocated(t, admin, db, id)
  await admin.post(`/rounds/${id}/overrides`, { itemId: 'dummy', standardDays: '', enhancedDays: '', reason: '' })
  const caseId = db.select({ id: sampleCases.id }).from(sampleCases).where(eq(sampleCases.roundId, id)).get()!.id
  const auditor = String(userId(db, 'auditor@qaf.example'))

  for (const stage of ['published', 'archived'] as const) {
    setStatus(db, id, stage)
    const snapshot = () => ({
      round: db.select().from(rounds).where(eq(rounds.id, id)).get(),
      draw: db.select().from(sampleDraws).where(eq(sampleDraws.roundId, id)).get(),
      cases: db.select().from(sampleCases).where(eq(sampleCases.roundId, id)).all(),
      overrides: db.select().from(timeLimitOverrides).all(),
      log: db.select({ n: sql<number>`count(*)` }).from(auditLog).get()?.n,
    })
    const before = snapshot()
    const writes: [string, Record<string, string | string[]>][] = [
      [`/rounds/${id}/edit`, roundForm({ agencyIds: '1' })],
      [`/rounds/${id}/overrides`, { itemId: 'x', standardDays: '5', enhancedDays: '', reason: 'r' }],
      [`/rounds/${id}/overrides/remove`, { itemId: 'x' }],
      [`/rounds/${id}/draw`, drawForm({ confirmRedraw: 'yes' })],
      [`/rounds/${id}/sample/${caseId}/replace`, { reasonKind: 'duplicate', details: '' }],
      [`/rounds/${id}/sample/extend`, { additional: '5', stratum: '' }],
      [`/rounds/${id}/allocation/auto`, { auditorIds: auditor }],
      [`/rounds/${id}/allocation/reassign`, { caseIds: String(caseId), auditorId: auditor }],
    ]
    for (const [url, form] of writes) {
      const res = await admin.post(url, form)
      t.equal(res.statusCode, 400, `${stage}: ${url}`)
      t.match(res.body, new RegExp(`This round is ${stage}, so it cannot be changed`), `${stage}: ${url} says why`)
    }
    t.same(snapshot(), before, `${stage}: nothing changed`)

    const overview = await admin.get(`/rounds/${id}`)
    t.match(overview.body, new RegExp(`This round is ${stage}, so it is read-only`))
    t.notMatch(overview.body, /Edit round details/)
    t.notMatch((await admin.get(`/rounds/${id}/planner`)).body, /data-qa="draw-form"/)
    const sample = await admin.get(`/rounds/${id}/sample`)
    t.notMatch(sample.body, /\/replace"/, 'no replace links')
    t.notMatch(sample.body, /Extend the sample/)
    const allocation = await admin.get(`/rounds/${id}/allocation`)
    t.notMatch(allocation.body, /data-qa="auto-allocate"/)
    t.notMatch(allocation.body, /Reassign selected cases/)
    t.notMatch((await admin.get(`/rounds/${id}/overrides`)).body, /Save override/)
  }
  t.match((await admin.get(`/rounds/${id}`)).body, /This round is archived/)
})
