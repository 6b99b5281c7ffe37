// Case facts: correcting them recomputes eligibility and obligations at once, answers that no
// longer apply go only with the auditor's say-so, and the whole page saves without script.
import t from 'tap'
import { signedIn } from '../fixtures/app.ts'
import { allWith, byId, oneWith, textOf } from '../fixtures/html.ts'
import {
  addPopulationCase,
  agencyIdOf,
  allocateCase,
  answerFields,
  answerUrl,
  auditEntries,
  burglary,
  caseRow,
  createRound,
  danglingAnchors,
  duplicateIds,
  fid,
  formFieldsOf,
  htmx,
  reviewSetup,
  storedAnswer,
  storedAnswers,
} from '../fixtures/review.ts'

const ARREST = 'R6.2@2023-03-08#1'

/** The burglary's facts as the form sends them, with changes. */
function burglaryForm(changes: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {
    'reportedOn-day': '6',
    'reportedOn-month': '3',
    'reportedOn-year': '2023',
    offenceGroup: 'theft',
    under18: 'no',
    vulnerable: 'no',
    intimidated: 'no',
    persistentlyTargeted: 'no',
    bereaved: 'no',
    domesticAbuse: 'no',
    hateCrime: 'no',
    specifiedOffence: 'unknown',
    sentenceMonths: '',
  }
  const events = [
    ['crime_recorded', '6', '3'],
    ['statement_taken', '6', '3'],
    ['suspect_arrested', '8', '3'],
    ['suspect_interviewed', '8', '3'],
    ['bailed', '9', '3'],
    ['charged', '20', '4'],
  ]
  events.forEach(([type, day, month], i) => {
    Object.assign(form, {
      [`events-${i}-type`]: type,
      [`events-${i}-date-day`]: day,
      [`events-${i}-date-month`]: month,
      [`events-${i}-date-year`]: '2023',
      [`events-${i}-agency`]: '',
    })
  })
  Object.assign(form, {
    'events-6-type': '',
    'events-6-date-day': '',
    'events-6-date-month': '',
    'events-6-date-year': '',
    'events-6-agency': '',
  })
  return { ...form, ...changes }
}

t.test('changing a fact recomputes enhanced eligibility and due dates at once, and re-judges answers', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'met', evidence: '2023-03-10' }), {
    headers: htmx,
  })
  t.match(storedAnswer(db, burglaryId, ARREST), { dueDate: '2023-03-15', daysLate: 0, version: 1 })

  const res = await auditor.post(`/cases/${burglaryId}/facts`, burglaryForm({ domesticAbuse: 'yes' }), {
    headers: htmx,
  })
  t.equal(res.statusCode, 200)
  t.match(res.body, /^Facts saved at \d\d:\d\d\. The entitlements below are up to date\./)
  const derived = byId(res.body, 'case-derived')
  t.equal(derived.attrs['hx-swap-oob'], 'innerHTML')
  t.match(textOf(derived.inner), /Enhanced Rights when the crime was reported: yes.* Victim of domestic abuse/)
  t.match(
    res.body,
    new RegExp(`id="item-${fid(ARREST)}"[\\s\\S]*?Due by 9 March 2023`),
    'one working day for an enhanced victim',
  )
  t.match(res.body, /data-key="R2\.1@2023-03-06#1"/, 'a new obligation appears, unanswered')
  t.match(res.body, /id="case-progress"[^>]*hx-swap-oob="true"/)
  t.match(JSON.parse(caseRow(db, burglaryId).facts ?? 'null'), { domesticAbuse: true, offenceGroup: 'theft' })

  t.match(
    storedAnswer(db, burglaryId, ARREST),
    { dueDate: '2023-03-09', daysLate: 1, version: 2 },
    'the stored judgement follows the new due date',
  )
  const recomputed = auditEntries(db, 'answer_recomputed')
  t.equal(recomputed.length, 1)
  t.match(recomputed[0], {
    before: { dueDate: '2023-03-15', daysLate: 0 },
    after: { dueDate: '2023-03-09', daysLate: 1 },
  })
  const saved = auditEntries(db, 'case_facts_saved')
  t.match(saved.at(-1), { before: { status: 'in_progress' }, after: { facts: { domesticAbuse: true } } })

  const page = await auditor.get(`/cases/${burglaryId}`)
  t.match(
    byId(page.body, 'domesticAbuse').attrs,
    { value: 'yes', checked: '' },
    'the saved facts are what the page shows',
  )
})

