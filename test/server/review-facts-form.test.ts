// The facts form: reading what was typed, checking it, and pre-filling it from the import.
import t from 'tap'
import { caseFactsSchema } from '../../audits/case-facts.ts'
import {
  confirmedRemovals,
  factsValuesFromImport,
  factsValuesOf,
  hasBlankRow,
} from '../../server/services/review/facts-form.ts'
import { checkFacts } from '../../server/services/review/facts-check.ts'
import { hasFactsFields, readFactsValues } from '../../server/routes/review/facts-fields.ts'
import { readResolution, readVersion } from '../../server/routes/review/answer-form.ts'
import { fieldIdOf } from '../../audits/field-ids.ts'

const opts = { mode: 'save' as const, today: '2024-06-30', agencyNames: new Set(['Cumbria Constabulary']) }

t.test('saved facts round-trip through the form', async (t) => {
  const facts = caseFactsSchema.parse({
    reportedOn: '2023-03-06',
    offenceGroup: 'theft',
    under18: false,
    domesticAbuse: true,
    sentenceMonths: 18,
    specifiedOffence: true,
    events: [
      { type: 'suspect_arrested', date: '2023-03-08', agency: 'Cumbria Constabulary' },
      { type: 'charged', date: '2023-04-20' },
    ],
  })
  const values = factsValuesOf(facts)
  t.equal(values.events.length, 2 + 3, 'three blank rows to add events')
  t.same(values.flags.vulnerable, 'unknown')
  const body: Record<string, string> = {
    'reportedOn-day': values.reportedOn.day,
    'reportedOn-month': values.reportedOn.month,
    'reportedOn-year': values.reportedOn.year,
    offenceGroup: values.offenceGroup,
    sentenceMonths: values.sentenceMonths,
    ...values.flags,
  }
  for (const r of values.events) {
    Object.assign(body, {
      [`events-${r.index}-type`]: r.type,
      [`events-${r.index}-date-day`]: r.date.day,
      [`events-${r.index}-date-month`]: r.date.month,
      [`events-${r.index}-date-year`]: r.date.year,
      [`events-${r.index}-agency`]: r.agency,
    })
  }
  const check = checkFacts(readFactsValues(body), opts)
  t.same(check.ok && check.facts, facts)
  t.ok(hasFactsFields(body))
  t.notOk(hasFactsFields({}))
})

t.test('removed and blank rows are left out; a crafted request cannot grow the rows without limit', async (t) => {
  const body: Record<string, unknown> = {
    'reportedOn-day': '6',
    'reportedOn-month': '3',
    'reportedOn-year': '2023',
    offenceGroup: 'theft',
  }
  Object.assign(body, {
    'events-0-type': 'charged',
    'events-0-date-day': '1',
    'events-0-date-month': '4',
    'events-0-date-year': '2023',
    'events-0-remove': 'yes',
  })
  Object.assign(body, {
    'events-5-type': ['bailed', 'charged'],
    'events-5-date-day': '2',
    'events-5-date-month': '4',
    'events-5-date-year': '2023',
  })
  for (let i = 10; i < 700; i++) body[`events-${i}-type`] = ''
  const values = readFactsValues(body)
  t.equal(values.events.length, 500)
  t.equal(values.events[1]?.type, 'bailed', 'a repeated name counts by its first value')
  const check = checkFacts(values, opts)
  t.same(check.ok && check.facts.events, [{ type: 'bailed', date: '2023-04-02' }])
  t.ok(hasBlankRow(values.events))
  t.notOk(hasBlankRow(values.events.slice(0, 2)))
})

t.test('events on record come back as type and ISO date in hidden fields', async (t) => {
  const values = readFactsValues({
    'events-0-type': 'charged',
    'events-0-date': '2023-04-20',
    'events-0-fixed': 'yes',
    'events-1-type': 'bailed',
    'events-1-date': '',
    'events-1-fixed': 'yes',
  })
  t.same(values.events[0], {
    index: 0,
    type: 'charged',
    date: { day: '20', month: '4', year: '2023' },
    agency: '',
    remove: false,
    fixed: true,
  })
  t.equal(values.events[1]?.fixed, false, 'no date, not on record')
})

