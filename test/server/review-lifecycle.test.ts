// A case's life in review: completing it (only when every obligation has an outcome), the
// moderator returning it with a comment, and reporting it unusable.
import t from 'tap'
import { fieldIdOf } from '../../audits/field-ids.ts'
import { byQa } from '../fixtures/html.ts'
import { signedIn, type Session } from '../fixtures/app.ts'
import {
  answerFields,
  answerUrl,
  auditEntries,
  caseRow,
  fid,
  formFieldsOf,
  htmx,
  reviewSetup,
  storedAnswer,
} from '../fixtures/review.ts'

const ARREST = 'R6.2@2023-03-08#1'

/** Gives every obligation on the page an outcome through the one form, as without script. */
async function answerEverything(s: Session, caseId: number): Promise<void> {
  const page = await s.get(`/cases/${caseId}`)
  const form = formFieldsOf(page.body)
  for (const name of Object.keys(form)) {
    if (name.endsWith('-version')) form[name.replace(/-version$/, '-outcome')] = 'not_met'
  }
  const res = await s.post(`/cases/${caseId}`, form)
  if (res.statusCode !== 303) throw new Error(`answering everything failed: ${res.statusCode}`)
}

t.test('a case cannot be completed while any obligation lacks an outcome', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'met' }), { headers: htmx })
  const page = await auditor.get(`/cases/${burglaryId}`)
  t.notMatch(page.body, /data-qa="complete-case"/, 'no complete button yet')
  t.match(page.body, /<strong>1 of 12<\/strong>/)
  t.match(page.body, /11 have none yet/)
  const res = await auditor.post(`/cases/${burglaryId}/complete`, {})
  t.equal(res.statusCode, 400)
  t.match(
    res.body,
    new RegExp(
      `govuk-error-summary[\\s\\S]*href="#${fieldIdOf('R2.2@2023-03-06#1')}-outcome">Record an outcome for every obligation before completing the case: 11 have none yet`,
    ),
  )
  t.equal(caseRow(db, burglaryId).status, 'in_progress')
})

