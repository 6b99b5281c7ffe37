// Obligations judged under the Code in force on each trigger date, and enhanced eligibility,
// checked row by row against reference/victims-code.md (cited as §section and row ID).
import t from 'tap'
import { applicableItems, isVcsEligible, vcsRoute } from '../../audits/applicability.ts'
import {
  AGE_UNCLEAR_REASON,
  BUSINESS_REASON,
  NO_CODE_REASON,
  enhancedEligibility,
  enhancedFlagCheck,
  tallyFlagChecks,
} from '../../audits/enhanced-eligibility.ts'
import type { Obligation } from '../../audits/applicability.ts'
import { caseFactsSchema, seriousOffenceKeys } from '../../audits/case-facts.ts'
import type { CaseFacts, CaseFactsInput } from '../../audits/case-facts.ts'
import { notEnhanced as noEnhancedGroup } from '../fixtures/case-facts.ts'

function facts(input: CaseFactsInput): CaseFacts {
  return caseFactsSchema.parse(input)
}

// An adult in no enhanced group, and not a victim of the most serious crime.
const notEnhanced = { ...noEnhancedGroup, seriousOffence: 'none' } as const

function find(items: Obligation[], id: string, date?: string): Obligation | undefined {
  return items.find((o) => o.item.id === id && (date === undefined || o.triggerDate === date))
}

/** [id, edition, trigger date, due date] for a compact comparison. */
function rows(items: Obligation[], ids: string[]): Array<[string, string, string, string | null]> {
  return items.filter((o) => ids.includes(o.item.id)).map((o) => [o.item.id, o.edition, o.triggerDate, o.dueDate])
}

t.test(
  'sentence before 1 April 2021, release and parole after (§1 editions; rows V15-N01, V15-W03, R11.3, R11.4)',
  async (t) => {
    const result = applicableItems(
      facts({
        reportedOn: '2019-06-03',
        offenceGroup: 'violence',
        ...notEnhanced,
        sentenceMonths: 48,
        specifiedOffence: true,
        events: [
          { type: 'sentence', date: '2020-06-01' }, // Monday
          { type: 'release_considered', date: '2024-01-08' },
          { type: 'offender_release', date: '2024-03-04' },
          { type: 'parole_review', date: '2024-01-15' },
        ],
      }),
    )
    t.same(result.editions, ['2015', '2020'], 'one case, both editions')
    t.same(rows(result.items, ['V15-N01', 'V15-W03', 'V15-N02', 'R11.1', 'R9.2', 'R11.3', 'R11.4', 'V15-B01']), [
      ['V15-W03', '2015', '2020-06-01', '2020-06-02'], // W03: 1 WD of receipt
      ['V15-N01', '2015', '2020-06-01', '2020-07-27'], // N01: 40 WD of sentence, not R11.1's 10
      ['R11.4', '2020', '2024-01-15', null], // parole review under the 2020 Code
      ['R11.3', '2020', '2024-03-04', null], // release news: R11.3, limit U
    ])
    t.notOk(find(result.items, 'R11.1'), 'no 2020 referral duty for a 2020 sentence')
    t.notOk(
      find(result.items, 'V15-N02'),
      'licence-condition views in 2024 fall under the 2020 Code, which has no such row',
    )
    t.equal(find(result.items, 'R11.3')?.limitUnconfirmed, true, 'R11.3 limit is U in §3')
  },
)

