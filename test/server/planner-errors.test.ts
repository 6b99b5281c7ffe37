// Planner errors follow the GOV.UK pattern (issue 14), with and without JavaScript: the summary
// comes first, each entry links to its field, the field is marked, and the entries keep page order.
import t from 'tap'
import { byId, textOf } from '../fixtures/html.ts'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import { insertPopulation, insertRound } from '../fixtures/rounds.ts'

t.test('htmx: the fragment puts the summary above the form and marks the field', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 500)
  const page = await admin.get(`/rounds/${id}/planner`)
  const form = /<form method="get" action="([^"]+)"[^>]*hx-target="([^"]+)"/.exec(page.body)
  t.ok(form, 'the planner form says where htmx puts the answer')
  const target = form?.[2] ?? ''
  t.match(page.body, new RegExp(`id="${target.slice(1)}"`), 'the target is on the page')
  const res = await admin.get(`${form?.[1]}?sampleSize=501`, { 'hx-request': 'true' })
  t.equal(res.statusCode, 400)
  const body = res.body
  t.match(
    body,
    new RegExp(`^\\s*(<!--[^]*?-->\\s*)?<div id="${target.slice(1)}">`),
    'the fragment replaces the whole target, form included',
  )
  const summary = body.indexOf('govuk-error-summary')
  t.ok(summary >= 0 && summary < body.indexOf('<form'), 'the summary comes before the form')
  t.match(
    body,
    /<a href="#sampleSize">The sample cannot be larger than the population of 500 cases<\/a>/,
    'linked to the field',
  )
  t.match(
    body,
    /<div class="govuk-form-group govuk-form-group--error">\s*<label[^>]*for="sampleSize"/,
    'the field group is marked',
  )
  t.match(textOf(byId(body, 'sampleSize-error').html), /^Error: The sample cannot be larger/, 'with an inline message')
  t.match(byId(body, 'sampleSize').attrs.class, /\bgovuk-input--error\b/, 'and a red border')
})

t.test('without JavaScript: the summary lists problems in the order of the fields on the page', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 500)
  const res = await admin.get(
    `/rounds/${id}/planner?marginOfError=3&stratifyBy=postcode&sampleSize=-4&minimumPerStratum=x`,
  )
  t.equal(res.statusCode, 400)
  const list = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(res.body)?.[1] ?? ''
  const order = [...list.matchAll(/href="#(\w+)"/g)].map((m) => m[1])
  const onPage = ['marginOfError', 'sampleSize', 'stratifyBy', 'minimumPerStratum'].sort(
    (a, b) => res.body.indexOf(`id="${a}"`) - res.body.indexOf(`id="${b}"`),
  )
  t.same(order, onPage, 'summary order is page order')
  t.same(order, ['marginOfError', 'sampleSize', 'stratifyBy', 'minimumPerStratum'])
  t.ok(
    res.body.indexOf('govuk-error-summary') < res.body.indexOf('data-qa="planner-form"'),
    'summary at the top, above the form',
  )
})
