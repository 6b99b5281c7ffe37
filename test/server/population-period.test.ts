// Cases reported outside the round's period (issue 14): the import reports them, the admin
// chooses on the form to stop or to leave them out, and the choice is logged.
import t from 'tap'
import { buildTestApp, signedIn, type Session } from '../fixtures/app.ts'
import { createRound, finishedJob, goodCsv, multipart, snapshot } from '../fixtures/population.ts'
import type { FastifyInstance } from 'fastify'
import { textOf } from '../fixtures/html.ts'

// The fixture round covers 1 April 2023 to 31 March 2024; two cases fall outside it.
const csv = `${goodCsv}\nOLD-1,2023-03-31,theft,carlisle,,,,,\nNEW-2,2024-04-01,theft,eden,,,,,\n`

/** Submits the page's own upload form with the radio value chosen, as a browser would. */
async function submit(app: FastifyInstance, s: Session, roundId: number, choice: string | null) {
  const page = await s.get(`/rounds/${roundId}/population`)
  const form = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/.exec(
    page.body,
  )
  if (!form?.[1] || !form[2]) throw new Error('no upload form')
  const token = /name="_csrf" value="([^"]+)"/.exec(form[2])?.[1] ?? ''
  const values = [...form[2].matchAll(/name="outside_period" type="radio" value="(\w+)"/g)].map((m) => m[1])
  const fields: Record<string, string> = { _csrf: token }
  if (choice !== null) {
    if (!values.includes(choice)) throw new Error(`the form offers no "${choice}"`)
    fields.outside_period = choice
  }
  const body = multipart(fields, { name: 'cases.csv', content: csv })
  const res = s.keep(
    await app.inject({
      method: 'POST',
      url: form[1],
      payload: body.payload,
      headers: { 'content-type': body.contentType, cookie: s.header() },
    }),
  )
  if (res.statusCode !== 303) throw new Error(`upload answered ${res.statusCode}`)
  return finishedJob(s, String(res.headers.location))
}

t.test('stop (the default): the cases outside the period are listed and nothing is imported', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const page = await s.get(`/rounds/${roundId}/population`)
  t.match(textOf(page.body), /This round covers cases reported from 1 April 2023 to 31 March 2024/)
  t.match(page.body, /value="stop" checked/, 'stopping is the default')
  const before = snapshot(db)
  const done = await submit(app, s, roundId, null)
  const text = textOf(done.body)
  t.match(text, /Problems in cases\.csv/)
  t.match(text, /Reported on 31 March 2023, outside the round's period \(1 April 2023 to 31 March 2024\)/)
  t.match(text, /Reported on 1 April 2024, outside the round's period/)
  t.match(text, /2 cases were reported outside the round's period/)
  t.equal(snapshot(db).cases, before.cases, 'nothing imported')
  const log = db.$client
    .prepare("select after from audit_log where action = 'population_outside_period_stopped'")
    .get() as { after: string } | undefined
  t.match(
    JSON.parse(log?.after ?? '{}'),
    { choice: 'stop', rowsOutsidePeriod: 2, periodFrom: '2023-04-01', periodTo: '2024-03-31' },
    'the choice is logged',
  )
})

t.test('drop: the rest is imported, the number left out is shown and logged', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const done = await submit(app, s, roundId, 'drop')
  const text = textOf(done.body)
  t.match(text, /Population imported 3 cases from cases\.csv/)
  t.match(
    text,
    /As you chose, 2 cases reported outside the round's period \(1 April 2023 to 31 March 2024\) were left out/,
  )
  const refs = db.$client
    .prepare('select case_ref from population_cases where round_id = ? order by case_ref')
    .all(roundId) as { case_ref: string }[]
  t.same(
    refs.map((r) => r.case_ref),
    ['BA-2', 'CA-1', 'ED-3'],
  )
  const log = db.$client
    .prepare("select actor_email, after from audit_log where action = 'population_outside_period_dropped'")
    .get() as { actor_email: string; after: string } | undefined
  t.equal(log?.actor_email, 'admin@qaf.example')
  t.match(JSON.parse(log?.after ?? '{}'), { choice: 'drop', rowsOutsidePeriod: 2 })
})

t.test('a file with every case outside the period imports nothing, with a message', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const token = await s.csrfToken(`/rounds/${roundId}/population`)
  const body = multipart(
    { _csrf: token, outside_period: 'drop' },
    { name: 'old.csv', content: 'case_ref,reported_on,offence_group,district\nX-1,2020-01-01,theft,eden\n' },
  )
  const res = s.keep(
    await app.inject({
      method: 'POST',
      url: `/rounds/${roundId}/population`,
      payload: body.payload,
      headers: { 'content-type': body.contentType, cookie: s.header() },
    }),
  )
  const done = await finishedJob(s, String(res.headers.location))
  t.match(textOf(done.body), /Every case in the file was reported outside the round's period/)
  t.equal(snapshot(db).cases, 0)
})
