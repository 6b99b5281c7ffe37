// Saving answers: autosave of one answer, every rule refused with its message and nothing
// written, timeliness judged, optimistic concurrency, and the audit trail.
import t from 'tap'
import { verifyAuditChain } from '../../server/audit-log.ts'
import { signedIn } from '../fixtures/app.ts'
import {
  agencyIdOf,
  answerFields,
  answerUrl,
  auditEntries,
  caseRow,
  fid,
  htmx,
  reviewSetup,
  storedAnswer,
  storedAnswers,
  versionIn,
  type AnswerFormInput,
} from '../fixtures/review.ts'

const ARREST = 'R6.2@2023-03-08#1' // due 15 March 2023, police, 5 working days

t.test('autosave of one answer: saved, versioned, judged and counted towards the agency', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  t.equal(caseRow(db, burglaryId).status, 'not_started')
  const res = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'met', evidence: '2023-03-20', note: 'Letter on file' }),
    { headers: htmx },
  )
  t.equal(res.statusCode, 200)
  t.match(res.body, /^Saved at \d\d:\d\d/, 'the status line says when')
  t.match(
    res.body,
    new RegExp(`id="${fid(ARREST)}-version" name="${fid(ARREST)}-version" value="1" hx-swap-oob="true"`),
    'the version comes back out of band',
  )
  t.match(
    res.body,
    /hx-swap-oob="true"><strong class="govuk-tag govuk-tag--red">Late by 3 working days<\/strong>/,
    'timeliness with a tag that says it in words',
  )
  t.notMatch(res.body, /<textarea|<input class="govuk-input/, 'the fields being typed in are not sent back')
  t.match(res.body, /id="case-progress"[^>]*hx-swap-oob="true"[\s\S]*?<strong>1 of 12<\/strong>/, 'progress moves')
  const row = storedAnswer(db, burglaryId, ARREST)
  t.match(row, {
    marker: 'primary',
    itemId: 'R6.2',
    outcome: 'met',
    evidenceDate: '2023-03-20',
    dueDate: '2023-03-15',
    daysLate: 3,
    note: 'Letter on file',
    version: 1,
  })
  t.equal(row?.agencyId, agencyIdOf(db, 'Constabulary'), 'a police item counts towards the police')
  t.equal(caseRow(db, burglaryId).status, 'in_progress', 'the first save starts the case')
  t.ok(caseRow(db, burglaryId).facts, 'the pre-filled facts the answer was given against are kept')

  const again = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'met', evidence: '2023-03-15', note: 'Letter on file', version: 1 }),
    { headers: htmx },
  )
  t.equal(again.statusCode, 200)
  t.match(again.body, /govuk-tag--green">On time</)
  t.notMatch(again.body, /id="case-progress"/, 'progress is not recounted when no outcome appeared')
  t.match(storedAnswer(db, burglaryId, ARREST), { daysLate: 0, version: 2 })

  const page = await auditor.get(`/cases/${burglaryId}`)
  t.equal(versionIn(page.body, ARREST), 2, 'the page carries the current version')
  t.match(page.body, /Last saved \d+ \w+ \d{4} at \d\d:\d\d/)
})

t.test('an unchanged autosave writes nothing and still hands back the version', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'met' }), { headers: htmx })
  const before = auditEntries(db, 'answer_saved').length
  const same = await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'met', version: 1 }), {
    headers: htmx,
  })
  t.equal(same.statusCode, 200)
  t.match(same.body, /value="1" hx-swap-oob/)
  t.equal(storedAnswer(db, burglaryId, ARREST)?.version, 1)
  t.equal(auditEntries(db, 'answer_saved').length, before)
  const blank = await auditor.post(answerUrl(burglaryId, 'R3.1@2023-03-06#1'), answerFields('R3.1@2023-03-06#1', {}), {
    headers: htmx,
  })
  t.equal(blank.statusCode, 200)
  t.equal(storedAnswer(db, burglaryId, 'R3.1@2023-03-06#1'), undefined, 'a blank answer is not stored')
})

t.test('a plain POST of one answer saves and redirects back to it', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  const res = await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'not_met' }))
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/cases/${burglaryId}?done=saved#item-${fid(ARREST)}`)
  t.equal(storedAnswer(db, burglaryId, ARREST)?.outcome, 'not_met')
  const bad = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'partially_met', version: 1 }),
  )
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /govuk-error-summary/)
  t.match(bad.body, new RegExp(`href="#${fid(ARREST)}-note">R6.2 Arrest: Enter a note`))
  t.equal(storedAnswer(db, burglaryId, ARREST)?.outcome, 'not_met', 'nothing changed')
})

