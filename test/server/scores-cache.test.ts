// Score figures are kept per round (server/services/scores/memo.ts) and must never be stale: a
// change to an answer or a sampled case of a round shows on the next request, wherever it is
// written from, while other rounds' kept figures stay.
import t from 'tap'
import { eq } from 'drizzle-orm'
import { answers, rounds, sampleCases } from '../../schema/index.ts'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import { addAnswer, addCase, seedScenario } from '../fixtures/scores.ts'
import { rowStarting } from '../fixtures/html.ts'
import { forgetKeptScores } from '../../server/services/scores/memo.ts'

t.test('a changed answer, a new answer and a replaced case all show at once', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const cpsRow = async () =>
    rowStarting(
      (await admin.get(`/scores/rounds/${s.roundA}`)).body,
      'heatmap-row',
      'Crown Prosecution Service North West',
    )
  t.match(await cpsRow(), /100\.0% \(n = 2\)/)

  const version = () => db.select({ v: rounds.dataVersion }).from(rounds).where(eq(rounds.id, s.roundA)).get()?.v ?? -1
  const before = version()
  const cpsAnswer = db.select().from(answers).where(eq(answers.agencyId, s.cps)).all()[0]!
  db.update(answers).set({ outcome: 'not_met' }).where(eq(answers.id, cpsAnswer.id)).run()
  t.ok(version() > before, 'the round data version moved')
  t.match(await cpsRow(), /50\.0% \(n = 2\)/, 'an edited answer shows on the next request')

  const extra = addCase(db, s.roundA, { ref: 'A-0099', status: 'complete' })
  addAnswer(db, extra, { item: 'R6.10', agencyId: s.cps, outcome: 'met' })
  t.match(await cpsRow(), /66\.7% \(n = 3\)/, 'a new answer shows')

  db.update(sampleCases).set({ status: 'replaced' }).where(eq(sampleCases.id, extra)).run()
  t.match(await cpsRow(), /50\.0% \(n = 2\)/, 'a replaced case drops out')
})

t.test('the trend page recounts a round that changed', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const first = await admin.get(`/scores/trends?agency=${s.cps}`)
  t.equal(first.statusCode, 200)
  const cpsAnswers = db.select().from(answers).where(eq(answers.agencyId, s.cps)).all()
  for (const a of cpsAnswers) db.update(answers).set({ outcome: 'not_met' }).where(eq(answers.id, a.id)).run()
  const second = await admin.get(`/scores/trends?agency=${s.cps}`)
  t.not(second.body, first.body, 'different figures after the change')
  t.match(second.body, /0\.0%/)
})

t.test(
  "a published round's trend figures are kept across a restart, and never used once its data changed",
  async (t) => {
    const { app, db } = await buildTestApp(t)
    const s = seedScenario(db)
    const admin = await signedIn(app, 'admin@qaf.example')
    const url = `/scores/trends?agency=${s.cps}`
    const page = async () => (await admin.get(url)).body.replace(/(x-csrf-token": "|name="_csrf" value=")[^"]+/g, '$1')
    const first = await page()
    const kept = db.$client.prepare('SELECT count(*) AS n FROM kept_figures WHERE round_id = ?').get(s.roundA) as {
      n: number
    }
    t.ok(kept.n > 0, 'the published round has figures stored')
    // A restart: nothing in memory. The stored figures give the same page.
    forgetKeptScores(db)
    t.equal(await page(), first)
    // Changed while nothing is in memory (another process, a data fix): the stored figure is stale.
    forgetKeptScores(db)
    for (const a of db.select().from(answers).where(eq(answers.agencyId, s.cps)).all())
      db.update(answers).set({ outcome: 'not_met' }).where(eq(answers.id, a.id)).run()
    const after = await page()
    t.not(after, first)
    t.match(after, /0\.0%/)
  },
)

t.test("the report's case counts follow a replaced case (kept with the round's version)", async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const counted = async () => {
    const body = (await admin.get(`/scores/rounds/${s.roundA}/report`)).body
    return /([\d,]+) sampled cases count/.exec(body)?.[1]
  }
  const before = Number(await counted())
  t.ok(before > 0, 'the report counts the sampled cases')
  const extra = addCase(db, s.roundA, { ref: 'A-0098', status: 'complete' })
  t.equal(Number(await counted()), before + 1, 'a new sampled case counts at once')
  db.update(sampleCases).set({ status: 'replaced' }).where(eq(sampleCases.id, extra)).run()
  t.equal(Number(await counted()), before, 'a replaced case drops out at once')
})