t.test('an answered obligation that no longer applies goes only once the auditor confirms', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'not_met', note: 'No contact' }), {
    headers: htmx,
  })
  const withoutArrest = burglaryForm({ 'events-2-remove': 'yes' })
  const asked = await auditor.post(`/cases/${burglaryId}/facts`, withoutArrest, { headers: htmx })
  t.equal(asked.statusCode, 409)
  t.match(asked.body, /^Not saved: this change would delete the answers to 1 obligation/)
  const confirm = byId(asked.body, 'facts-confirm')
  t.equal(confirm.attrs['hx-swap-oob'], 'true')
  t.match(textOf(confirm.inner), /R6.2 Arrest \(8 March 2023\)/)
  t.match(byId(confirm.html, 'confirmRemoval').attrs, { type: 'checkbox', value: 'R6.2@2023-03-08#1' })
  t.equal(storedAnswer(db, burglaryId, ARREST)?.outcome, 'not_met', 'nothing deleted yet')
  t.ok(
    JSON.parse(caseRow(db, burglaryId).facts ?? '{}').events.some(
      (e: { type: string }) => e.type === 'suspect_arrested',
    ),
    'facts not changed yet',
  )

  const wrongConfirm = await auditor.post(
    `/cases/${burglaryId}/facts`,
    { ...withoutArrest, confirmRemoval: 'R6.3@2023-03-08#1' },
    { headers: htmx },
  )
  t.equal(wrongConfirm.statusCode, 409, 'a confirmation must name the answers it covers')

  const confirmed = await auditor.post(
    `/cases/${burglaryId}/facts`,
    { ...withoutArrest, confirmRemoval: ARREST },
    { headers: htmx },
  )
  t.equal(confirmed.statusCode, 200)
  t.notMatch(confirmed.body, /data-key="R6\.2@/)
  t.equal(storedAnswer(db, burglaryId, ARREST), undefined, 'answers only hold obligations that apply')
  const deleted = auditEntries(db, 'answer_deleted')
  t.equal(deleted.length, 1)
  t.match(deleted[0], { before: { key: ARREST, outcome: 'not_met', note: 'No contact' }, after: null })

  const plain = await auditor.post(
    `/cases/${burglaryId}/facts`,
    burglaryForm({ 'events-2-remove': 'yes', 'events-3-remove': 'yes' }),
  )
  t.equal(plain.statusCode, 303, 'without answers at stake, nothing to confirm')
})

t.test(
  'without script, removing answered obligations asks for the same confirmation in the error summary',
  async (t) => {
    const { auditor, burglaryId, db } = await reviewSetup(t)
    await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'met' }), { headers: htmx })
    const res = await auditor.post(`/cases/${burglaryId}/facts`, burglaryForm({ 'events-2-remove': 'yes' }))
    t.equal(res.statusCode, 400)
    t.match(
      res.body,
      /href="#confirmRemoval">Confirm that the answers to obligations that no longer apply can be deleted/,
    )
    t.match(byId(res.body, 'confirmRemoval').attrs, { name: 'confirmRemoval', type: 'checkbox' })
    t.ok(storedAnswer(db, burglaryId, ARREST))
  },
)

