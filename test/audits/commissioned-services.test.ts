import t from 'tap'
import { applicableItems } from '../../audits/applicability.ts'
import type { Obligation } from '../../audits/applicability.ts'
import { caseFactsSchema } from '../../audits/case-facts.ts'
import type { CaseFactsInput } from '../../audits/case-facts.ts'
import {
  commissioned,
  commissionedGroups,
  crosswalk,
  frameworks,
  getItem,
  roundItems,
  validateFrameworkData,
} from '../../audits/frameworks/index.ts'
import type { Framework, FrameworkItem } from '../../audits/frameworks/index.ts'
import { agencyForObligation, type AgencyEntry } from '../../audits/responsible-agency.ts'
import { notEnhanced as adult } from '../fixtures/case-facts.ts'

const facts = (input: CaseFactsInput) => caseFactsSchema.parse(input)

// Referred on Friday 2 May 2025; Monday 5 May is the early May bank holiday.
const referredAndClosed = facts({
  reportedOn: '2025-04-28',
  offenceGroup: 'violence',
  ...adult,
  events: [
    { type: 'crime_recorded', date: '2025-04-28' },
    { type: 'service_referral', date: '2025-05-02' },
    { type: 'service_closed', date: '2025-07-14' },
  ],
})

function summary(items: Obligation[]): Array<[string, string, string | null, number | null]> {
  return items.map((o) => [o.item.id, o.triggerDate, o.dueDate, o.timeLimitDays])
}

t.test('the question set: six items, checked by the same rules as the Code editions', async (t) => {
  t.same(
    commissioned.items.map((i) => i.id),
    ['CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6'],
  )
  t.equal(commissioned.framework, 'commissioned_services')
  for (const item of commissioned.items) {
    t.equal(item.framework, 'commissioned_services', `${item.id} framework`)
    t.equal(item.right, null, `${item.id} has no Right`)
    t.ok((commissionedGroups as readonly string[]).includes(item.group), `${item.id} group`)
    t.equal(getItem(item.id), item, `${item.id} found by id`)
  }
  t.same(getItem('CS1')?.timeLimit, { standard: 2, enhanced: 1 }, 'first contact: 2 working days, 1 if enhanced')
  t.same(getItem('CS2')?.timeLimit, { standard: 5, enhanced: 5 })
  t.same(getItem('CS4')?.timeLimit, { standard: 10, enhanced: 10 })
  for (const id of ['CS3', 'CS5', 'CS6']) t.equal(getItem(id)?.timeLimit, null, `${id} has no time limit`)
  t.ok(
    [...frameworks['2015'].items, ...frameworks['2020'].items].every((i) => i.framework === 'victims_code'),
    'every Code item is filed as the Code',
  )
  t.same(
    roundItems('commissioned_services', '2020').map((i) => i.id),
    commissioned.items.map((i) => i.id),
    'a commissioned round has only the set',
  )
  t.same(
    roundItems('victims_code', '2015').map((i) => i.id),
    [...frameworks['2015'].items, ...frameworks['2020'].items].map((i) => i.id),
    'a Code round: its heading edition, then the other',
  )
})

t.test('broken commissioned data stops the application, like broken Code data', async (t) => {
  const withItems = (items: FrameworkItem[]): Framework => ({ ...commissioned, items })
  const first = commissioned.items[0] as FrameworkItem
  const check = (set: Framework) => () => validateFrameworkData({ frameworks, crosswalk, commissioned: set })
  t.throws(check(withItems([{ ...first, id: 'R4.9' }])), /commissioned-services ids look like CS1/)
  t.throws(check(withItems([{ ...first, right: 4 }])), /commissioned-services items have no Right/)
  t.throws(check(withItems([first, first])), /duplicate item id CS1/)
  t.throws(check(withItems([{ ...first, framework: 'victims_code', id: 'R4.1', right: 4 }])), /duplicate item id R4.1/)
  t.throws(check(withItems([{ ...first, question: 'No question mark' }])), /question must end with/)
  t.throws(check(withItems([])), /commissioned items/)
})

