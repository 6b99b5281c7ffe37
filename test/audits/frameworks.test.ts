import t from 'tap'
import { spawnSync } from 'node:child_process'
import { eventTypes } from '../../audits/case-facts.ts'
import {
  counterparts,
  crosswalk,
  editionInForce,
  frameworks,
  getFramework,
  getItem,
  mojMeasures,
  rights2020,
  themeName,
  themes,
  validateFrameworkData,
} from '../../audits/frameworks/index.ts'
import type { Framework, FrameworkData, FrameworkItem } from '../../audits/frameworks/index.ts'
import { frameworkTable } from '../../audits/frameworks/table.ts'

const all = [...frameworks['2015'].items, ...frameworks['2020'].items]
const realData: FrameworkData = { frameworks, crosswalk }

t.test('the real data passes validation and has every item the reference lists', async (t) => {
  t.equal(validateFrameworkData(realData), realData)
  t.equal(frameworks['2015'].items.length, 25)
  t.equal(frameworks['2020'].items.length, 34)
  t.ok(all.length >= 40)
  t.equal(frameworks['2015'].version, '2015.1')
  t.equal(frameworks['2020'].version, '2020.1')
  const ids = new Set(all.map((i) => i.id))
  for (const id of ['V15-P01', 'V15-P15', 'V15-C03', 'V15-W03', 'V15-N02', 'V15-B01', 'V15-X01']) t.ok(ids.has(id), id)
  for (const id of ['R1.1', 'R2.1', 'R4.2', 'R6.10', 'R7.2', 'R8.5', 'R9.2', 'R11.4', 'R12.1']) t.ok(ids.has(id), id)
  t.same(
    [...new Set(frameworks['2020'].items.map((i) => i.right))],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    'every one of the twelve Rights has at least one item',
  )
  t.equal(rights2020.length, 12)
})

t.test('items carry what an auditor and the scoring need', async (t) => {
  for (const item of all) {
    t.ok(item.question.endsWith('?'), `${item.id} question`)
    t.ok(item.trigger === 'reported' || item.trigger in eventTypes, `${item.id} trigger`)
    t.ok(themeName(item.theme), `${item.id} theme`)
    if (item.edition === '2015') t.equal(item.right, null, `${item.id} has no Right`)
    else t.equal(item.id.split('.')[0], `R${item.right}`, `${item.id} right number`)
  }
})

t.test('rows checked against the reference table', async (t) => {
  const p06 = getItem('V15-P06') as FrameworkItem
  t.same(p06.timeLimit, { standard: 5, enhanced: 1 })
  t.equal(p06.agency, 'police')
  t.equal(p06.trigger, 'suspect_arrested')
  t.equal(p06.confirmation, 'confirmed')
  t.equal(p06.mojMeasure, 'timely_updates')

  const p03 = getItem('V15-P03') as FrameworkItem
  t.same(p03.timeLimit, { standard: 2, enhanced: 2 })
  t.equal(p03.consent?.mode, 'opt_out')
  t.same(p03.consent?.explicitFor, {
    offenceGroups: ['sexual'],
    characteristics: ['domesticAbuse', 'bereaved'],
    caseFlags: [],
  })
  t.equal(p03.mojMeasure, 'support_referral')

  t.equal(getItem('R4.2')?.confirmation, 'partly', 'R4.2 is P in the reference')
  // The row's Chk is kept as in the reference; a (U) on the limit is flagged on its own.
  for (const [id, chk] of [
    ['R6.9', 'confirmed'],
    ['V15-P01', 'confirmed'],
    ['R8.5', 'confirmed'],
    ['R11.3', 'confirmed'],
    ['R6.7', 'partly'],
    ['V15-W02', 'partly'],
  ] as const) {
    t.equal(getItem(id)?.confirmation, chk, `${id} Chk as in the reference`)
  }
  const limitU = all.filter((i) => i.limitUnconfirmed).map((i) => i.id)
  t.same(
    limitU,
    ['V15-P01', 'V15-P05', 'V15-P11', 'V15-P12', 'V15-W02', 'R6.7', 'R6.8', 'R6.9', 'R8.5', 'R11.3'],
    'every (U) or U in the Std/Enh column of reference §3',
  )
  t.equal(getItem('R2.2')?.confirmation, 'unconfirmed', 'Right 2 has no row in §3')
  t.match(getItem('R2.2')?.referenceRow, /Right 2/)
  t.equal(getItem('V15-P06')?.referenceRow, 'V15-P06')
  t.equal(getItem('R6.2')?.confirmation, 'confirmed')
  t.equal(getItem('R10.1')?.confirmation, 'unconfirmed', 'not in the reference table')
  t.same(getItem('R2.1')?.appliesTo.victims, {
    offenceGroups: ['sexual'],
    characteristics: ['domesticAbuse'],
    caseFlags: [],
  })
  t.equal(getItem('R11.1')?.appliesTo.vcsOnly, true)
  t.same(getItem('R11.1')?.timeLimit, { standard: 10, enhanced: 10 })
  t.same(getItem('R11.2')?.timeLimit, { standard: 20, enhanced: 20 })
  t.same(getItem('V15-N01')?.timeLimit, { standard: 40, enhanced: 40 })
  t.same(getItem('R8.2')?.timeLimit, { standard: 1, enhanced: 1 })
  t.equal(getItem('V15-B01')?.agency, 'other', 'Parole Board')
  t.equal(getItem('R12.1')?.agency, 'other', 'all agencies')
  t.same(getItem('R6.5')?.alsoTriggeredBy, ['released_under_investigation', 'bail_changed'])
  t.equal(getItem('V15-P05')?.timing, '5 working days (1 if enhanced)')
  t.equal(getItem('R8.2')?.timing, '1 working day of receipt, for all victims')
  t.equal(getItem('R11.1')?.timing, '10 working days of sentence')
  t.equal(getItem('R1.1')?.timing, 'No fixed limit')
  t.equal(getItem('R8.1')?.timing, '5 working days')
  t.equal(getItem('nope'), undefined)
})

