import t from 'tap'
import fc from 'fast-check'
import { applicableItems, isVcsEligible } from '../../audits/applicability.ts'
import { enhancedEligibility } from '../../audits/enhanced-eligibility.ts'
import type { Obligation } from '../../audits/applicability.ts'
import { isWorkingDay } from '../../audits/calendar.ts'
import {
  caseFactsSchema,
  eventColumns,
  eventTypeKeys,
  eventTypes,
  offenceGroupKeys,
  splitEventCell,
} from '../../audits/case-facts.ts'
import type { CaseFacts, CaseFactsInput } from '../../audits/case-facts.ts'
import { editionInForce } from '../../audits/frameworks/index.ts'
import { notEnhanced } from '../fixtures/case-facts.ts'

function facts(input: CaseFactsInput): CaseFacts {
  return caseFactsSchema.parse(input)
}

/** id → [trigger date, due date, limit] for a compact comparison. */
function summary(items: Obligation[]): Array<[string, string, string | null, number | null]> {
  return items.map((o) => [o.item.id, o.triggerDate, o.dueDate, o.timeLimitDays])
}

t.test('adult burglary victim: standard limits', async (t) => {
  const result = applicableItems(
    facts({
      reportedOn: '2023-03-06', // Monday
      offenceGroup: 'theft',
      ...notEnhanced,
      events: [
        { type: 'crime_recorded', date: '2023-03-06' },
        { type: 'statement_taken', date: '2023-03-06' },
        { type: 'suspect_arrested', date: '2023-03-08' },
        { type: 'suspect_interviewed', date: '2023-03-08' },
        { type: 'bailed', date: '2023-03-09' },
        { type: 'charged', date: '2023-04-20' },
      ],
    }),
  )
  t.same(result.editions, ['2020'])
  t.same(result.enhanced, {
    eligible: false,
    reasons: [],
    unknown: ['Offence of the most serious crime'],
    edition: '2020',
  })
  t.same(summary(result.items), [
    ['R2.2', '2023-03-06', null, null],
    ['R3.1', '2023-03-06', null, null],
    ['R3.2', '2023-03-06', null, null],
    ['R4.1', '2023-03-06', null, null],
    ['R4.2', '2023-03-06', '2023-03-08', 2], // Mon + 2 working days = Wed
    ['R5.1', '2023-03-06', null, null],
    ['R6.6', '2023-03-06', null, null],
    ['R7.1', '2023-03-06', null, null],
    ['R6.2', '2023-03-08', '2023-03-15', 5], // Wed + 5 = next Wed
    ['R6.3', '2023-03-08', '2023-03-15', 5],
    ['R6.5', '2023-03-09', '2023-03-16', 5],
    ['R6.7', '2023-04-20', '2023-04-27', 5],
  ])
  t.notOk(
    result.items.some((o) => o.item.id === 'R2.1'),
    'interviewer gender choice is for sexual and domestic abuse cases',
  )
  t.notOk(
    result.items.some((o) => o.consentRequired),
    'the support referral is opt-out for a burglary victim',
  )
  t.same(result.items.map((o) => o.key).slice(0, 2), ['R2.2@2023-03-06#1', 'R3.1@2023-03-06#1'])
  t.equal(result.items[0]?.triggerEvent, 'reported')
  t.equal(result.items[10]?.triggerEvent, 'bailed')
})

