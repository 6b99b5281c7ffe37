// Case review: the case page shows what the domain core says applied, only to those allowed to
// see it, and the worklist lists each auditor's own cases.
import t from 'tap'
import { allWith, byId, byQa, textOf } from '../fixtures/html.ts'
import { applicableItems } from '../../audits/applicability.ts'
import { caseFactsSchema } from '../../audits/case-facts.ts'
import { formatDate } from '../../server/view-helpers.ts'
import { signedIn } from '../fixtures/app.ts'
import {
  addPopulationCase,
  allocateCase,
  answerFields,
  answerUrl,
  burglary,
  createRound,
  danglingAnchors,
  domesticAbuse,
  duplicateIds,
  fid,
  htmx,
  reviewSetup,
  setTimeLimitOverride,
  storedAnswers,
  type PopulationInput,
} from '../fixtures/review.ts'

function factsOf(p: PopulationInput) {
  const flags = Object.fromEntries(Object.entries(p.flags ?? {}).map(([k, v]) => [k, v === null ? null : v === 1]))
  return caseFactsSchema.parse({ reportedOn: p.reportedOn, offenceGroup: p.offenceGroup, ...flags, events: p.events })
}

/** The obligation keys the page offers, in page order. */
function keysOn(html: string): string[] {
  return [...html.matchAll(/data-qa="review-item" data-key="([^"]+)"/g)].map((m) =>
    (m[1] as string).replace(/&#39;/g, "'"),
  )
}

function itemHtml(html: string, key: string): string {
  const start = html.indexOf(`id="item-${fid(key)}"`)
  if (start < 0) throw new Error(`no item ${key}`)
  const next = html.indexOf('data-qa="review-item"', start + 40)
  return html.slice(start, next < 0 ? undefined : next)
}

