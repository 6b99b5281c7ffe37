// One vocabulary on every screen: the words for outcomes and unusable reasons, and the limit on a
// reason, are the same on the auditor's case page, the scores drill-down and the replacement page.
import t from 'tap'
import { REASON_MAX } from '../../audits/vocabulary.ts'
import { signedIn } from '../fixtures/app.ts'
import { answerFields, answerUrl, htmx, reviewSetup, storedAnswer } from '../fixtures/review.ts'
import { rowsByQa, textOf } from '../fixtures/html.ts'

const KEY = 'R6.2@2023-03-08#1'

t.test('an outcome reads the same on the case page and the item drill-down', async (t) => {
  const { app, db, roundId, burglaryId, auditor } = await reviewSetup(t)
  const saved = await auditor.post(
    answerUrl(burglaryId, KEY),
    answerFields(KEY, { outcome: 'partially_met', note: 'Told by phone only' }),
    { headers: htmx },
  )
  t.equal(saved.statusCode, 200)
  const casePage = await auditor.get(`/cases/${burglaryId}`)
  t.match(casePage.body, /<label[^>]*>\s*Partially met\s*<\/label>/, 'the case page offers the outcome by its one name')
  t.notMatch(casePage.body, /Partly met/)

  const admin = await signedIn(app, 'admin@qaf.example')
  const agencyId = storedAnswer(db, burglaryId, KEY)?.agencyId
  const drill = await admin.get(`/scores/rounds/${roundId}/agencies/${agencyId}/items/R6.2`)
  t.equal(drill.statusCode, 200)
  const rows = rowsByQa(drill.body, 'case-row')
  t.equal(rows.length, 1)
  t.match(rows[0], /^CUM-2023-0001 Partially met/, 'the drill-down names it the same way')
})

t.test('unusable reasons and their limit are the same on the case page and the replacement page', async (t) => {
  const { app, roundId, burglaryId, othersId, auditor } = await reviewSetup(t)
  const reasons = ['Case file missing', 'Out of scope', 'Duplicate of another case', 'Other']
  const labelsOn = (html: string, name: string) =>
    [...html.matchAll(new RegExp(`name="${name}"[^>]*>\\s*<label[^>]*>([^<]+)</label>`, 'g'))].map((m) =>
      (m[1] as string).trim(),
    )
  t.same(labelsOn((await auditor.get(`/cases/${burglaryId}`)).body, 'unusableReason'), reasons)

  const tooLong = 'x'.repeat(REASON_MAX + 1)
  const refused = await auditor.post(`/cases/${burglaryId}/unusable`, {
    unusableReason: 'other',
    unusableDetails: tooLong,
  })
  t.equal(refused.statusCode, 400)
  t.match(textOf(refused.body), `Details must be ${REASON_MAX} characters or fewer`)
  const reported = await auditor.post(`/cases/${burglaryId}/unusable`, {
    unusableReason: 'duplicate',
    unusableDetails: 'x'.repeat(REASON_MAX),
  })
  t.equal(reported.statusCode, 303, 'a reason of exactly the limit is accepted')
  t.match(textOf((await auditor.get(`/cases/${burglaryId}`)).body), 'Duplicate of another case: xxx')

  const admin = await signedIn(app, 'admin@qaf.example')
  const replace = await admin.get(`/rounds/${roundId}/sample/${othersId}/replace`)
  t.equal(replace.statusCode, 200)
  t.same(labelsOn(replace.body, 'reasonKind'), reasons)
  const long = await admin.post(`/rounds/${roundId}/sample/${othersId}/replace`, {
    reasonKind: 'other',
    details: tooLong,
  })
  t.equal(long.statusCode, 400)
  t.match(textOf(long.body), `Details must be ${REASON_MAX} characters or fewer`)
})