t.test('domestic abuse victim: enhanced, 1-day updates, referral needs consent', async (t) => {
  // Reported Wednesday 1 June 2022, the day before the two Platinum Jubilee bank holidays.
  const result = applicableItems(
    facts({
      reportedOn: '2022-06-01',
      offenceGroup: 'violence',
      ...notEnhanced,
      domesticAbuse: true,
      events: [
        { type: 'statement_taken', date: '2022-06-01' },
        { type: 'suspect_arrested', date: '2022-06-01' },
        { type: 'released_under_investigation', date: '2022-06-06' },
      ],
    }),
  )
  t.same(result.enhanced.reasons, ['Victim of domestic abuse'])
  t.equal(result.enhanced.eligible, true)
  const byId = new Map(result.items.map((o) => [o.item.id, o]))
  t.equal(byId.get('R4.2')?.dueDate, '2022-06-07', 'Thu 2 and Fri 3 June are holidays: Mon 6, Tue 7')
  t.equal(byId.get('R4.2')?.consentRequired, true)
  t.equal(byId.get('R6.2')?.timeLimitDays, 1)
  t.equal(byId.get('R6.2')?.dueDate, '2022-06-06', 'one working day after Wednesday is the next Monday')
  t.equal(byId.get('R6.5')?.dueDate, '2022-06-07')
  t.equal(byId.get('R6.5')?.triggerEvent, 'released_under_investigation')
  t.ok(byId.has('R2.1'), 'offered a choice of interviewer gender')
  t.equal(byId.get('R7.1')?.consentRequired, false, "a VPS is the victim's choice, not a consent")
})

t.test('16-year-old victim of assault: enhanced because under 18', async (t) => {
  const result = applicableItems(
    facts({
      reportedOn: '2024-05-03', // Friday before the early May bank holiday
      offenceGroup: 'violence',
      under18: true,
      events: [{ type: 'suspect_arrested', date: '2024-05-03' }],
    }),
  )
  t.same(result.enhanced.reasons, ['Under 18 at the time of the offence'])
  t.same(result.enhanced.unknown, [
    'Vulnerable',
    'Intimidated',
    'Persistently targeted',
    'Bereaved close relative',
    'Victim of domestic abuse',
    'Hate crime',
    'Offence of the most serious crime',
  ])
  const arrest = result.items.find((o) => o.item.id === 'R6.2')
  t.equal(arrest?.dueDate, '2024-05-07', 'Monday 6 May is a bank holiday')
  t.equal(result.items.find((o) => o.item.id === 'R4.2')?.consentRequired, false, 'an assault referral is opt-out')
})

t.test('bereaved relative (2015 Code)', async (t) => {
  const result = applicableItems(
    facts({
      reportedOn: '2019-08-23', // Friday before the August bank holiday
      offenceGroup: 'violence',
      ...notEnhanced,
      bereaved: true,
      events: [
        { type: 'death_caused', date: '2019-08-22' },
        { type: 'suspect_arrested', date: '2019-08-23' },
        { type: 'cps_discontinued', date: '2019-12-20' },
      ],
    }),
  )
  t.same(result.editions, ['2015'])
  t.same(result.enhanced.reasons, ['Bereaved close relative'])
  t.same(summary(result.items), [
    ['V15-P15', '2019-08-22', null, null],
    ['V15-P01', '2019-08-23', null, null],
    ['V15-P02', '2019-08-23', null, null],
    ['V15-P03', '2019-08-23', '2019-08-28', 2], // Mon 26 is a holiday: Tue 27, Wed 28
    ['V15-P04', '2019-08-23', null, null],
    ['V15-P06', '2019-08-23', '2019-08-27', 1],
    ['V15-C02', '2019-12-20', '2019-12-23', 1],
    ['V15-C03', '2019-12-20', null, null],
  ])
  t.equal(result.items.find((o) => o.item.id === 'V15-P03')?.consentRequired, true, 'explicit consent for the bereaved')
})

t.test('sexual offence complainants are automatically eligible and give explicit consent', async (t) => {
  const result = applicableItems(facts({ reportedOn: '2018-02-01', offenceGroup: 'sexual', intimidated: true }))
  t.same(result.enhanced.reasons, ['Sexual offence complainant (intimidated automatically)', 'Intimidated'])
  t.equal(result.items.find((o) => o.item.id === 'V15-P03')?.consentRequired, true)
  const all = enhancedEligibility(
    facts({
      reportedOn: '2018-02-01',
      offenceGroup: 'sexual',
      under18: true,
      vulnerable: true,
      intimidated: true,
      persistentlyTargeted: true,
      bereaved: true,
      domesticAbuse: true,
      hateCrime: true,
    }),
  )
  t.same(all.reasons, [
    'Under 18 at the time of the offence',
    'Victim of domestic abuse',
    'Sexual offence complainant (intimidated automatically)',
    'Bereaved close relative',
    'Persistently targeted',
    'Vulnerable',
    'Intimidated',
    'Hate crime',
  ])
  for (const flag of ['persistentlyTargeted', 'vulnerable', 'hateCrime'] as const) {
    t.equal(
      enhancedEligibility(facts({ reportedOn: '2018-02-01', offenceGroup: 'theft', [flag]: true })).eligible,
      true,
      flag,
    )
  }
})

