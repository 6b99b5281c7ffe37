// A case whose events straddle 1 April 2021, through the pages: obligations from both Code
// editions with their own due dates (reference/victims-code.md §1 and rows V15-P09, R6.7), the
// answers saved through each item's own form rolling up under their own items in the scores, and
// an answer left without its obligation listed for the auditor rather than dropped.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { answers } from '../../schema/index.ts'
import { signedIn } from '../fixtures/app.ts'
import {
  addPopulationCase,
  agencyIdOf,
  allocateCase,
  answerFields,
  htmx,
  reviewSetup,
  storedAnswer,
} from '../fixtures/review.ts'

const straddling = {
  caseRef: 'CUM-2021-0315',
  reportedOn: '2021-03-15',
  offenceGroup: 'violence',
  flags: {
    under18: 0,
    vulnerable: 0,
    intimidated: 0,
    persistentlyTargeted: 0,
    bereaved: 0,
    domesticAbuse: 0,
    hateCrime: 0,
  },
  agencyRef: 'Constabulary',
  events: [
    { type: 'bailed', date: '2021-03-30' },
    { type: 'charged', date: '2021-04-06' },
  ],
} as const

function itemHtml(page: string, key: string): string {
  const start = page.indexOf(`data-key="${key}"`)
  if (start < 0) return ''
  const next = page.indexOf('data-qa="review-item"', start + 1)
  return page.slice(start, next < 0 ? undefined : next)
}

t.test(
  'a case across 1 April 2021: both editions on the page, answers under their own items in the scores',
  async (t) => {
    const { app, db, roundId, auditor } = await reviewSetup(t)
    const caseId = allocateCase(
      db,
      roundId,
      addPopulationCase(db, roundId, { ...straddling, events: [...straddling.events] }),
    )
    const page = await auditor.get(`/cases/${caseId}`)
    t.equal(page.statusCode, 200)
    t.match(page.body, /data-qa="case-edition">2015 Code and 2020 Code</)

    const bail = itemHtml(page.body, 'V15-P09@2021-03-30#1')
    t.match(bail, /\(2015 Code\)/, 'bail before the change: the 2015 Code')
    t.match(bail, /Due by 8 April 2021/, 'Tue 30 March + 5 working days over Easter')
    t.notMatch(bail, /data-qa="limit-unconfirmed"/, 'row V15-P09 limit is confirmed')
    const charge = itemHtml(page.body, 'R6.7@2021-04-06#1')
    t.match(charge, /\(2020 Code\)/, 'charge after the change: the 2020 Code')
    t.match(charge, /Due by 13 April 2021/)
    t.match(
      charge,
      /data-qa="limit-unconfirmed">\(time limit not confirmed/,
      'row R6.7: limit 5/1(U), said beside the due date',
    )
    t.equal(itemHtml(page.body, 'V15-P10@2021-04-06#1'), '', 'no 2015 charge duty after 31 March 2021')

    // Follow each item's own autosave address, as the page gives it.
    for (const [key, evidence] of [
      ['V15-P09@2021-03-30#1', '2021-04-07'],
      ['R6.7@2021-04-06#1', '2021-04-20'],
    ] as const) {
      const action = /hx-post="([^"]+)"/.exec(itemHtml(page.body, key))?.[1]
      t.ok(action, `${key} has its own form address`)
      const res = await auditor.post(action as string, answerFields(key, { outcome: 'met', evidence }), {
        headers: htmx,
      })
      t.equal(res.statusCode, 200, `${key} saved`)
    }
    t.match(storedAnswer(db, caseId, 'V15-P09@2021-03-30#1'), { itemId: 'V15-P09', dueDate: '2021-04-08', daysLate: 0 })
    t.match(storedAnswer(db, caseId, 'R6.7@2021-04-06#1'), { itemId: 'R6.7', dueDate: '2021-04-13', daysLate: 5 })

    // An answer saved against an obligation the facts no longer give, as before this change
    // (the 2015 charge duty judged under a round-wide 2015 edition).
    db.insert(answers)
      .values({
        sampleCaseId: caseId,
        obligationKey: 'V15-P10@2021-04-06#1',
        itemId: 'V15-P10',
        agencyId: agencyIdOf(db, 'Constabulary'),
        outcome: 'not_met',
        updatedAt: new Date().toISOString(),
      })
      .run()
    const again = await auditor.get(`/cases/${caseId}`)
    t.match(
      again.body,
      /data-qa="orphaned-answers"[\s\S]*1 saved answer no longer matches an obligation[\s\S]*V15-P10 Charge, triggered 6 April 2021: Not met/,
    )

    const admin = await signedIn(app, 'admin@qaf.example')
    const police = agencyIdOf(db, 'Constabulary')
    const scores = await admin.get(`/scores/rounds/${roundId}/agencies/${police}`)
    t.equal(scores.statusCode, 200)
    const row = (id: string) =>
      new RegExp(`id="item-${id.replace(/\./g, '-')}"[\\s\\S]*?</tr>`).exec(scores.body)?.[0] ?? ''
    t.match(row('V15-P09'), /V15-P09 Police bail/, 'the 2015 answer counts under its 2015 item in a 2020-headed round')
    t.match(row('V15-P09'), /100/, 'met on time')
    t.match(row('R6.7'), /R6\.7 Charge/)
    t.match(row('R6.7'), /100/, 'met')
    t.equal(row('V15-P01'), '', 'unanswered 2015 items are not listed in a 2020-headed round')
    const drill = await admin.get(`/scores/rounds/${roundId}/agencies/${police}/items/V15-P09`)
    t.equal(drill.statusCode, 200, "a 2015 item's case answers open in a 2020-headed round")
    t.match(drill.body, /CUM-2021-0315/)
  },
)

