// Reported figures against the audit: flagged on either side of the 95% interval, not at its edge,
// "not enough audited cases" below the trend's minimum; and the reading of a reported figure.
import t from 'tap'
import fc from 'fast-check'
import {
  MINIMUM_AUDITED,
  parseReportedMeasure,
  periodText,
  readReported,
  reconcile,
  type ReportedInput,
} from '../../audits/reconciliation.ts'
import { MINIMUM_PER_SIDE } from '../../audits/scoring.ts'
import { wilsonInterval } from '../../audits/proportion-intervals.ts'

t.test('the verdict on each side of the interval and at its edges', async (t) => {
  // 16 of 20: 58.4% to 91.9% (reference/statistics.md).
  const cases: [number, string, boolean][] = [
    [0.5, 'below', true],
    [0.58, 'below', true],
    [0.6, 'inside', false],
    [0.8, 'inside', false],
    [0.919, 'inside', false],
    [0.92, 'above', true],
    [1, 'above', true],
  ]
  for (const [reported, verdict, flagged] of cases) {
    const r = reconcile(reported, 16, 20)
    t.equal(r.verdict, verdict, `${reported * 100}% against 16/20`)
    t.equal(r.flagged, flagged)
  }
  const edges = wilsonInterval(16, 20)
  if (!edges) throw new Error('no interval')
  t.equal(reconcile(edges.lower, 16, 20).verdict, 'inside', 'exactly at the lower edge is inside')
  t.equal(reconcile(edges.upper, 16, 20).verdict, 'inside', 'exactly at the upper edge is inside')
  t.equal(reconcile(edges.lower - 1e-9, 16, 20).verdict, 'below', 'a hair under the lower edge is flagged')
  t.equal(reconcile(edges.upper + 1e-9, 16, 20).verdict, 'above', 'a hair over the upper edge is flagged')
  const r = reconcile(0.92, 16, 20)
  t.equal(r.rate, 0.8)
  t.equal(r.k, 16)
  t.equal(r.n, 20)
  t.throws(() => reconcile(1.2, 1, 20), RangeError)
  t.throws(() => reconcile(Number.NaN, 1, 20), RangeError)
})

t.test('small n: not enough audited cases below the minimum a trend uses, never a flag', async (t) => {
  t.equal(MINIMUM_AUDITED, MINIMUM_PER_SIDE)
  t.equal(reconcile(1, 0, MINIMUM_AUDITED - 1).verdict, 'too_few', '0 of 9 against 100% is too few to say')
  t.equal(reconcile(0.5, 0, 0).verdict, 'too_few')
  t.equal(reconcile(0.5, 0, 0).rate, null)
  t.equal(reconcile(1, 0, MINIMUM_AUDITED).verdict, 'above', 'at the minimum the verdict is given')
  fc.assert(
    fc.property(
      fc
        .integer({ min: 0, max: MINIMUM_AUDITED - 1 })
        .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
      fc.double({ min: 0, max: 1, noNaN: true }),
      ([n, k], reported) => {
        const r = reconcile(reported, k, n)
        t.equal(r.verdict, 'too_few')
        t.equal(r.flagged, false)
      },
    ),
    { numRuns: 200 },
  )
})

t.test('flagged exactly when the reported figure lies outside the Wilson interval', async () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: MINIMUM_AUDITED, max: 2000 })
        .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
      fc.double({ min: 0, max: 1, noNaN: true }),
      ([n, k], reported) => {
        const r = reconcile(reported, k, n)
        const i = wilsonInterval(k, n)
        if (!i) return false
        return r.flagged === (reported < i.lower || reported > i.upper)
      },
    ),
    { numRuns: 500 },
  )
})

const good: ReportedInput = {
  measure: 'moj:vps_offered',
  from: '2024-10',
  to: '2025-03',
  percent: '92',
  cases: '1,204',
}

t.test('a reported figure is read into a measure, a period of whole months and its figures', async (t) => {
  const r = readReported(good, '2025-06-01')
  t.ok(r.ok)
  if (!r.ok) return
  t.equal(r.figure.measure.kind, 'moj')
  t.equal(r.figure.periodFrom, '2024-10-01')
  t.equal(r.figure.periodTo, '2025-03-31')
  t.equal(r.figure.percent, 92)
  t.equal(r.figure.cases, 1204)
  const feb = readReported({ ...good, from: '2024-02', to: '2024-02', percent: '87.5%' }, '2025-06-01')
  t.ok(feb.ok && feb.figure.periodTo === '2024-02-29' && feb.figure.percent === 87.5, 'leap February, a % sign')
  const item = readReported({ ...good, measure: 'item:R6.1' }, '2025-06-01')
  t.ok(item.ok && item.figure.measure.kind === 'item')
  t.equal(periodText('2024-10-01', '2025-03-31'), 'October 2024 to March 2025')
  t.equal(periodText('2024-10-01', '2024-10-31'), 'October 2024')
})

t.test('every problem with a reported figure is named against its field', async (t) => {
  const problems = (input: Partial<ReportedInput>) => {
    const r = readReported({ ...good, ...input }, '2025-06-01')
    return r.ok ? [] : r.problems.map((p) => `${p.field}: ${p.message}`)
  }
  t.same(problems({}), [])
  t.match(problems({ measure: '' }), ['measure: Select the measure'])
  t.match(problems({ measure: 'moj:nonsense' }), [/measure: .* is not a known measure/])
  t.match(problems({ measure: 'item:R99.1' }), [/not a known measure/])
  t.match(problems({ measure: 'vps' }), [/not a known measure/])
  t.match(problems({ from: '2024-13' }), [/^from: Enter the first month/])
  t.match(problems({ to: 'March 2025' }), [/^to: Enter the last month/])
  t.match(problems({ from: '2025-04', to: '2025-03' }), [/^to: The last month must be the same as or after/])
  t.match(problems({ to: '2025-07' }), [/^to: The period must not end after this month/])
  t.match(problems({ percent: '' }), [/^percent: Enter the reported percentage/])
  t.match(problems({ percent: '101' }), [/^percent: Enter the percentage as a number from 0 to 100/])
  t.match(problems({ percent: '92.25' }), [/^percent:/])
  t.match(problems({ percent: '-3' }), [/^percent:/])
  t.match(problems({ cases: '' }), [/^cases: Enter the number of cases/])
  t.match(problems({ cases: '0' }), [/^cases: Enter the number of cases as a whole number/])
  t.match(problems({ cases: '12.5' }), [/^cases:/])
  t.equal(problems({ measure: '', from: '', to: '', percent: '', cases: '' }).length, 5, 'all five at once')
  t.equal(parseReportedMeasure('moj:vps_offered')?.name, 'Offered a Victim Personal Statement')
  t.equal(parseReportedMeasure('item:nope'), null)
})