t.test('reported before 1 April 2021, charge and bail after (§1; rows V15-P09, R6.5, R6.7, R8.3)', async (t) => {
  const result = applicableItems(
    facts({
      reportedOn: '2021-03-15',
      offenceGroup: 'violence',
      ...notEnhanced,
      events: [
        { type: 'released_under_investigation', date: '2021-03-25' },
        { type: 'bailed', date: '2021-03-30' },
        { type: 'court_bail_decision', date: '2021-03-31' },
        { type: 'charged', date: '2021-04-06' },
        { type: 'bail_changed', date: '2021-04-12' },
        { type: 'court_bail_decision', date: '2021-05-04' },
      ],
    }),
  )
  t.same(rows(result.items, ['V15-P09', 'V15-P10', 'R6.5', 'R6.7', 'R8.3']), [
    // Tue 30 Mar + 5 WD over Good Friday and Easter Monday: the due date falls after the change,
    // but the duty arose under the 2015 Code.
    ['V15-P09', '2015', '2021-03-30', '2021-04-08'],
    ['R6.7', '2020', '2021-04-06', '2021-04-13'],
    ['R6.5', '2020', '2021-04-12', '2021-04-19'],
    ['R8.3', '2020', '2021-05-04', '2021-05-11'], // Mon 3 May is a bank holiday
  ])
  t.notOk(
    find(result.items, 'R6.5', '2021-03-25'),
    'release under investigation before April 2021: the 2015 Code has no such duty',
  )
  t.notOk(find(result.items, 'R8.3', '2021-03-31'), 'court bail decision before April 2021: no 2015 row')
  t.notOk(find(result.items, 'V15-P10'), 'the charge came under the 2020 Code')
  t.equal(find(result.items, 'V15-P01')?.edition, '2015', 'reporting duties follow the report date')
  t.equal(find(result.items, 'R6.7')?.limitUnconfirmed, true, 'R6.7 limit 5/1(U)')
  t.equal(find(result.items, 'V15-P09')?.limitUnconfirmed, false, 'V15-P09 limit confirmed')
})

t.test(
  'a trigger before 16 November 2015 gives no obligation and says why (§1: 2015 Code in force from 16 Nov 2015)',
  async (t) => {
    const result = applicableItems(
      facts({
        reportedOn: '2015-10-01',
        offenceGroup: 'theft',
        ...notEnhanced,
        events: [{ type: 'suspect_arrested', date: '2015-11-16' }],
      }),
    )
    t.same(
      result.items.map((o) => o.key),
      ['V15-P06@2015-11-16#1'],
    )
    t.same(result.outsideCode, [{ triggerEvent: 'reported', date: '2015-10-01', reason: NO_CODE_REASON }])
    t.same(enhancedEligibility(facts({ reportedOn: '2015-10-01', offenceGroup: 'sexual' })), {
      eligible: false,
      reasons: [NO_CODE_REASON],
      unknown: [],
      edition: null,
    })
  },
)

t.test('most serious crime: each offence makes the victim enhanced (§2 "Most serious crime" [S1])', async (t) => {
  const labels: Record<string, string> = {
    terrorism: 'Most serious crime: Terrorism',
    trafficking: 'Human trafficking complainant (intimidated automatically)',
    attempted_murder: 'Most serious crime: Attempted murder',
    kidnap_false_imprisonment: 'Most serious crime: Kidnap or false imprisonment',
    arson_endanger_life: 'Most serious crime: Arson with intent to endanger life',
    gbh_with_intent: 'Most serious crime: Wounding or grievous bodily harm with intent',
  }
  for (const offence of seriousOffenceKeys.filter((k) => k !== 'none')) {
    for (const [reportedOn, arrestItem] of [
      ['2019-03-04', 'V15-P06'],
      ['2023-03-06', 'R6.2'],
    ] as const) {
      const result = applicableItems(
        facts({
          reportedOn,
          offenceGroup: 'violence',
          ...notEnhanced,
          seriousOffence: offence,
          events: [{ type: 'suspect_arrested', date: reportedOn }],
        }),
      )
      t.same(result.enhanced.reasons, [labels[offence]], `${offence} ${reportedOn}`)
      t.equal(
        find(result.items, arrestItem)?.timeLimitDays,
        1,
        `${offence}: the enhanced 1-day limit (rows ${arrestItem} 5/1)`,
      )
    }
  }
  t.same(
    enhancedEligibility(facts({ reportedOn: '2023-03-06', offenceGroup: 'violence', ...notEnhanced })).reasons,
    [],
    'none of these: no reason',
  )
  t.ok(
    enhancedEligibility(facts({ reportedOn: '2023-03-06', offenceGroup: 'violence' })).unknown.includes(
      'Offence of the most serious crime',
    ),
  )
})

t.test('the sexual, domestic abuse, hate and bereaved groups still count (§2)', async (t) => {
  for (const [change, reason] of [
    [{ offenceGroup: 'sexual' }, 'Sexual offence complainant (intimidated automatically)'],
    [{ domesticAbuse: true }, 'Victim of domestic abuse'],
    [{ hateCrime: true }, 'Hate crime'],
    [{ bereaved: true }, 'Bereaved close relative'],
  ] as const) {
    const e = enhancedEligibility(
      facts({ reportedOn: '2022-01-10', offenceGroup: 'violence', ...notEnhanced, ...change }),
    )
    t.same(e.reasons, [reason])
    t.equal(e.edition, '2020')
  }
})