t.test('the recorded enhanced flag against the facts: on the case page and in the scores (reference §2)', async (t) => {
  const { app, db, roundId, auditor } = await reviewSetup(t)
  const caseId = allocateCase(
    db,
    roundId,
    addPopulationCase(db, roundId, { ...straddling, caseRef: 'CUM-2022-0900', events: [] }),
    {
      facts: { reportedOn: '2022-01-10', offenceGroup: 'violence', domesticAbuse: true, recordedEnhanced: false },
    },
  )
  const page = await auditor.get(`/cases/${caseId}`)
  t.match(
    page.body,
    /data-qa="flag-check"><strong class="govuk-tag govuk-tag--red">Mismatch<\/strong> Entitled to enhanced services, but the agency did not flag the victim as enhanced/,
  )
  const admin = await signedIn(app, 'admin@qaf.example')
  const scores = await admin.get(`/scores/rounds/${roundId}`)
  t.match(
    scores.body,
    /data-qa="flag-mismatches">Of 1 case whose file shows whether the agency flagged the victim as enhanced, <strong>1<\/strong> was entitled to enhanced services but not flagged/,
  )
})

t.test(
  'the new case facts saved through the facts form: a business victim, then a flagged trafficking victim',
  async (t) => {
    const { db, roundId, auditor } = await reviewSetup(t)
    const caseId = allocateCase(
      db,
      roundId,
      addPopulationCase(db, roundId, {
        ...straddling,
        caseRef: 'CUM-2022-0901',
        reportedOn: '2022-02-07',
        events: [{ type: 'suspect_arrested', date: '2022-02-07' }],
      }),
    )
    const page = await auditor.get(`/cases/${caseId}`)
    const action = /id="case-facts"[^>]*hx-post="([^"]+)"/.exec(page.body)?.[1]
    t.equal(action, `/cases/${caseId}/facts`, 'the facts form says where it saves')
    for (const field of [
      'victimType',
      'ageUnclear',
      'seriousOffence',
      'mentalHealthDisposal',
      'recordedEnhanced',
      'cpsSpecifiedCase',
    ]) {
      t.match(page.body, new RegExp(`name="${field}"`), `the form asks ${field}`)
    }
    const form = (changes: Record<string, string>) => ({
      'reportedOn-day': '7',
      'reportedOn-month': '2',
      'reportedOn-year': '2022',
      offenceGroup: 'violence',
      under18: 'no',
      vulnerable: 'no',
      intimidated: 'no',
      persistentlyTargeted: 'no',
      bereaved: 'no',
      domesticAbuse: 'no',
      hateCrime: 'no',
      recordedEnhanced: 'unknown',
      cpsSpecifiedCase: 'unknown',
      specifiedOffence: 'unknown',
      victimType: 'individual',
      ageUnclear: 'no',
      seriousOffence: 'none',
      mentalHealthDisposal: '',
      sentenceMonths: '',
      'events-0-type': 'suspect_arrested',
      'events-0-date-day': '7',
      'events-0-date-month': '2',
      'events-0-date-year': '2022',
      'events-0-agency': '',
      ...changes,
    })
    const business = await auditor.post(action as string, form({ victimType: 'business' }), { headers: htmx })
    t.equal(business.statusCode, 200)
    t.match(business.body, /A business: businesses have their own entitlements and no enhanced tier/)
    t.match(business.body, /data-key="R6\.2@2022-02-07#1"[\s\S]*?Due by 14 February 2022/, 'standard 5 working days')

    const trafficked = await auditor.post(
      action as string,
      form({ seriousOffence: 'trafficking', recordedEnhanced: 'no' }),
      { headers: htmx },
    )
    t.equal(trafficked.statusCode, 200)
    t.match(trafficked.body, /<li>Human trafficking complainant \(intimidated automatically\)<\/li>/)
    t.match(trafficked.body, /data-key="R6\.2@2022-02-07#1"[\s\S]*?Due by 8 February 2022/, 'enhanced: 1 working day')
    t.match(
      trafficked.body,
      /Mismatch<\/strong> Entitled to enhanced services, but the agency did not flag the victim as enhanced/,
    )
    const saved = JSON.parse(
      String(db.all<{ facts: string }>(sql`SELECT facts FROM sample_cases WHERE id = ${caseId}`)[0]?.facts),
    )
    t.match(saved, {
      seriousOffence: 'trafficking',
      recordedEnhanced: false,
      victimType: 'individual',
      ageUnclear: false,
      mentalHealthDisposal: null,
    })
  },
)