t.test('obligations run from the referral and the closure, in working days', async (t) => {
  const result = applicableItems(referredAndClosed, { framework: 'commissioned_services' })
  t.same(summary(result.items), [
    ['CS1', '2025-05-02', '2025-05-07', 2],
    ['CS2', '2025-05-02', '2025-05-12', 5],
    ['CS3', '2025-05-02', null, null],
    ['CS4', '2025-05-02', '2025-05-19', 10],
    ['CS5', '2025-07-14', null, null],
    ['CS6', '2025-07-14', null, null],
  ])
  t.ok(result.items[0]?.limitUnconfirmed, "the default target says it is the QAF's default")
  t.same(result.outsideCode, [])
  t.same(result.editions, ['2020'])

  const code = applicableItems(referredAndClosed)
  t.notOk(
    code.items.some((o) => o.item.framework === 'commissioned_services'),
    "a Code round's case never gets commissioned items",
  )
  t.ok(code.items.length > 0)
})

t.test('an open case has only the referral items; a second referral is a second set', async (t) => {
  const open = facts({
    ...referredAndClosed,
    events: [
      { type: 'service_referral', date: '2025-05-02' },
      { type: 'service_referral', date: '2025-09-01' },
    ],
  })
  const ids = applicableItems(open, { framework: 'commissioned_services' }).items.map((o) => o.key)
  t.same(ids, [
    'CS1@2025-05-02#1',
    'CS2@2025-05-02#1',
    'CS3@2025-05-02#1',
    'CS4@2025-05-02#1',
    'CS1@2025-09-01#1',
    'CS2@2025-09-01#1',
    'CS3@2025-09-01#1',
    'CS4@2025-09-01#1',
  ])
})

t.test("enhanced victims get the faster first contact; a round's own target overrides the default", async (t) => {
  const enhanced = facts({ ...referredAndClosed, domesticAbuse: true })
  const first = applicableItems(enhanced, { framework: 'commissioned_services' }).items[0] as Obligation
  t.same([first.item.id, first.enhanced, first.timeLimitDays, first.dueDate], ['CS1', true, 1, '2025-05-06'])

  const contract = applicableItems(referredAndClosed, {
    framework: 'commissioned_services',
    timeLimitOverrides: { CS1: { standard: 3 }, CS4: { standard: 15, enhanced: 15 } },
  })
  t.same(summary(contract.items).slice(0, 4), [
    ['CS1', '2025-05-02', '2025-05-08', 3],
    ['CS2', '2025-05-02', '2025-05-12', 5],
    ['CS3', '2025-05-02', null, null],
    ['CS4', '2025-05-02', '2025-05-27', 15],
  ])
  t.throws(
    () =>
      applicableItems(referredAndClosed, { framework: 'commissioned_services', timeLimitOverrides: { 'R4.1': {} } }),
    /unknown item R4\.1/,
    "a Code item's limit means nothing in a commissioned round",
  )
  t.throws(
    () => applicableItems(referredAndClosed, { timeLimitOverrides: { CS1: { standard: 3 } } }),
    /unknown item CS1/,
  )
})

t.test("answers count towards the service the case was referred to, whatever the service's type", async (t) => {
  const directory: AgencyEntry[] = [
    { id: 1, name: 'Cumbria Constabulary', shortName: 'Constabulary', type: 'police', active: true, inRound: false },
    {
      id: 7,
      name: 'Victim Support (Cumbria integrated victim service)',
      shortName: 'Victim Support',
      type: 'victim_services',
      active: true,
      inRound: true,
    },
    {
      id: 8,
      name: 'Bridgeway sexual assault referral centre',
      shortName: 'Bridgeway',
      type: 'other',
      active: true,
      inRound: true,
    },
    { id: 9, name: 'Remedi restorative justice', shortName: 'Remedi', type: 'other', active: true, inRound: true },
  ]
  const sarc = facts({
    ...referredAndClosed,
    events: [
      { type: 'crime_recorded', date: '2025-04-28', agency: 'Cumbria Constabulary' },
      { type: 'service_referral', date: '2025-05-02' },
      { type: 'service_closed', date: '2025-07-14', agency: 'Remedi restorative justice' },
    ],
  })
  const items = applicableItems(sarc, { framework: 'commissioned_services' }).items
  const agencyOf = (id: string, file: string | null) =>
    agencyForObligation(directory, sarc, items.find((o) => o.item.id === id) as Obligation, file)
  t.equal(agencyOf('CS1', 'Bridgeway'), 8, 'the service holding the file, though typed other')
  t.equal(agencyOf('CS5', 'Bridgeway'), 9, 'the service named on the closure')
  t.equal(agencyOf('CS1', null), null, 'never the referring police; no guess among three services')
})