t.test('an obligation that does not apply to the case is not found', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  for (const key of ['R2.1@2023-03-06#1', 'R6.2@2023-03-09#1', 'nonsense', '%00']) {
    const plain = await auditor.post(
      `/cases/${burglaryId}/answers/${encodeURIComponent(key)}`,
      answerFields(key, { outcome: 'met' }),
    )
    t.equal(plain.statusCode, 404, key)
    const autosave = await auditor.post(
      `/cases/${burglaryId}/answers/${encodeURIComponent(key)}`,
      answerFields(key, { outcome: 'met' }),
      { headers: htmx },
    )
    t.equal(autosave.statusCode, 409, `${key}: autosave says why instead of failing silently`)
    t.match(autosave.body, /no longer applies to the case/)
  }
  t.same(storedAnswers(db, burglaryId), [])
})

// Each rule: 400, its message in the item's error slot, nothing stored.
const rules: Array<{ name: string; answer: AnswerFormInput; field: string; message: RegExp }> = [
  {
    name: 'an outcome outside the five',
    answer: { outcome: 'mostly' },
    field: 'outcome',
    message: /Select whether the obligation was met/,
  },
  {
    name: 'partly met without a note',
    answer: { outcome: 'partially_met' },
    field: 'note',
    message: /Enter a note saying what was done and what was missing/,
  },
  {
    name: 'not applicable without a note',
    answer: { outcome: 'not_applicable', note: '  ' },
    field: 'note',
    message: /Enter a note saying why this did not apply/,
  },
  {
    name: 'a date that does not exist',
    answer: { outcome: 'met', evidenceParts: { day: '30', month: '2', year: '2023' } },
    field: 'evidence',
    message: /must be a real date/,
  },
  {
    name: 'a two-digit year',
    answer: { outcome: 'met', evidenceParts: { day: '9', month: '3', year: '23' } },
    field: 'evidence',
    message: /Year must include 4 numbers/,
  },
  {
    name: 'evidence before the trigger',
    answer: { outcome: 'met', evidence: '2023-03-07' },
    field: 'evidence',
    message: /must be on or after the trigger date, 8 March 2023 \(suspect arrested\)/,
  },
  {
    name: 'evidence in the future',
    answer: { outcome: 'met', evidence: '2099-01-01' },
    field: 'evidence',
    message: /must be today or in the past/,
  },
  {
    name: 'a dated record marked not evidenced',
    answer: { outcome: 'not_evidenced', evidence: '2023-03-10' },
    field: 'evidence',
    message: /other than not evidenced/,
  },
  {
    name: 'a changed timeliness judgement without a reason',
    answer: { outcome: 'met', override: 'on_time' },
    field: 'reason',
    message: /Enter why you changed the timeliness judgement/,
  },
  {
    name: 'a timeliness judgement that is neither',
    answer: { outcome: 'met', override: 'soonish', reason: 'x' },
    field: 'override',
    message: /Select how timely/,
  },
  {
    name: 'a note over 2,000 characters',
    answer: { outcome: 'met', note: 'x'.repeat(2001) },
    field: 'note',
    message: /2,000 characters or fewer/,
  },
]

t.test('each answer rule is enforced on the server with an inline message, and nothing is saved', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  for (const rule of rules) {
    const res = await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, rule.answer), { headers: htmx })
    t.equal(res.statusCode, 400, `${rule.name}: 400`)
    t.match(
      res.body,
      new RegExp(
        `id="${fid(ARREST)}-${rule.field}-slot" class="app-error-slot" hx-swap-oob="true"><p id="${fid(ARREST)}-${rule.field}-error" class="govuk-error-message">`,
      ),
      `${rule.name}: message beside the field`,
    )
    t.match(res.body, rule.message, `${rule.name}: says what is wrong`)
    t.match(res.body, /^Not saved: /, `${rule.name}: the status line says it was not saved`)
    t.same(storedAnswers(db, burglaryId), [], `${rule.name}: nothing stored`)
  }
  t.equal(caseRow(db, burglaryId).status, 'not_started')
  const fixed = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'partially_met', note: 'Told by phone, no letter' }),
    { headers: htmx },
  )
  t.equal(fixed.statusCode, 200)
  t.match(
    fixed.body,
    new RegExp(`id="${fid(ARREST)}-note-slot" class="app-error-slot" hx-swap-oob="true"></div>`),
    'the message is cleared once fixed',
  )
})