t.test('facts are checked on the server, with messages beside the fields', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    [
      'no reported date',
      { 'reportedOn-day': '', 'reportedOn-month': '', 'reportedOn-year': '' },
      'reportedOn',
      /Enter the date the crime was reported/,
    ],
    [
      'a reported date that does not exist',
      { 'reportedOn-day': '31', 'reportedOn-month': '4' },
      'reportedOn',
      /must be a real date/,
    ],
    ['a reported date in the future', { 'reportedOn-year': '2099' }, 'reportedOn', /must be today or in the past/],
    ['a reported date before 2000', { 'reportedOn-year': '1999' }, 'reportedOn', /2000 or later/],
    ['no offence group', { offenceGroup: '' }, 'offenceGroup', /Select the offence group/],
    [
      'a characteristic that is not yes, no or not known',
      { hateCrime: 'maybe' },
      'hateCrime',
      /Select yes, no or not known/,
    ],
    [
      'a sentence that is not a number of months',
      { sentenceMonths: 'two years' },
      'sentenceMonths',
      /whole number of months/,
    ],
    [
      'an event type not on the list',
      { 'events-0-type': 'alien_abduction' },
      'events-0',
      /Select what happened in event 1 from the list/,
    ],
    [
      'an agency not on the list',
      { 'events-0-agency': 'Mystery Agency' },
      'events-0',
      /Select the responsible agency for event 1/,
    ],
    [
      'an event date that does not exist',
      { 'events-1-date-day': '32' },
      'events-1',
      /The date of event 2 must be a real date/,
    ],
    [
      'an event in the future',
      { 'events-1-date-year': '2099' },
      'events-1',
      /The date of event 2 must be today or in the past/,
    ],
    ['an event before 2000', { 'events-1-date-year': '1999' }, 'events-1', /2000 or later/],
    [
      'a one-off event twice',
      { 'events-1-type': 'crime_recorded' },
      'events-1',
      /Crime recorded can only happen once: it is already event 1/,
    ],
    [
      'an offence not on the list',
      { seriousOffence: 'piracy' },
      'seriousOffence',
      /Select offence making them a victim of the most serious crime from the list/,
    ],
    ['a victim type not on the list', { victimType: 'robot' }, 'victimType', /Select who is the victim from the list/],
    [
      'an unclear age for a victim said to be 18 or over',
      { ageUnclear: 'yes' },
      'ageUnclear',
      /an unclear age cannot go with that/,
    ],
  ]
  for (const [name, change, slot, message] of cases) {
    const res = await auditor.post(`/cases/${burglaryId}/facts`, burglaryForm(change), { headers: htmx })
    t.equal(res.statusCode, 400, `${name}: 400`)
    t.match(
      res.body,
      new RegExp(
        `id="${slot}-slot" class="app-error-slot" hx-swap-oob="true"><p id="${slot}-error" class="govuk-error-message">`,
      ),
      `${name}: beside the field`,
    )
    t.match(res.body, message, `${name}: says what is wrong`)
    t.notMatch(res.body, /id="case-derived"/, `${name}: the entitlements are left as they were`)
  }
  t.equal(caseRow(db, burglaryId).facts, null, 'nothing saved')
  t.same(auditEntries(db, 'case_facts_saved'), [])

  const page = await auditor.post(`/cases/${burglaryId}/facts`, burglaryForm({ offenceGroup: '' }))
  t.equal(page.statusCode, 400, 'without script: the page again')
  t.match(page.body, /govuk-error-summary[\s\S]*href="#offenceGroup">Select the offence group/)
  t.match(page.body, /<title>Error: /)
})

t.test('a half-filled event row waits during autosave; a fresh blank row appears when the last is used', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  const res = await auditor.post(
    `/cases/${burglaryId}/facts`,
    burglaryForm({ 'events-6-type': 'hearing_set', 'events-6-date-day': '3' }),
    { headers: htmx },
  )
  t.equal(res.statusCode, 200)
  t.match(res.body, /Event 7 is not saved until it has a type and a whole date\./)
  t.match(
    res.body,
    /<template><tbody hx-swap-oob="beforeend:#event-rows">[\s\S]*id="events-7"/,
    'a new blank row for the next event',
  )
  t.equal(JSON.parse(caseRow(db, burglaryId).facts ?? '{}').events.length, 6, 'the rest of the facts are saved')
  const roomLeft = await auditor.post(`/cases/${burglaryId}/facts`, burglaryForm(), { headers: htmx })
  t.notMatch(roomLeft.body, /beforeend:#event-rows/, 'no new row while a blank one is left')
  t.match(roomLeft.body, /^No change to the facts\./)
  t.notMatch(roomLeft.body, /id="case-derived"/, 'nothing redrawn when nothing changed')

  const submitted = await auditor.post(`/cases/${burglaryId}/facts`, burglaryForm({ 'events-6-type': 'hearing_set' }))
  t.equal(submitted.statusCode, 400, 'the whole-page save needs every row finished')
  t.match(submitted.body, /href="#events-6-date-day">Enter the date of event 7/)
  const noType = await auditor.post(
    `/cases/${burglaryId}/facts`,
    burglaryForm({ 'events-6-date-day': '3', 'events-6-date-month': '5', 'events-6-date-year': '2023' }),
  )
  t.match(noType.body, /href="#events-6-type">Select what happened in event 7/)
  const halfDate = await auditor.post(
    `/cases/${burglaryId}/facts`,
    burglaryForm({ 'events-6-type': 'hearing_set', 'events-6-date-day': '3' }),
  )
  t.match(halfDate.body, /The date of event 7 must include a month and year/)

  const added = await auditor.post(
    `/cases/${burglaryId}/facts`,
    burglaryForm({
      'events-6-type': 'hearing_set',
      'events-6-date-day': '3',
      'events-6-date-month': '5',
      'events-6-date-year': '2023',
    }),
  )
  t.equal(added.statusCode, 303)
  t.equal(added.headers.location, `/cases/${burglaryId}?done=facts`)
  const page = await auditor.get(`/cases/${burglaryId}?done=facts`)
  t.match(page.body, /The case facts have been saved/)
  t.match(page.body, /data-key="R8\.2@2023-05-03#1"/, 'the hearing brings its obligation')
  t.equal((page.body.match(/data-qa="event-row"/g) ?? []).length, 7 + 3, 'the saved events and three blank rows')
  const saved = byId(page.body, 'events-6')
  t.equal(byId(saved.html, 'events-6-type').tag, 'th', 'events on record read as text')
  t.match(textOf(byId(saved.html, 'events-6-type').inner), 'Hearing date received from the court')
  t.same(oneWith(saved.html, 'name', 'events-6-type').attrs, {
    type: 'hidden',
    name: 'events-6-type',
    value: 'hearing_set',
  })
  t.equal(textOf(byId(saved.html, 'events-6-date-day').inner), '3 May 2023')
  t.equal(oneWith(saved.html, 'name', 'events-6-date').attrs.value, '2023-05-03')
  t.equal(
    textOf(oneWith(saved.html, 'for', 'events-6-agency').inner),
    'Event 7 (Hearing date received from the court): responsible agency',
    'their agency can still be changed',
  )
  const blank = byId(page.body, 'events-7-type')
  t.equal(blank.tag, 'select', 'blank rows take new events')
  t.equal(textOf(allWith(blank.html, 'value', '')[0]?.inner ?? ''), 'Choose an event')
})