t.test('MoJ measures and themes', async (t) => {
  t.same(
    mojMeasures.map((m) => m.id),
    ['written_acknowledgement', 'support_referral', 'timely_updates', 'vps_offered', 'release_information'],
  )
  t.same(
    themes.map((th) => th.name),
    ['Care and Respect', 'Enhanced Support', 'Communication and Information', 'Engagement and Collaboration'],
  )
  for (const edition of ['2015', '2020'] as const) {
    const used = new Set(getFramework(edition).items.map((i) => i.mojMeasure))
    for (const m of mojMeasures) t.ok(used.has(m.id), `${edition} feeds ${m.id}`)
    const themesUsed = new Set(getFramework(edition).items.map((i) => i.theme))
    t.equal(themesUsed.size, 4, `${edition} uses all four themes`)
  }
  t.equal(themeName('nonsense'), undefined)
})

t.test('crosswalk', async (t) => {
  const pairs = crosswalk.map((c) => `${c.from2015}>${c.to2020}`)
  for (const pair of ['V15-P06>R6.2', 'V15-P14>R7.1', 'V15-P01>R3.1', 'V15-P03>R4.2', 'V15-X01>R12.1']) {
    t.ok(pairs.includes(pair), pair)
  }
  t.same(
    counterparts('R6.10').map((c) => c.from2015),
    ['V15-C01', 'V15-C02', 'V15-C03'],
  )
  t.same(
    counterparts('V15-P06').map((c) => c.to2020),
    ['R6.2'],
  )
  t.same(counterparts('V15-P15'), [], 'the Family Liaison Officer has no 2020 item')
})

t.test('editionInForce', async (t) => {
  t.equal(editionInForce('2015-11-16'), '2015')
  t.equal(editionInForce('2014-01-01'), null, 'before the 2015 Code, no edition (reference §1: in force 16 Nov 2015)')
  t.equal(editionInForce('2015-11-15'), null)
  t.equal(editionInForce('2021-03-31'), '2015')
  t.equal(editionInForce('2021-04-01'), '2020')
  t.equal(editionInForce('2026-01-01'), '2020')
  t.throws(() => editionInForce('2021-02-30'), { name: 'RangeError', message: /2021-02-30/ })
  t.throws(() => getFramework('2019' as '2015'), { name: 'RangeError', message: /2019/ })
})

/** A deep copy of the real data with one change applied to the 2020 framework. */
function broken(change: (items: FrameworkItem[], data: { crosswalk: object[] }) => void): FrameworkData {
  const copy = structuredClone({ frameworks, crosswalk }) as unknown as {
    frameworks: Record<'2015' | '2020', Framework & { items: FrameworkItem[] }>
    crosswalk: object[]
  }
  change(copy.frameworks['2020'].items, copy)
  return copy as unknown as FrameworkData
}