t.test('a half-typed evidence date waits during autosave and is an error when the page is saved', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  const typing = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'met', evidenceParts: { day: '9', month: '', year: '' } }),
    { headers: htmx },
  )
  t.equal(typing.statusCode, 200)
  t.match(typing.body, /^Not saved yet: the date the file shows this was done is not finished/)
  t.notMatch(typing.body, /govuk-error-message/, 'no error while typing')
  t.same(storedAnswers(db, burglaryId), [])
  const saved = await auditor.post(
    `/cases/${burglaryId}`,
    answerFields(ARREST, { outcome: 'met', evidenceParts: { day: '9', month: '', year: '' } }),
  )
  t.equal(saved.statusCode, 400)
  t.match(saved.body, /must include a month and year/)
  t.same(storedAnswers(db, burglaryId), [])
})

t.test('the auditor may change the timeliness judgement, with a reason', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  const res = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, {
      outcome: 'met',
      evidence: '2023-03-20',
      override: 'on_time',
      reason: 'Contact log shows a call on the 14th',
    }),
    { headers: htmx },
  )
  t.equal(res.statusCode, 200)
  t.match(
    res.body,
    /On time \(changed by the auditor\)<\/strong> <span class="govuk-body-s">\(worked out: Late by 3 working days\)/,
  )
  t.match(storedAnswer(db, burglaryId, ARREST), {
    daysLate: 3,
    timelinessOverride: 'on_time',
    overrideReason: 'Contact log shows a call on the 14th',
  })
  const noLimit = 'R3.1@2023-03-06#1'
  const refused = await auditor.post(
    answerUrl(burglaryId, noLimit),
    answerFields(noLimit, { outcome: 'met', override: 'late', reason: 'x' }),
    { headers: htmx },
  )
  t.equal(refused.statusCode, 400, 'no judgement to change where there is no time limit')
})

t.test('two people saving the same answer: the second is refused with both values and a choice', async (t) => {
  const { app, auditor, burglaryId, db } = await reviewSetup(t)
  const secondTab = await signedIn(app, 'auditor@qaf.example')
  const first = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'met', evidence: '2023-03-10', note: 'Letter dated 10 March' }),
    { headers: htmx },
  )
  t.equal(first.statusCode, 200)

  // The second tab still has version 0 and sends a different answer.
  const clash = await secondTab.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'not_met', note: 'No record of contact', version: 0 }),
    { headers: htmx },
  )
  t.equal(clash.statusCode, 409)
  t.equal(clash.headers['hx-retarget'], `#${fid(ARREST)}-conflict`)
  t.match(clash.body, /This answer was changed by Ash Auditor at \d\d:\d\d/)
  t.match(clash.body, /data-qa="conflict-mine">Not met</)
  t.match(clash.body, /data-qa="conflict-theirs">Met</)
  t.match(clash.body, /data-qa="conflict-mine">No record of contact</)
  t.match(clash.body, /data-qa="conflict-theirs">Letter dated 10 March</)
  t.match(clash.body, /data-qa="conflict-theirs">10 March 2023</)
  t.match(clash.body, /data-qa="keep-theirs"/)
  t.match(clash.body, /data-qa="keep-mine"/)
  t.match(clash.body, /data-focus-after-swap/, 'focus goes to the choice')
  t.match(clash.body, /hx-swap-oob="innerHTML">Not saved: this answer was changed/)
  t.match(
    storedAnswer(db, burglaryId, ARREST),
    { outcome: 'met', note: 'Letter dated 10 March', version: 1 },
    'nothing overwritten',
  )

  const keepTheirs = await secondTab.post(
    answerUrl(burglaryId, ARREST),
    {
      ...answerFields(ARREST, { outcome: 'not_met', version: 0 }),
      [`${fid(ARREST)}-resolve`]: 'theirs',
      [`${fid(ARREST)}-theirs`]: '1',
    },
    { headers: htmx },
  )
  t.equal(keepTheirs.statusCode, 200)
  t.equal(keepTheirs.headers['hx-retarget'], `#item-${fid(ARREST)}`)
  t.match(keepTheirs.body, /value="met" checked/, 'the fields now show the saved answer')
  t.match(keepTheirs.body, /Letter dated 10 March<\/textarea>/)
  t.match(keepTheirs.body, new RegExp(`id="${fid(ARREST)}-version" name="${fid(ARREST)}-version" value="1"`))
  t.match(keepTheirs.body, /Kept the answer saved at/)
  t.equal(storedAnswer(db, burglaryId, ARREST)?.version, 1)

  const mine = await secondTab.post(
    answerUrl(burglaryId, ARREST),
    {
      ...answerFields(ARREST, { outcome: 'not_met', note: 'No record of contact', version: 0 }),
      [`${fid(ARREST)}-resolve`]: 'mine',
      [`${fid(ARREST)}-theirs`]: '1',
    },
    { headers: htmx },
  )
  t.equal(mine.statusCode, 200)
  t.match(mine.body, /^Saved at/)
  t.match(
    mine.body,
    new RegExp(`id="${fid(ARREST)}-conflict" class="app-review-item__conflict" hx-swap-oob="true"></div>`),
    'the choice is cleared',
  )
  t.match(storedAnswer(db, burglaryId, ARREST), { outcome: 'not_met', note: 'No record of contact', version: 2 })

  const stale = await auditor.post(
    answerUrl(burglaryId, ARREST),
    {
      ...answerFields(ARREST, { outcome: 'met', version: 1 }),
      [`${fid(ARREST)}-resolve`]: 'mine',
      [`${fid(ARREST)}-theirs`]: '1',
    },
    { headers: htmx },
  )
  t.equal(stale.statusCode, 409, 'overwriting needs the version that was shown, not any old one')
  t.equal(storedAnswer(db, burglaryId, ARREST)?.outcome, 'not_met')

  const garbled = await auditor.post(
    answerUrl(burglaryId, ARREST),
    { ...answerFields(ARREST, { outcome: 'met' }), [`${fid(ARREST)}-version`]: 'seven' },
    { headers: htmx },
  )
  t.equal(garbled.statusCode, 409, 'a version that is not a number never overwrites')
})