t.test('edition switch on 1 April 2021', async (t) => {
  const base: Omit<CaseFactsInput, 'reportedOn'> = {
    offenceGroup: 'theft',
    ...notEnhanced,
    events: [{ type: 'suspect_arrested', date: '2021-04-06' }],
  }
  const march = applicableItems(facts({ ...base, reportedOn: '2021-03-31' }))
  const april = applicableItems(facts({ ...base, reportedOn: '2021-04-01' }))
  // Reference §1: each obligation under the edition in force on its trigger date.
  t.same(march.editions, ['2015', '2020'], 'reported under 2015, arrested under 2020')
  t.ok(march.items.filter((o) => o.triggerEvent === 'reported').every((o) => o.item.edition === '2015'))
  t.notOk(
    march.items.some((o) => o.item.id === 'V15-P06'),
    'the arrest came after the 2015 Code ended',
  )
  t.ok(march.items.some((o) => o.item.id === 'R6.2'))
  t.same(april.editions, ['2020'])
  t.ok(april.items.every((o) => o.item.edition === '2020' && o.edition === '2020'))
})

t.test('no suspect identified: investigation updates that never triggered are absent', async (t) => {
  const result = applicableItems(
    facts({
      reportedOn: '2023-01-10',
      offenceGroup: 'criminal_damage_arson',
      ...notEnhanced,
      events: [{ type: 'not_investigated', date: '2023-01-12' }],
    }),
  )
  const ids = result.items.map((o) => o.item.id)
  t.same(ids, ['R2.2', 'R3.1', 'R3.2', 'R4.1', 'R4.2', 'R5.1', 'R6.6', 'R7.1', 'R6.1'])
  t.equal(result.items.at(-1)?.dueDate, '2023-01-19')
  for (const absent of ['R6.2', 'R6.3', 'R6.4', 'R6.5', 'R6.7', 'R6.8', 'R6.9', 'R6.10', 'R8.2', 'R9.2']) {
    t.notOk(ids.includes(absent), `${absent} absent`)
  }
})

t.test('three bail changes make three obligations', async (t) => {
  const result = applicableItems(
    facts({
      reportedOn: '2021-04-26',
      offenceGroup: 'violence',
      ...notEnhanced,
      events: [
        { type: 'bail_changed', date: '2021-06-10' },
        { type: 'bailed', date: '2021-04-30' },
        { type: 'bail_changed', date: '2021-05-20' },
        { type: 'bail_changed', date: '2021-05-20' },
      ],
    }),
  )
  const bail = result.items.filter((o) => o.item.id === 'R6.5')
  t.equal(bail.filter((o) => o.triggerEvent === 'bail_changed').length, 3)
  t.same(
    bail.map((o) => [o.key, o.triggerEvent, o.dueDate]),
    [
      // Friday 30 April; Monday 3 May is a bank holiday: 4, 5, 6, 7, 10 May.
      ['R6.5@2021-04-30#1', 'bailed', '2021-05-10'],
      ['R6.5@2021-05-20#1', 'bail_changed', '2021-05-27'],
      ['R6.5@2021-05-20#2', 'bail_changed', '2021-05-27'],
      // Thursday 10 June + 5 = Thursday 17 June.
      ['R6.5@2021-06-10#1', 'bail_changed', '2021-06-17'],
    ],
  )
  t.equal(new Set(result.items.map((o) => o.key)).size, result.items.length, 'keys are unique')
})