t.test('adult burglary victim: the page shows exactly the obligations and due dates the core works out', async (t) => {
  const { auditor, burglaryId } = await reviewSetup(t)
  const res = await auditor.get(`/cases/${burglaryId}`)
  t.equal(res.statusCode, 200)
  const expected = applicableItems(factsOf(burglary))
  t.same(keysOn(res.body).sort(), expected.items.map((o) => o.key).sort(), 'the same obligations, no more and no fewer')
  for (const o of expected.items) {
    const item = itemHtml(res.body, o.key)
    if (o.dueDate) t.match(item, `Due by ${formatDate(o.dueDate)}`, `${o.key} shows its due date`)
    else t.notMatch(item, /Due by/, `${o.key} has no due date`)
  }
  t.match(itemHtml(res.body, 'R6.2@2023-03-08#1'), 'Due by 15 March 2023')
  t.match(itemHtml(res.body, 'R4.2@2023-03-06#1'), 'Due by 8 March 2023')
  t.match(res.body, /Enhanced Rights when the crime was reported: no/)
  t.notMatch(res.body, /data-key="R2\.1@/, 'no choice of interviewer gender for a burglary')
  t.match(res.body, /Do not enter names or contact details/, 'notes carry the warning')
  t.same(duplicateIds(res.body), [], 'every id is used once')
  t.same(danglingAnchors(res.body), [])
  t.equal((res.body.match(/<h1/g) ?? []).length, 1, 'one h1')
  t.notMatch(res.body, /<script(?![^>]*src=)/, 'no inline script')
  t.notMatch(res.body, /\sstyle="/, 'no inline style')
  t.match(
    res.body,
    /<legend class="govuk-fieldset__legend govuk-fieldset__legend--m app-review-item__legend">[\s\S]*?Was the victim told of the arrest, with an explanation/,
    'the plain question is the legend',
  )
})

t.test('domestic abuse victim: enhanced, with the reason, 1-day limits and consent', async (t) => {
  const { auditor, domesticAbuseId } = await reviewSetup(t)
  const res = await auditor.get(`/cases/${domesticAbuseId}`)
  const expected = applicableItems(factsOf(domesticAbuse))
  t.same(keysOn(res.body).sort(), expected.items.map((o) => o.key).sort())
  t.match(res.body, /Enhanced Rights when the crime was reported: yes/)
  t.match(res.body, /data-qa="enhanced-reasons">\s*<li>Victim of domestic abuse<\/li>/)
  t.match(itemHtml(res.body, 'R6.2@2022-06-01#1'), 'Due by 6 June 2022', 'one working day, over the jubilee holidays')
  t.match(itemHtml(res.body, 'R4.2@2022-06-01#1'), 'Due by 7 June 2022')
  t.match(itemHtml(res.body, 'R4.2@2022-06-01#1'), /Needs the victim&#39;s consent/)
  t.ok(keysOn(res.body).includes('R2.1@2022-06-01#1'), 'offered a choice of interviewer gender')
})

t.test('local time limits decide the due dates; the trigger date, not the round, decides the edition', async (t) => {
  const { app, db } = await reviewSetup(t)
  const roundId = createRound(db, { name: 'Local limits', edition: '2020' })
  setTimeLimitOverride(db, roundId, 'R6.2', 3, null)
  setTimeLimitOverride(db, roundId, 'NOT-AN-ITEM', 3, null)
  const caseId = allocateCase(db, roundId, addPopulationCase(db, roundId, burglary))
  const auditor = await signedIn(app, 'auditor@qaf.example')
  const res = await auditor.get(`/cases/${caseId}`)
  t.equal(res.statusCode, 200, 'a bad override row does not break the page')
  t.match(itemHtml(res.body, 'R6.2@2023-03-08#1'), 'Due by 13 March 2023', 'Wed 8 March + 3 working days')

  const old = createRound(db, { name: 'Old Code', edition: '2015' })
  const oldCase = allocateCase(db, old, addPopulationCase(db, old, burglary))
  const page = await auditor.get(`/cases/${oldCase}`)
  // Reference §1: a 2023 case owes only 2020 duties, whatever edition heads the round's report.
  t.ok(
    keysOn(page.body).every((k) => k.startsWith('R')),
    'a 2023 case in a 2015-headed round is checked against the 2020 Code',
  )
  t.match(page.body, /data-qa="case-edition">2020 Code</)
  t.match(page.body, /Enhanced Rights when the crime was reported: no/)
})

t.test('imported facts that do not read cleanly leave gaps to fill, not an error', async (t) => {
  const { app, db } = await reviewSetup(t)
  const roundId = createRound(db)
  const caseId = allocateCase(
    db,
    roundId,
    addPopulationCase(db, roundId, {
      ...burglary,
      caseRef: 'ODD-1',
      offenceGroup: 'unheard_of',
      events: [{ type: 'teleported', date: '2023-03-07' }],
    }),
  )
  const auditor = await signedIn(app, 'auditor@qaf.example')
  const res = await auditor.get(`/cases/${caseId}`)
  t.equal(res.statusCode, 200)
  t.match(res.body, /Complete the case facts above to see which entitlements applied/)
  t.same(keysOn(res.body), [])
})

t.test('an auditor cannot reach a case allocated to someone else, by any route', async (t) => {
  const { auditor, othersId, db } = await reviewSetup(t)
  const key = 'R6.2@2023-03-08#1'
  t.equal((await auditor.get(`/cases/${othersId}`)).statusCode, 404, 'page')
  t.equal((await auditor.get(`/cases/${othersId}`, htmx)).statusCode, 404, 'fragment')
  t.equal(
    (await auditor.post(answerUrl(othersId, key), answerFields(key, { outcome: 'met' }), { headers: htmx })).statusCode,
    404,
    'autosave',
  )
  t.equal(
    (await auditor.post(answerUrl(othersId, key), answerFields(key, { outcome: 'met' }))).statusCode,
    404,
    'plain answer post',
  )
  t.equal(
    (await auditor.post(`/cases/${othersId}`, answerFields(key, { outcome: 'met' }))).statusCode,
    404,
    'whole form',
  )
  t.equal(
    (await auditor.post(`/cases/${othersId}/facts`, { offenceGroup: 'theft' }, { headers: htmx })).statusCode,
    404,
    'facts',
  )
  t.equal((await auditor.post(`/cases/${othersId}/complete`, {})).statusCode, 404, 'complete')
  t.equal(
    (await auditor.post(`/cases/${othersId}/unusable`, { unusableReason: 'duplicate' })).statusCode,
    404,
    'unusable',
  )
  t.equal((await auditor.post(`/cases/${othersId}/return`, { returnComment: 'x' })).statusCode, 404, 'return')
  t.equal((await auditor.get('/cases/999999')).statusCode, 404, 'a case that does not exist looks the same')
  t.equal((await auditor.get('/cases/not-a-number')).statusCode, 404)
  t.same(storedAnswers(db, othersId), [], 'nothing was written')
})

t.test('agency, viewer and advocate roles cannot see case pages or answers not allocated to them', async (t) => {
  const { app, burglaryId, auditor } = await reviewSetup(t)
  const key = 'R6.2@2023-03-08#1'
  await auditor.post(answerUrl(burglaryId, key), answerFields(key, { outcome: 'met', note: 'Secret detail' }), {
    headers: htmx,
  })
  for (const email of ['police@qaf.example', 'cps@qaf.example', 'viewer@qaf.example', 'advocate@qaf.example']) {
    const s = await signedIn(app, email)
    const page = await s.get(`/cases/${burglaryId}`)
    t.equal(page.statusCode, 404, `${email}: case page`)
    t.notMatch(page.body, /Secret detail/)
    t.equal((await s.get(`/cases/${burglaryId}`, htmx)).statusCode, 404, `${email}: fragment`)
    t.equal(
      (
        await s.post(answerUrl(burglaryId, key), answerFields(key, { outcome: 'not_met', version: 1 }), {
          headers: htmx,
        })
      ).statusCode,
      404,
      `${email}: autosave`,
    )
  }
  for (const email of ['police@qaf.example', 'viewer@qaf.example', 'admin@qaf.example']) {
    t.equal((await (await signedIn(app, email)).get('/worklist')).statusCode, 404, `${email}: no worklist`)
  }
  // The advocate's worklist holds only dip-sample cases allocated to them (test/server/commissioned.test.ts).
  const advocateList = await (await signedIn(app, 'advocate@qaf.example')).get('/worklist')
  t.equal(advocateList.statusCode, 200)
  t.notMatch(advocateList.body, /CUM-2023-0001/, "the advocate's worklist has no auditor's case")
})

t.test('moderators and admins read any case; only the allocated reviewer can change it', async (t) => {
  const { app, burglaryId, auditor, db } = await reviewSetup(t)
  const key = 'R6.2@2023-03-08#1'
  await auditor.post(
    answerUrl(burglaryId, key),
    answerFields(key, { outcome: 'partially_met', note: 'Told by phone only' }),
    { headers: htmx },
  )
  for (const email of ['moderator@qaf.example', 'admin@qaf.example']) {
    const s = await signedIn(app, email)
    const page = await s.get(`/cases/${burglaryId}`)
    t.equal(page.statusCode, 200, `${email} reads the case`)
    t.match(page.body, /data-qa="read-only"/)
    t.notMatch(page.body, /id="case-form"/, 'no form to fill in')
    t.match(itemHtml(page.body, key), /data-qa="answer-outcome">Partially met</)
    t.match(itemHtml(page.body, key), /Told by phone only/)
    const write = await s.post(answerUrl(burglaryId, key), answerFields(key, { outcome: 'met', version: 1 }), {
      headers: htmx,
    })
    t.equal(write.statusCode, 404, `${email} cannot write to a case that is not theirs`)
  }
  t.equal(storedAnswers(db, burglaryId)[0]?.outcome, 'partially_met')
})

t.test('a case in a round not yet in fieldwork is hidden from its auditor; a published one is read-only', async (t) => {
  const { app, db } = await reviewSetup(t)
  const sampling = createRound(db, { status: 'sampling' })
  const hidden = allocateCase(db, sampling, addPopulationCase(db, sampling, burglary))
  const published = createRound(db, { status: 'published' })
  const closed = allocateCase(db, published, addPopulationCase(db, published, burglary), { status: 'in_progress' })
  const auditor = await signedIn(app, 'auditor@qaf.example')
  t.equal((await auditor.get(`/cases/${hidden}`)).statusCode, 404)
  const page = await auditor.get(`/cases/${closed}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /its round is not open for review/)
  const key = 'R6.2@2023-03-08#1'
  const res = await auditor.post(answerUrl(closed, key), answerFields(key, { outcome: 'met' }), { headers: htmx })
  t.equal(res.statusCode, 409)
  t.match(res.body, /not open for review/)
  t.same(storedAnswers(db, closed), [])
})

t.test('htmx gets fragments, a normal request the full page', async (t) => {
  const { auditor, burglaryId } = await reviewSetup(t)
  const page = await auditor.get(`/cases/${burglaryId}?group=right`)
  t.match(page.body, /<!DOCTYPE html>/)
  t.equal(textOf(byQa(page.body, 'case-heading').inner), 'Case CUM-2023-0001')
  const fragment = await auditor.get(`/cases/${burglaryId}?group=right`, htmx)
  t.equal(fragment.statusCode, 200)
  t.notMatch(fragment.body, /<html|<h1/)
  t.match(fragment.body, /id="enhanced-eligibility"/)
  t.ok(
    allWith(fragment.body, 'class', 'govuk-heading-m').some(
      (h) => textOf(h.inner) === 'Right 6: Information about the investigation and prosecution',
    ),
    'grouped by Right',
  )
  const byTheme = await auditor.get(`/cases/${burglaryId}`, htmx)
  t.match(byTheme.body, /id="communication_information-heading">Communication and Information</)
  t.equal(String(fragment.headers.vary), 'HX-Request')

  const boosted = await auditor.get(`/cases/${burglaryId}`, { ...htmx, 'hx-boosted': 'true' })
  t.match(boosted.body, /<!DOCTYPE html>/, 'a boosted link needs the page')
})

t.test('worklist: own cases in open rounds, with progress, filter and sort', async (t) => {
  const { app, db, auditor, burglaryId, domesticAbuseId } = await reviewSetup(t)
  const draft = createRound(db, { status: 'draft', name: 'Not yet' })
  allocateCase(db, draft, addPopulationCase(db, draft, { ...burglary, caseRef: 'DRAFT-1' }))
  const key = 'R6.2@2023-03-08#1'
  await auditor.post(answerUrl(burglaryId, key), answerFields(key, { outcome: 'met' }), { headers: htmx })

  const page = await auditor.get('/worklist')
  t.equal(page.statusCode, 200)
  t.match(page.body, /CUM-2023-0001/)
  t.match(page.body, /CUM-2022-0042/)
  t.notMatch(page.body, /CUM-2023-0777/, "another auditor's case is not listed")
  t.notMatch(page.body, /DRAFT-1/, 'a case in a round not open for review is not listed')
  t.match(page.body, /data-qa="worklist-count">2 cases</)
  const burglaryCount = applicableItems(factsOf(burglary)).items.length
  t.match(
    page.body,
    new RegExp(`href="/cases/${burglaryId}">CUM-2023-0001[\\s\\S]*?In progress[\\s\\S]*?1 / ${burglaryCount}<`),
    'answered / applicable',
  )
  t.match(
    page.body,
    new RegExp(`href="/cases/${domesticAbuseId}">CUM-2022-0042[\\s\\S]*?Not started[\\s\\S]*?0 / \\d+<`),
  )
  t.ok(page.body.indexOf('CUM-2023-0001') < page.body.indexOf('CUM-2022-0042'), 'cases under way come first')

  const filtered = await auditor.get('/worklist?status=not_started', htmx)
  t.notMatch(filtered.body, /<html/, 'htmx gets just the results')
  t.match(filtered.body, /CUM-2022-0042/)
  t.notMatch(filtered.body, /CUM-2023-0001/)
  t.equal(textOf(byId(filtered.body, 'worklist-count').inner), '1 case')

  const byRef = await auditor.get('/worklist?sort=ref')
  t.ok(byRef.body.indexOf('CUM-2022-0042') < byRef.body.indexOf('CUM-2023-0001'))
  const byProgress = await auditor.get('/worklist?sort=progress')
  t.ok(byProgress.body.indexOf('CUM-2022-0042') < byProgress.body.indexOf('CUM-2023-0001'), 'least answered first')
  const nonsense = await auditor.get('/worklist?status=bogus&sort=sideways')
  t.equal(nonsense.statusCode, 200, 'an odd filter falls back to the defaults')

  const moderator = await signedIn(app, 'moderator@qaf.example')
  t.match((await moderator.get('/worklist')).body, /There are no cases here yet/)
  const everyone = await moderator.get('/worklist?show=everyone')
  t.match(everyone.body, /CUM-2023-0777/)
  t.match(everyone.body, /Sam Second-Auditor/)
  t.notMatch(
    (await auditor.get('/worklist?show=everyone')).body,
    /CUM-2023-0777/,
    'only moderators look across auditors',
  )
})