t.test('without script, a clash on the whole-page save shows both values and a choice', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'met' }), { headers: htmx })
  const clash = await auditor.post(`/cases/${burglaryId}`, answerFields(ARREST, { outcome: 'not_met', version: 0 }))
  t.equal(clash.statusCode, 409)
  t.match(clash.body, new RegExp(`href="#${fid(ARREST)}-resolve">R6.2 Arrest: this answer was changed by someone else`))
  t.match(clash.body, new RegExp(`name="${fid(ARREST)}-resolve" type="radio" value="theirs"`))
  t.match(clash.body, new RegExp(`name="${fid(ARREST)}-theirs" value="1"`))
  t.equal(storedAnswer(db, burglaryId, ARREST)?.outcome, 'met')
  const resolved = await auditor.post(`/cases/${burglaryId}`, {
    ...answerFields(ARREST, { outcome: 'not_met', version: 0 }),
    [`${fid(ARREST)}-resolve`]: 'mine',
    [`${fid(ARREST)}-theirs`]: '1',
  })
  t.equal(resolved.statusCode, 303)
  t.match(storedAnswer(db, burglaryId, ARREST), { outcome: 'not_met', version: 2 })
  const kept = await auditor.post(`/cases/${burglaryId}`, {
    ...answerFields(ARREST, { outcome: 'met', version: 0 }),
    [`${fid(ARREST)}-resolve`]: 'theirs',
    [`${fid(ARREST)}-theirs`]: '2',
  })
  t.equal(kept.statusCode, 303)
  t.equal(storedAnswer(db, burglaryId, ARREST)?.outcome, 'not_met', 'keeping theirs writes nothing')
})

t.test('every answer change goes into the hash-chained audit log with before and after', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'met' }), { headers: htmx })
  await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'partially_met', note: 'Phone call only', version: 1 }),
    { headers: htmx },
  )
  const saves = auditEntries(db, 'answer_saved')
  t.equal(saves.length, 2)
  t.equal(saves[0]?.actorEmail, 'auditor@qaf.example')
  t.equal(saves[0]?.before, null)
  t.match(saves[0]?.after, { case: burglaryId, key: ARREST, item: 'R6.2', outcome: 'met', version: 1 })
  t.match(saves[1]?.before, { outcome: 'met', note: null, version: 1 })
  t.match(saves[1]?.after, { outcome: 'partially_met', note: 'Phone call only', version: 2 })
  const started = auditEntries(db, 'case_updated')
  t.equal(started.length, 1, 'the case starting is logged once')
  t.match(started[0], {
    entity: 'sample_case',
    entityId: String(burglaryId),
    before: { status: 'not_started', facts: null },
    after: { status: 'in_progress' },
  })
  t.match(verifyAuditChain(db), { ok: true, entries: verifyAuditChain(db).entries })
  t.equal(verifyAuditChain(db).ok, true)
})