t.test('the agency named on an event decides whose score an answer counts towards', async (t) => {
  const { app, db } = await reviewSetup(t)
  const roundId = createRound(db)
  const caseId = allocateCase(
    db,
    roundId,
    addPopulationCase(db, roundId, {
      ...burglary,
      caseRef: 'LANG-1',
      events: [{ type: 'language_need', date: '2023-03-07', agency: 'Bridgeway' }],
    }),
  )
  const auditor = await signedIn(app, 'auditor@qaf.example')
  const key = 'R1.1@2023-03-07#1'
  const page = await auditor.get(`/cases/${caseId}`)
  t.match(
    page.body,
    /<option value="Bridgeway sexual assault referral centre" selected>Bridgeway<\/option>/,
    'the imported agency is pre-selected',
  )
  await auditor.post(answerUrl(caseId, key), answerFields(key, { outcome: 'met' }), { headers: htmx })
  t.equal(storedAnswer(db, caseId, key)?.agencyId, agencyIdOf(db, 'Bridgeway'))

  const form = formFieldsOf(page.body)
  const row = Object.keys(form)
    .find((k) => form[k] === 'language_need')
    ?.replace('-type', '') as string
  const res = await auditor.post(
    `/cases/${caseId}/facts`,
    { ...(form as Record<string, string>), [`${row}-agency`]: '' },
    { headers: htmx },
  )
  t.equal(res.statusCode, 200)
  t.equal(storedAnswer(db, caseId, key)?.agencyId, null, 'two "other" agencies in the round: nobody is guessed')
  t.equal(auditEntries(db, 'answer_recomputed').length, 1)
})