t.test('a due date across a bank holiday, checked by hand', async (t) => {
  // Arrest on Maundy Thursday 17 April 2025; Good Friday 18 and Easter Monday 21 are holidays.
  // Five working days after: Tue 22, Wed 23, Thu 24, Fri 25, Mon 28.
  const result = applicableItems(
    facts({
      reportedOn: '2025-04-15',
      offenceGroup: 'robbery',
      ...notEnhanced,
      events: [{ type: 'suspect_arrested', date: '2025-04-17' }],
    }),
  )
  t.equal(result.items.find((o) => o.item.id === 'R6.2')?.dueDate, '2025-04-28')
})

t.test('Victim Contact Scheme items need a qualifying sentence', async (t) => {
  const sentenced = (sentenceMonths: number | null, specifiedOffence: boolean | null) =>
    facts({
      reportedOn: '2022-11-01',
      offenceGroup: 'violence',
      ...notEnhanced,
      sentenceMonths,
      specifiedOffence,
      events: [
        { type: 'sentence', date: '2023-05-10' },
        { type: 'vcs_referral', date: '2023-05-15' },
        { type: 'offender_release', date: '2025-01-06' },
        { type: 'parole_review', date: '2024-09-02' },
      ],
    })
  const yes = applicableItems(sentenced(24, true))
  const byId = new Map(yes.items.map((o) => [o.item.id, o]))
  t.equal(byId.get('R11.1')?.dueDate, '2023-05-24', 'Wed 10 May + 10 working days')
  t.equal(byId.get('R11.2')?.dueDate, '2023-06-13', 'Mon 15 May + 20 working days, skipping Mon 29 May')
  t.equal(byId.get('R11.3')?.consentRequired, true, 'only for scheme members')
  t.ok(byId.has('R11.4'))
  t.ok(byId.has('R9.2'), 'sentence explained applies to everyone')
  t.equal(isVcsEligible(sentenced(12, true)), true, 'exactly 12 months qualifies')
  for (const [months, specified] of [
    [6, true],
    [24, false],
    [24, null],
    [null, true],
  ] as const) {
    const no = applicableItems(sentenced(months, specified)).items.map((o) => o.item.id)
    t.notOk(
      no.includes('R11.1') || no.includes('R11.3') || no.includes('R11.4'),
      `${months} months, specified ${specified}`,
    )
    t.ok(no.includes('R11.2'), 'a referral that was made still needs the contact')
  }
  t.notOk(
    yes.items.some((o) => o.item.edition === '2015'),
    'a 2023 sentence owes nothing under the 2015 Code',
  )
})

t.test('repeated triggers: once-only items take the first', async (t) => {
  const result = applicableItems(
    facts({
      reportedOn: '2019-03-04',
      offenceGroup: 'sexual',
      events: [
        { type: 'hearing_set', date: '2019-09-02' },
        { type: 'hearing_set', date: '2019-06-03' },
        { type: 'statement_taken', date: '2019-03-05' },
        { type: 'statement_taken', date: '2019-03-20' },
        { type: 'hearing_outcome', date: '2019-06-20' },
      ],
    }),
  )
  const p13 = result.items.filter((o) => o.item.id === 'V15-P13')
  t.same(
    p13.map((o) => o.triggerDate),
    ['2019-06-03'],
    'first hearing date only',
  )
  t.same(
    result.items.filter((o) => o.item.id === 'V15-P14').map((o) => o.triggerDate),
    ['2019-03-05'],
  )
  t.same(
    result.items.filter((o) => o.item.id === 'V15-W01').map((o) => [o.triggerEvent, o.triggerDate]),
    [
      ['hearing_set', '2019-06-03'],
      ['hearing_outcome', '2019-06-20'],
      ['hearing_set', '2019-09-02'],
    ],
  )
})