t.test('autosave leaves out rows still being typed; a full save names them', async (t) => {
  const values = readFactsValues({
    'reportedOn-day': '6',
    'reportedOn-month': '3',
    'reportedOn-year': '2023',
    offenceGroup: 'theft',
    'events-0-agency': 'Cumbria Constabulary',
    'events-1-date-year': '2023',
  })
  const auto = checkFacts(values, { ...opts, mode: 'autosave' })
  t.same(auto.ok && auto.incompleteRows, [0, 1])
  const save = checkFacts(values, opts)
  t.same(save.ok ? null : Object.keys(save.errors.fields), ['events-0', 'events-1'])
})

t.test('pre-fill from the import keeps what reads and leaves gaps for the rest', async (t) => {
  const values = factsValuesFromImport(
    {
      reportedOn: '2023-03-06',
      offenceGroup: 'theft',
      under18: 0,
      vulnerable: 1,
      intimidated: null,
      persistentlyTargeted: null,
      bereaved: null,
      domesticAbuse: null,
      hateCrime: null,
      events: JSON.stringify([
        { type: 'suspect_arrested', date: '2023-03-08', agency: 'police' },
        { type: 'nonsense', date: '2023-03-09' },
        'junk',
        { type: 'charged' },
      ]),
    },
    (ref) => (ref === 'police' ? 'Cumbria Constabulary' : ''),
  )
  t.same(values.flags.under18, 'no')
  t.same(values.flags.vulnerable, 'yes')
  t.same(values.flags.intimidated, 'unknown')
  t.same(values.flags.specifiedOffence, 'unknown')
  t.same(
    values.events.slice(0, 2).map((e) => [e.type, e.agency]),
    [
      ['suspect_arrested', 'Cumbria Constabulary'],
      ['', ''],
    ],
  )
  const broken = factsValuesFromImport(
    {
      reportedOn: 'soon',
      offenceGroup: 'x',
      under18: null,
      vulnerable: null,
      intimidated: null,
      persistentlyTargeted: null,
      bereaved: null,
      domesticAbuse: null,
      hateCrime: null,
      events: '{not json',
    },
    () => '',
  )
  t.same([broken.offenceGroup, broken.reportedOn.day, broken.events.length], ['', '', 3])
  const notArray = factsValuesFromImport(
    {
      reportedOn: '2023-01-01',
      offenceGroup: 'x',
      under18: null,
      vulnerable: null,
      intimidated: null,
      persistentlyTargeted: null,
      bereaved: null,
      domesticAbuse: null,
      hateCrime: null,
      events: '{"a":1}',
    },
    () => '',
  )
  t.equal(notArray.events.length, 3)
})

t.test('answer field names, versions and conflict choices', async (t) => {
  t.equal(fieldIdOf('R6.2@2023-03-08#1'), 'R6_2_6j7_1')
  t.equal(fieldIdOf('V15-P01@2016-01-04#2'), 'V15-P01_4if_2')
  t.equal(fieldIdOf('R6.2@1999-12-31#1'), 'R6_2_19991231_1', 'a date outside the short form in full')
  t.equal(fieldIdOf('R6.2@2000-01-01#12'), 'R6_2_000_12')
  t.equal(readVersion({ v: '' }, 'v'), 0)
  t.equal(readVersion({ v: '12' }, 'v'), 12)
  t.equal(readVersion({ v: '-1' }, 'v'), null)
  t.equal(readVersion({}, 'v'), 0)
  t.same(readResolution({ 'f-resolve': 'mine', 'f-theirs': '3' }, 'f'), { choice: 'mine', theirsVersion: 3 })
  t.equal(readResolution({ 'f-resolve': 'both' }, 'f'), null)
  t.same(
    [
      ...confirmedRemovals({
        ...factsValuesOf(caseFactsSchema.parse({ reportedOn: '2023-01-01', offenceGroup: 'other' })),
        confirmRemoval: 'a, b,,',
      }),
    ],
    ['a', 'b'],
  )
})