t.test('without script the page is one form: everything saves together, or nothing does', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  const page = await auditor.get(`/cases/${burglaryId}`)
  const forms = allWith(page.body, 'id', 'case-form')
  t.equal(forms.length, 1)
  t.match(forms[0]?.attrs, { method: 'post', action: /^\/cases\/\d+$/ })
  const formHtml = /id="case-form"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? ''
  t.equal((formHtml.match(/type="submit"/g) ?? []).length, 1, 'one submit button')
  const form = formFieldsOf(page.body)
  const R31 = 'R3.1@2023-03-06#1'

  const bad = await auditor.post(`/cases/${burglaryId}`, {
    ...form,
    [`${fid(R31)}-outcome`]: 'met',
    [`${fid(ARREST)}-outcome`]: 'partially_met',
    domesticAbuse: 'yes',
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /class="govuk-error-summary"/)
  t.match(
    bad.body,
    new RegExp(`href="#${fid(ARREST)}-note">R6.2 Arrest: Enter a note saying what was done and what was missing`),
  )
  t.match(byId(bad.body, `${fid(R31)}-outcome`).attrs, { value: 'met', checked: '' }, 'what was typed is shown again')
  t.match(byId(bad.body, 'domesticAbuse').attrs, { value: 'yes', checked: '' })
  t.same(storedAnswers(db, burglaryId), [], 'nothing saved, not even the valid answer')
  t.same(danglingAnchors(bad.body), [], 'every error links to its field')
  t.same(duplicateIds(bad.body), [])
  t.equal(caseRow(db, burglaryId).facts, null, 'nor the facts')

  const good = await auditor.post(`/cases/${burglaryId}`, {
    ...form,
    [`${fid(R31)}-outcome`]: 'met',
    [`${fid(ARREST)}-outcome`]: 'partially_met',
    [`${fid(ARREST)}-note`]: 'Told by phone, not in writing',
    [`${fid(ARREST)}-evidence-day`]: '9',
    [`${fid(ARREST)}-evidence-month`]: '3',
    [`${fid(ARREST)}-evidence-year`]: '2023',
    domesticAbuse: 'yes',
  })
  t.equal(good.statusCode, 303)
  t.equal(good.headers.location, `/cases/${burglaryId}?done=saved`)
  t.match(storedAnswer(db, burglaryId, R31), { outcome: 'met', version: 1 })
  t.match(
    storedAnswer(db, burglaryId, ARREST),
    { outcome: 'partially_met', dueDate: '2023-03-09', daysLate: 0 },
    'judged against the new facts',
  )
  t.equal(storedAnswers(db, burglaryId).length, 2, 'untouched items are not stored')
  t.match(JSON.parse(caseRow(db, burglaryId).facts ?? '{}'), { domesticAbuse: true })
  t.equal(caseRow(db, burglaryId).status, 'in_progress')
  const after = await auditor.get(good.headers.location as string)
  t.match(after.body, /Your answers have been saved/)

  const resubmit = await auditor.post(`/cases/${burglaryId}`, formFieldsOf(after.body))
  t.equal(resubmit.statusCode, 303, 'saving the page again unchanged is fine')
  t.equal(storedAnswer(db, burglaryId, ARREST)?.version, 1, 'and writes nothing')
})

t.test('odd input never makes the server fail', async (t) => {
  const { auditor, burglaryId } = await reviewSetup(t)
  const junk: Array<Record<string, string | string[]>> = [
    {},
    { offenceGroup: ['theft', 'robbery'], 'reportedOn-day': ['1', '2'] },
    {
      'events-999-type': 'charged',
      'events-999-date-day': '1',
      'events-999-date-month': '1',
      'events-999-date-year': '2023',
    },
    { 'events-0-date': 'yesterday', 'events-0-fixed': 'yes', 'events-0-type': 'charged' },
    { sentenceMonths: '-5', under18: 'true', confirmRemoval: ',,,' },
    {
      ...answerFields(ARREST, { outcome: 'met' }),
      [`${fid(ARREST)}-version`]: '99999999999999999999',
      [`${fid(ARREST)}-resolve`]: 'mine',
      [`${fid(ARREST)}-theirs`]: 'x',
    },
    {
      ...answerFields(ARREST, {
        outcome: '\u0000',
        note: '\ud800',
        evidenceParts: { day: '١', month: '٢', year: '٢٠٢٣' },
      }),
    },
  ]
  for (const body of junk) {
    for (const url of [
      `/cases/${burglaryId}`,
      `/cases/${burglaryId}/facts`,
      `/cases/${burglaryId}/answers/${encodeURIComponent(ARREST)}`,
      `/cases/${burglaryId}/unusable`,
      `/cases/${burglaryId}/complete`,
    ]) {
      for (const headers of [{}, htmx]) {
        const res = await auditor.post(url, body, { headers })
        t.ok(res.statusCode < 500, `${url} ${JSON.stringify(body).slice(0, 60)}: ${res.statusCode}`)
      }
    }
  }
  for (const q of ['?group[]=x', '?group=right&group=theme', '?done=<script>']) {
    const res = await auditor.get(`/cases/${burglaryId}${q}`)
    t.equal(res.statusCode, 200, q)
    t.notMatch(res.body, /<script>/)
  }
  t.equal((await auditor.get('/worklist?status=a&status=b&sort[]=x')).statusCode, 200)
})