t.test('time limit overrides', async (t) => {
  const burglary = facts({
    reportedOn: '2023-03-06',
    offenceGroup: 'theft',
    ...notEnhanced,
    events: [
      { type: 'suspect_arrested', date: '2023-03-08' },
      { type: 'language_need', date: '2023-03-06' },
    ],
  })
  const enhanced = { ...burglary, vulnerable: true }
  const overrides = {
    'R6.2': { standard: 3 },
    'R1.1': { standard: 4 },
    'R3.1': { enhanced: 2 },
    'V15-P06': { standard: 9 },
  }
  const find = (f: CaseFacts, id: string) =>
    applicableItems(f, { timeLimitOverrides: overrides }).items.find((o) => o.item.id === id)
  t.equal(find(burglary, 'R6.2')?.timeLimitDays, 3)
  t.equal(find(burglary, 'R6.2')?.dueDate, '2023-03-13')
  t.equal(find(enhanced, 'R6.2')?.timeLimitDays, 1, 'the enhanced limit is kept')
  t.equal(find(burglary, 'R1.1')?.timeLimitDays, 4, 'a limit added where the Code had none')
  t.equal(find(enhanced, 'R1.1')?.timeLimitDays, 4, '...applies to enhanced victims too')
  t.equal(find(burglary, 'R3.1')?.timeLimitDays, null, 'an enhanced-only limit leaves standard victims without one')
  t.equal(find(enhanced, 'R3.1')?.dueDate, '2023-03-08')
  t.throws(() => applicableItems(burglary, { timeLimitOverrides: { 'R99.9': { standard: 3 } } }), {
    name: 'RangeError',
    message: /R99\.9/,
  })
  t.throws(() => applicableItems(burglary, { timeLimitOverrides: { 'R6.2': { enhanced: 0 } } }), {
    name: 'RangeError',
    message: /R6\.2 enhanced.*got 0/,
  })
  t.throws(() => applicableItems(burglary, { timeLimitOverrides: { 'R6.2': { standard: 2.5 } } }), { message: /2\.5/ })
  t.doesNotThrow(() => applicableItems(burglary, { timeLimitOverrides: { 'R6.2': { standard: undefined } } }))
})

t.test('case facts schema', async (t) => {
  const parsed = caseFactsSchema.parse({ reportedOn: '2023-03-06', offenceGroup: 'other' })
  t.same(parsed, {
    reportedOn: '2023-03-06',
    offenceGroup: 'other',
    under18: null,
    vulnerable: null,
    intimidated: null,
    persistentlyTargeted: null,
    bereaved: null,
    domesticAbuse: null,
    hateCrime: null,
    victimType: 'individual',
    seriousOffence: null,
    ageUnclear: false,
    recordedEnhanced: null,
    cpsSpecifiedCase: null,
    sentenceMonths: null,
    specifiedOffence: null,
    mentalHealthDisposal: null,
    events: [],
  })
  const bad = (input: unknown) => {
    const result = caseFactsSchema.safeParse(input)
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  }
  t.match(bad({ reportedOn: '2023-02-29', offenceGroup: 'other' }), ['reportedOn: Enter a real date as YYYY-MM-DD'])
  t.match(bad({ reportedOn: '1999-12-31', offenceGroup: 'other' }), ['reportedOn: Date must be between 2000 and 2099'])
  t.match(bad({ reportedOn: '2023-03-06', offenceGroup: 'fraud' }), [/^offenceGroup/])
  t.match(bad({ reportedOn: '2023-03-06', offenceGroup: 'other', events: [{ type: 'landed', date: '2023-03-06' }] }), [
    /^events\.0\.type/,
  ])
  t.match(bad({ reportedOn: '2023-03-06', offenceGroup: 'other', events: [{ type: 'charged', date: '1998-01-01' }] }), [
    /^events\.0\.date/,
  ])
  t.match(bad({ reportedOn: '2023-03-06', offenceGroup: 'other', sentenceMonths: -1 }), [/^sentenceMonths/])
  t.match(
    bad({
      reportedOn: '2023-03-06',
      offenceGroup: 'other',
      events: [
        { type: 'death_caused', date: '2023-03-05' },
        { type: 'charged', date: '2023-03-07' },
        { type: 'death_caused', date: '2023-03-06' },
      ],
    }),
    ['events.2.type: Death caused by the crime can only happen once'],
  )
  t.equal(
    caseFactsSchema.parse({
      reportedOn: '2023-03-06',
      offenceGroup: 'other',
      events: [{ type: 'charged', date: '2023-03-07', agency: ' CPS North ' }],
    }).events[0]?.agency,
    'CPS North',
  )
})