t.test('completing a fully answered case makes it read-only for the auditor', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  await answerEverything(auditor, burglaryId)
  const ready = await auditor.get(`/cases/${burglaryId}`)
  t.match(ready.body, /<strong>12 of 12<\/strong>/)
  t.match(ready.body, /data-qa="complete-case"/)
  const res = await auditor.post(`/cases/${burglaryId}/complete`, {})
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/cases/${burglaryId}?done=complete`)
  const row = caseRow(db, burglaryId)
  t.equal(row.status, 'complete')
  t.ok(row.completedAt)
  t.match(auditEntries(db, 'case_completed')[0], { before: { status: 'in_progress' }, after: { status: 'complete' } })

  const page = await auditor.get(res.headers.location as string)
  t.match(page.body, /The case is complete/)
  t.match(page.body, /data-qa="case-complete"/)
  t.notMatch(page.body, /id="case-form"/, 'no form any more')
  t.match(page.body, /data-qa="answer-outcome">Not met</)

  const autosave = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'met', version: 1 }),
    { headers: htmx },
  )
  t.equal(autosave.statusCode, 409)
  t.match(autosave.body, /This case is complete, so it can no longer be changed/)
  const plain = await auditor.post(`/cases/${burglaryId}`, answerFields(ARREST, { outcome: 'met', version: 1 }))
  t.equal(plain.statusCode, 409)
  t.match(plain.body, /data-qa="case-locked"/)
  t.equal(
    (await auditor.post(`/cases/${burglaryId}/facts`, { offenceGroup: 'theft' }, { headers: htmx })).statusCode,
    409,
  )
  t.equal((await auditor.post(`/cases/${burglaryId}/complete`, {})).statusCode, 409)
  t.equal((await auditor.post(`/cases/${burglaryId}/unusable`, { unusableReason: 'duplicate' })).statusCode, 409)
  t.equal(storedAnswer(db, burglaryId, ARREST)?.outcome, 'not_met')
})

t.test('a moderator returns a complete case with a comment, and the auditor can edit again', async (t) => {
  const { app, auditor, burglaryId, db } = await reviewSetup(t)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const early = await moderator.post(`/cases/${burglaryId}/return`, { returnComment: 'Too soon' })
  t.equal(early.statusCode, 409, 'only a complete case can be returned')
  t.match(early.body, /Only a complete case can be returned/)

  await answerEverything(auditor, burglaryId)
  await auditor.post(`/cases/${burglaryId}/complete`, {})
  t.notMatch((await auditor.get(`/cases/${burglaryId}`)).body, /data-qa="return-form"/, 'auditors do not return cases')
  t.equal((await auditor.post(`/cases/${burglaryId}/return`, { returnComment: 'x' })).statusCode, 404)

  const modPage = await moderator.get(`/cases/${burglaryId}`)
  t.match(modPage.body, /data-qa="return-form"/)
  const empty = await moderator.post(`/cases/${burglaryId}/return`, { returnComment: '   ' })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, /href="#returnComment">Enter what the auditor needs to look at again/)
  const long = await moderator.post(`/cases/${burglaryId}/return`, { returnComment: 'x'.repeat(2001) })
  t.equal(long.statusCode, 400)
  t.equal(caseRow(db, burglaryId).status, 'complete')

  const returned = await moderator.post(`/cases/${burglaryId}/return`, {
    returnComment: 'R6.2: the call log shows contact on 9 March; check the outcome.',
  })
  t.equal(returned.statusCode, 303)
  t.match(caseRow(db, burglaryId), {
    status: 'returned',
    returnComment: 'R6.2: the call log shows contact on 9 March; check the outcome.',
    completedAt: null,
  })
  t.match(auditEntries(db, 'case_returned')[0], {
    actorEmail: 'moderator@qaf.example',
    before: { status: 'complete' },
    after: { status: 'returned' },
  })

  const page = await auditor.get(`/cases/${burglaryId}`)
  t.match(
    page.body,
    /data-qa="return-comment"[\s\S]*Returned by a moderator[\s\S]*the call log shows contact on 9 March/,
  )
  t.match(page.body, /id="case-form"/, 'editable again')
  const worklist = await auditor.get('/worklist')
  t.match(worklist.body, /govuk-tag--orange">Returned</)

  const edit = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'met', evidence: '2023-03-09', version: 1 }),
    { headers: htmx },
  )
  t.equal(edit.statusCode, 200)
  t.equal(caseRow(db, burglaryId).status, 'in_progress', 'editing takes a returned case back into progress')
  t.match(
    (await auditor.get(`/cases/${burglaryId}`)).body,
    /the call log shows contact/,
    'the comment stays until the case is completed again',
  )
  await auditor.post(`/cases/${burglaryId}/complete`, {})
  t.match(caseRow(db, burglaryId), { status: 'complete', returnComment: null })
})

t.test('an auditor reports a case unusable with a reason, for the admin to replace', async (t) => {
  const { auditor, burglaryId, db } = await reviewSetup(t)
  const none = await auditor.post(`/cases/${burglaryId}/unusable`, { unusableReason: '' })
  t.equal(none.statusCode, 400)
  t.match(none.body, /href="#unusableReason">Select why the case cannot be audited/)
  t.match(byQa(none.body, 'unusable-details').attrs, { open: '' }, 'the form is open to fix')
  const other = await auditor.post(`/cases/${burglaryId}/unusable`, { unusableReason: 'other', unusableDetails: ' ' })
  t.equal(other.statusCode, 400)
  t.match(other.body, /href="#unusableDetails">Enter why the case cannot be audited/)
  const long = await auditor.post(`/cases/${burglaryId}/unusable`, {
    unusableReason: 'duplicate',
    unusableDetails: 'x'.repeat(501),
  })
  t.equal(long.statusCode, 400)
  t.equal(caseRow(db, burglaryId).status, 'not_started')

  const res = await auditor.post(`/cases/${burglaryId}/unusable`, {
    unusableReason: 'file_missing',
    unusableDetails: 'Archived off site, not retrievable',
  })
  t.equal(res.statusCode, 303)
  t.match(caseRow(db, burglaryId), {
    status: 'unusable',
    unusableReason: 'Case file missing: Archived off site, not retrievable',
  })
  t.match(auditEntries(db, 'case_reported_unusable')[0], {
    before: { status: 'not_started' },
    after: { status: 'unusable', unusableReason: 'Case file missing: Archived off site, not retrievable' },
  })
  const page = await auditor.get(res.headers.location as string)
  t.match(page.body, /reported as unusable/)
  t.match(page.body, /data-qa="unusable-reason"[\s\S]*Case file missing: Archived off site/)
  t.notMatch(page.body, /id="case-form"/)
  t.match((await auditor.get('/worklist')).body, /govuk-tag--red">Unusable</)
  const key = 'R3.1@2023-03-06#1'
  t.equal(
    (await auditor.post(answerUrl(burglaryId, key), answerFields(key, { outcome: 'met' }), { headers: htmx }))
      .statusCode,
    409,
  )
  t.equal((await auditor.get(`/cases/${burglaryId}`)).statusCode, 200, 'still readable')
})

t.test('the complete button appears as soon as the last outcome is autosaved', async (t) => {
  const { auditor, burglaryId } = await reviewSetup(t)
  const page = await auditor.get(`/cases/${burglaryId}`)
  const form = formFieldsOf(page.body)
  for (const name of Object.keys(form)) {
    if (name.endsWith('-version') && name !== `${fid(ARREST)}-version`)
      form[name.replace(/-version$/, '-outcome')] = 'met'
  }
  t.equal((await auditor.post(`/cases/${burglaryId}`, form)).statusCode, 303)
  const last = await auditor.post(answerUrl(burglaryId, ARREST), answerFields(ARREST, { outcome: 'met' }), {
    headers: htmx,
  })
  t.equal(last.statusCode, 200)
  t.match(
    last.body,
    /id="case-progress"[^>]*hx-swap-oob="true"[\s\S]*<strong>12 of 12<\/strong>[\s\S]*data-qa="complete-case"/,
  )
  const changed = await auditor.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'not_met', version: 1 }),
    { headers: htmx },
  )
  t.notMatch(changed.body, /id="case-progress"/, 'another outcome moves no count, so no recount')
})