t.test('broken data is rejected with a message naming the fault', async (t) => {
  const cases: Array<[string, (items: FrameworkItem[], data: { crosswalk: object[] }) => void, RegExp]> = [
    ['duplicate id', (items) => items.push({ ...(items[0] as FrameworkItem) }), /duplicate item id R1\.1/],
    [
      'id reused for another item',
      (items) => Object.assign(items[0] as object, { id: 'R6.1', right: 6 }),
      /duplicate item id R6\.1/,
    ],
    [
      'crosswalk to a missing item',
      (_, d) => d.crosswalk.push({ from2015: 'V15-P06', to2020: 'R99.1', match: 'partial', note: null }),
      /R99\.1 is not a 2020 item/,
    ],
    [
      'crosswalk from the wrong edition',
      (_, d) => d.crosswalk.push({ from2015: 'R6.2', to2020: 'R6.2', match: 'equivalent', note: null }),
      /R6\.2 is not a 2015 item/,
    ],
    [
      'crosswalk pair twice',
      (_, d) => d.crosswalk.push({ from2015: 'V15-P06', to2020: 'R6.2', match: 'equivalent', note: null }),
      /listed twice/,
    ],
    [
      'crosswalk entry malformed',
      (_, d) => d.crosswalk.push({ from2015: 'V15-P06', to2020: 'R6.2', match: 'maybe', note: null }),
      /crosswalk 25\.match/,
    ],
    [
      'zero limit',
      (items) => Object.assign(items[7] as object, { timeLimit: { standard: 0, enhanced: 0 } }),
      /timeLimit\.standard/,
    ],
    [
      'fractional limit',
      (items) => Object.assign(items[7] as object, { timeLimit: { standard: 5, enhanced: 1.5 } }),
      /timeLimit\.enhanced/,
    ],
    [
      'enhanced slower than standard',
      (items) => Object.assign(items[7] as object, { timeLimit: { standard: 1, enhanced: 5 } }),
      /must not exceed/,
    ],
    ['unknown trigger', (items) => Object.assign(items[0] as object, { trigger: 'moon_landing' }), /trigger/],
    [
      'trigger repeated',
      (items) => Object.assign(items[12] as object, { alsoTriggeredBy: ['bailed'] }),
      /repeats the main trigger/,
    ],
    ['unknown agency', (items) => Object.assign(items[0] as object, { agency: 'fire_service' }), /agency/],
    [
      'question without a question mark',
      (items) => Object.assign(items[0] as object, { question: 'Tell them.' }),
      /question must end/,
    ],
    ['id not matching its Right', (items) => Object.assign(items[0] as object, { right: 2 }), /R1\.1 must be R<right>/],
    [
      'empty victim group',
      (items) =>
        Object.assign(items[1] as object, {
          appliesTo: {
            enhancedOnly: false,
            vcsOnly: false,
            requiresEvent: null,
            victims: { offenceGroups: [], characteristics: [], caseFlags: [] },
          },
        }),
      /at least one/,
    ],
    [
      'item filed under the wrong edition',
      (items) => Object.assign(items[0] as object, { edition: '2015', right: null, id: 'V15-Z01' }),
      /V15-Z01 is filed under 2020/,
    ],
  ]
  for (const [name, change, message] of cases) {
    t.throws(() => validateFrameworkData(broken(change)), { message }, name)
  }
  const bad2015 = structuredClone({ frameworks, crosswalk }) as unknown as {
    frameworks: Record<'2015' | '2020', { edition: string; items: Array<Record<string, unknown>> }>
    crosswalk: object[]
  }
  Object.assign(bad2015.frameworks['2015'].items[0] as object, { id: 'P01', right: 3 })
  t.throws(() => validateFrameworkData(bad2015 as unknown as FrameworkData), {
    message: /ids look like V15-P01[\s\S]*2015 items have no Right/,
  })
  const swapped = structuredClone({ frameworks, crosswalk }) as unknown as {
    frameworks: Record<string, { edition: string }>
  }
  ;(swapped.frameworks['2015'] as { edition: string }).edition = '2020'
  t.throws(() => validateFrameworkData(swapped as unknown as FrameworkData), { message: /filed under 2015 says 2020/ })
})

t.test('frameworkTable lists every item of the edition', async (t) => {
  for (const edition of ['2015', '2020'] as const) {
    const table = frameworkTable(edition)
    for (const item of getFramework(edition).items)
      t.match(table, new RegExp(`^${item.id.replace('.', '\\.')} `, 'm'), item.id)
    t.match(table, `version ${edition}.1`)
    const lines = table.split('\n')
    const header = lines.find((l) => l.startsWith('ID ')) as string
    t.ok(header.includes('Limit std/enh') && header.includes('MoJ measure') && header.includes('Confirmed'))
  }
  const table2015 = frameworkTable('2015')
  t.match(table2015, /V15-P03 .* 2\/2 .*opt-out; explicit some/)
  t.match(table2015, /V15-P09 .* bailed \| bail_changed .* 5\/1/)
  t.match(table2015, /V15-C03 .* bereaved/)
  t.match(table2015, /V15-N01 .* 40\/40 .* opt-in .* VCS/)
  t.match(table2015, /V15-P14 .* \(first\) .* choice/)
  t.match(table2015, /in force 2015-11-16 to 2021-03-31/)
  t.match(frameworkTable('2020'), /in force 2021-04-01 to date/)
})

t.test('the print-framework command prints the table', async (t) => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'audits/print-framework.ts', ...args], { encoding: 'utf8' })
  const ok = run(['2020'])
  t.equal(ok.status, 0)
  t.equal(ok.stdout, frameworkTable('2020'))
  const bad = run(['2019'])
  t.equal(bad.status, 2)
  t.match(bad.stderr, /Usage/)
  t.equal(bad.stdout, '')
})