t.test('CSV event columns', async (t) => {
  t.same(
    eventColumns.map((c) => c.column),
    eventTypeKeys,
    'every event type can be a column',
  )
  t.ok(
    eventColumns.every((c) => /^[a-z_]+$/.test(c.column)),
    'snake_case column names',
  )
  t.equal(eventColumns.find((c) => c.column === 'bail_changed')?.repeatable, true)
  t.equal(eventColumns.find((c) => c.column === 'crime_recorded')?.repeatable, false)
  t.same(splitEventCell('2023-01-02; 2023-02-03;'), ['2023-01-02', '2023-02-03'])
  t.same(splitEventCell(''), [])
  t.same(splitEventCell(undefined), [])
  t.same(splitEventCell(null), [])
  for (const key of [
    'crime_recorded',
    'suspect_arrested',
    'charged',
    'bail_changed',
    'sentence',
    'vcs_referral',
    'death_caused',
  ]) {
    t.ok(key in eventTypes, key)
  }
})

const dateArb = fc
  .date({ min: new Date('2014-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))
const flag = fc.constantFrom(true, false, null)
const factsArb = fc.record({
  reportedOn: dateArb,
  offenceGroup: fc.constantFrom(...offenceGroupKeys),
  under18: flag,
  vulnerable: flag,
  intimidated: flag,
  persistentlyTargeted: flag,
  bereaved: flag,
  domesticAbuse: flag,
  hateCrime: flag,
  sentenceMonths: fc.option(fc.integer({ min: 0, max: 240 })),
  specifiedOffence: flag,
  events: fc.array(
    fc.record({ type: fc.constantFrom(...eventTypeKeys.filter((k) => eventTypes[k].repeatable)), date: dateArb }),
    { maxLength: 25 },
  ),
})

t.test('properties of any case', async () => {
  fc.assert(
    fc.property(factsArb, (input) => {
      const f = facts(input)
      const result = applicableItems(f)
      const keys = new Set(result.items.map((o) => o.key))
      if (keys.size !== result.items.length) return false
      for (const [i, o] of result.items.entries()) {
        if (o.item.edition !== o.edition || o.edition !== editionInForce(o.triggerDate)) return false
        if (i > 0 && o.triggerDate < (result.items[i - 1] as Obligation).triggerDate) return false
        if ((o.dueDate === null) !== (o.timeLimitDays === null)) return false
        if (o.dueDate !== null && !(o.dueDate > o.triggerDate && isWorkingDay(o.dueDate))) return false
        if (o.timeLimitDays !== null && o.item.timeLimit) {
          const expected = o.enhanced ? o.item.timeLimit.enhanced : o.item.timeLimit.standard
          if (o.timeLimitDays !== expected) return false
        }
      }
      // Items triggered at reporting always apply.
      const reported = result.items.filter((o) => o.triggerEvent === 'reported').length
      if (f.reportedOn < '2015-11-16')
        return reported === 0 && result.outsideCode.some((x) => x.triggerEvent === 'reported')
      return reported >= 4 && result.enhanced.eligible === result.enhanced.reasons.length > 0
    }),
    { numRuns: 300 },
  )
  // The same facts always give the same answer.
  fc.assert(
    fc.property(factsArb, (input) => {
      // Two separate evaluations: the result depends on the facts alone, not on hidden state.
      const first = JSON.stringify(applicableItems(facts(input)))
      const second = JSON.stringify(applicableItems(facts(input)))
      return first === second
    }),
    { numRuns: 50 },
  )
})
