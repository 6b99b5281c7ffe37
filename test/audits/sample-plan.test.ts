import t from 'tap'
import {
  achievedMargin,
  confidencePhrase,
  explainSample,
  formatFractionMargin,
  formatMargin,
  planStrata,
  precisionTable,
  sizeFor,
} from '../../audits/sample-plan.ts'

t.test('sample sizes for the planner’s margins and confidence levels', async (t) => {
  // Worked values from reference/statistics.md: N = 500 needs 218 at ±5 and 81 at ±10 (95%).
  t.equal(sizeFor(500, 50, 95), 218)
  t.equal(sizeFor(500, 100, 95), 81)
  const table = precisionTable(500)
  t.same(
    table.map((row) => row.map((c) => [c.marginOfError, c.confidence])),
    [
      [
        [50, 90],
        [50, 95],
        [50, 99],
      ],
      [
        [75, 90],
        [75, 95],
        [75, 99],
      ],
      [
        [100, 90],
        [100, 95],
        [100, 99],
      ],
    ],
  )
  t.equal(table[0]?.[1]?.sampleSize, 218)
  for (const row of table)
    t.ok(
      (row[0]?.sampleSize ?? 0) <= (row[1]?.sampleSize ?? 0) && (row[1]?.sampleSize ?? 0) <= (row[2]?.sampleSize ?? 0),
      'more confidence needs more cases',
    )
  t.same(
    precisionTable(0)
      .flat()
      .map((c) => c.sampleSize),
    Array(9).fill(0),
    'an empty population needs nothing',
  )
})

t.test('the plain-English explanation', async (t) => {
  t.equal(
    explainSample(218, 50, 95),
    'A sample of 218 gives the compliance rate to within about ±5 percentage points, 19 times in 20.',
  )
  t.equal(
    explainSample(1200, 75, 90),
    'A sample of 1,200 gives the compliance rate to within about ±7.5 percentage points, 9 times in 10.',
  )
  t.equal(confidencePhrase(99), '99 times in 100')
  t.equal(formatMargin(100), '±10')
  t.equal(formatMargin(75), '±7.5')
  t.equal(formatFractionMargin(0.04567), '±4.6')
  t.equal(confidencePhrase(80), '80 times in 100')
})

t.test('the margin a sample achieves', async (t) => {
  t.equal(achievedMargin(0, 100, 95), null)
  t.equal(achievedMargin(100, 100, 95), 0, 'the whole population has no sampling error')
  t.equal(achievedMargin(5, 0, 95), null)
  t.equal(achievedMargin(1, 1, 95), 0)
  const m = achievedMargin(218, 500, 95) as number
  t.ok(m > 0.049 && m <= 0.05, `218 of 500 is within ±5 points (${m})`)
  t.ok(
    (achievedMargin(50, 1000, 95) as number) > (achievedMargin(200, 1000, 95) as number),
    'fewer cases, wider margin',
  )
})

t.test('strata plans add up to the total, respect the minimum and explain a minimum too high', async (t) => {
  const strata = [
    { key: 'a', population: 900 },
    { key: 'b', population: 90 },
    { key: 'c', population: 10 },
  ]
  const plan = planStrata(strata, 100, 'proportional', 5, 95)
  t.ok(plan.ok)
  if (!plan.ok) return
  t.equal(plan.total, 100)
  t.same(
    plan.strata.map((s) => s.take),
    [86, 9, 5],
  )
  t.ok(plan.strata.every((s) => s.margin !== null))
  const equal = planStrata(strata, 30, 'equal', 0, 95)
  t.same(equal.ok && equal.strata.map((s) => s.take), [10, 10, 10])
  const tooHigh = planStrata(strata, 20, 'proportional', 10, 95)
  t.notOk(tooHigh.ok)
  t.match(!tooHigh.ok && tooHigh.message, /minimum of 10 per stratum needs 30 cases, more than the sample of 20/)
})