t.test('age unclear: presumed under 18 (§2 Vulnerable, P [S4])', async (t) => {
  const e = enhancedEligibility(
    facts({ reportedOn: '2022-01-10', offenceGroup: 'violence', ...notEnhanced, under18: null, ageUnclear: true }),
  )
  t.same(e.reasons, [AGE_UNCLEAR_REASON])
  t.notOk(
    e.unknown.includes('Under 18 at the time of the offence'),
    'an unclear age is not an unknown: the Code settles it',
  )
  t.equal(
    enhancedEligibility(
      facts({ reportedOn: '2022-01-10', offenceGroup: 'violence', ...notEnhanced, under18: true, ageUnclear: true }),
    ).reasons.length,
    1,
    'not counted twice',
  )
  const bad = caseFactsSchema.safeParse({
    reportedOn: '2022-01-10',
    offenceGroup: 'violence',
    under18: false,
    ageUnclear: true,
  })
  t.notOk(bad.success)
  t.match(bad.error?.issues[0], { path: ['ageUnclear'] })
})

t.test('a business victim: own entitlements, no enhanced tier (§1 "Unit of obligation"; §2)', async (t) => {
  const result = applicableItems(
    facts({
      reportedOn: '2023-03-06',
      offenceGroup: 'sexual',
      victimType: 'business',
      domesticAbuse: true,
      seriousOffence: 'arson_endanger_life',
      events: [
        { type: 'suspect_arrested', date: '2023-03-06' },
        { type: 'statement_taken', date: '2023-03-06' },
      ],
    }),
  )
  t.same(result.enhanced.reasons, [BUSINESS_REASON])
  t.equal(result.enhanced.eligible, false)
  t.equal(find(result.items, 'R6.2')?.timeLimitDays, 5, 'standard limit (row R6.2 5/1)')
  t.notOk(find(result.items, 'R2.1'), 'interviewer-gender choice is for a person')
  t.equal(find(result.items, 'R4.2')?.consentRequired, false, 'no explicit-consent group for a business')
})

t.test('trafficking complainants count as intimidated (§2 Intimidated: automatic)', async (t) => {
  const e = enhancedEligibility(
    facts({ reportedOn: '2020-02-03', offenceGroup: 'other', ...notEnhanced, seriousOffence: 'trafficking' }),
  )
  t.equal(e.eligible, true)
  t.match(e.reasons[0], /intimidated automatically/)
})

t.test(
  'Victim Contact Scheme routes by edition (rows V15-N01: hospital order; R11.1: Mental Health Act order)',
  async (t) => {
    const disposed = (mentalHealthDisposal: 'hospital_order' | 'other_order' | 'none', date: string) =>
      facts({
        reportedOn: '2019-01-07',
        offenceGroup: 'violence',
        ...notEnhanced,
        mentalHealthDisposal,
        events: [{ type: 'sentence', date }],
      })
    const hospital2020 = applicableItems(disposed('hospital_order', '2020-06-01'))
    t.equal(find(hospital2020.items, 'V15-N01')?.dueDate, '2020-07-27', 'hospital order in 2020: offer within 40 WD')
    const hospital2022 = applicableItems(disposed('hospital_order', '2022-06-06'))
    t.equal(find(hospital2022.items, 'R11.1')?.dueDate, '2022-06-20', 'hospital order in 2022: referral within 10 WD')
    t.notOk(
      find(applicableItems(disposed('other_order', '2020-06-01')).items, 'V15-N01'),
      'row V15-N01 names only hospital orders',
    )
    t.ok(
      find(applicableItems(disposed('other_order', '2022-06-06')).items, 'R11.1'),
      'row R11.1: any Mental Health Act order',
    )
    t.notOk(find(applicableItems(disposed('none', '2022-06-06')).items, 'R11.1'))
    t.equal(vcsRoute(disposed('hospital_order', '2022-06-06'), '2015'), 'Hospital order')
    t.equal(isVcsEligible(disposed('other_order', '2022-06-06')), true)
    t.equal(isVcsEligible(disposed('other_order', '2022-06-06'), '2015'), false)
  },
)

t.test('conditions the facts now express (rows V15-C03, R8.5, R7.1, R2 list)', async (t) => {
  const base = { reportedOn: '2019-01-07', offenceGroup: 'theft', ...notEnhanced } as const
  const dropped = (cpsSpecifiedCase: boolean | null) =>
    applicableItems(facts({ ...base, cpsSpecifiedCase, events: [{ type: 'cps_discontinued', date: '2019-05-06' }] }))
      .items
  t.ok(find(dropped(true), 'V15-C03'), 'C03: a specified case gets the meeting offer')
  t.notOk(find(dropped(false), 'V15-C03'))
  t.notOk(find(dropped(null), 'V15-C03'))

  const plea = (events: CaseFactsInput['events']) =>
    applicableItems(facts({ ...base, reportedOn: '2022-01-10', events })).items
  t.notOk(find(plea([{ type: 'not_guilty_plea', date: '2022-03-01' }]), 'R8.5'), 'R8.5: not every not-guilty plea')
  const needed = find(
    plea([
      { type: 'not_guilty_plea', date: '2022-03-01' },
      { type: 'witness_required', date: '2022-03-02' },
    ]),
    'R8.5',
  )
  t.equal(needed?.triggerDate, '2022-03-01', 'R8.5: attendance needed')
  t.equal(needed?.limitUnconfirmed, true, 'R8.5 limit U')
  t.ok(
    find(
      applicableItems(facts({ ...base, events: [{ type: 'not_guilty_plea', date: '2019-03-01' }] })).items,
      'V15-W02',
    ),
    'W02 (2015): every not-guilty plea',
  )

  // R7.1 "Report or statement": reported under 2015, statement under 2020.
  const vps = applicableItems(
    facts({
      ...base,
      reportedOn: '2021-03-01',
      events: [
        { type: 'statement_taken', date: '2021-03-01' },
        { type: 'statement_taken', date: '2021-05-04' },
      ],
    }),
  )
  t.same(rows(vps.items, ['V15-P14', 'R7.1']), [
    ['V15-P14', '2015', '2021-03-01', null],
    ['R7.1', '2020', '2021-05-04', null],
  ])
  t.equal(
    find(applicableItems(facts({ ...base, reportedOn: '2022-01-10' })).items, 'R7.1')?.triggerEvent,
    'reported',
    'R7.1 at the report when reported under 2020',
  )
  t.equal(
    find(applicableItems(facts({ ...base, reportedOn: '2022-01-10' })).items, 'R2.2')?.item.confirmation,
    'unconfirmed',
    'Right 2 auditable',
  )
})

t.test(
  'recorded enhanced flag against the computed status (§2: "compare it with the recorded flag, and report mismatches")',
  async (t) => {
    const check = (recordedEnhanced: boolean | null, domesticAbuse: boolean) =>
      enhancedFlagCheck(
        facts({ reportedOn: '2022-01-10', offenceGroup: 'violence', ...notEnhanced, domesticAbuse, recordedEnhanced }),
      )
    t.match(check(false, true), { status: 'not_identified', computed: true, recorded: false, message: /did not flag/ })
    t.match(check(true, false), { status: 'flagged_not_eligible', message: /no enhanced group/ })
    t.match(check(true, true), { status: 'agrees', message: null })
    t.match(check(false, false), { status: 'agrees' })
    t.match(check(null, true), { status: 'not_recorded' })
    t.equal(
      applicableItems(
        facts({
          reportedOn: '2022-01-10',
          offenceGroup: 'violence',
          ...notEnhanced,
          domesticAbuse: true,
          recordedEnhanced: false,
        }),
      ).flagCheck.status,
      'not_identified',
    )
  },
)

t.test('the flag check tallied over a round for the scores (§2 mismatches)', async (t) => {
  const make = (recordedEnhanced: boolean | null, domesticAbuse: boolean) =>
    facts({ reportedOn: '2022-01-10', offenceGroup: 'violence', ...notEnhanced, domesticAbuse, recordedEnhanced })
  t.same(
    tallyFlagChecks([make(false, true), make(false, true), make(true, false), make(true, true), make(null, true)]),
    {
      recorded: 4,
      notIdentified: 2,
      flaggedNotEligible: 1,
      notRecorded: 1,
    },
  )
  t.same(tallyFlagChecks([]), { recorded: 0, notIdentified: 0, flaggedNotEligible: 0, notRecorded: 0 })
})
