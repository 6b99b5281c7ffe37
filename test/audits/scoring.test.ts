import t from 'tap'
import type { Test } from 'tap'
import fc from 'fast-check'
import {
  compliance,
  judgeChange,
  MINIMUM_PER_SIDE,
  itemsForEdition,
  parseDayList,
  quantile,
  ragBand,
  ragBandOf,
  rate,
  timeliness,
  weightedEstimate,
  SMALL_SAMPLE,
} from '../../audits/scoring.ts'
import { stratifiedEstimate } from '../../audits/stratified-estimate.ts'
import { crosswalk } from '../../audits/frameworks/index.ts'

const close = (t: Test, actual: number | null | undefined, expected: number, msg: string, eps = 5e-4) =>
  t.ok(actual != null && Math.abs(actual - expected) < eps, `${msg}: ${actual} ≈ ${expected}`)

t.test('compliance: strict and lenient from counts', async (t) => {
  // 16 met, 2 partially met, 1 not met, 1 not evidenced, 5 not applicable.
  const c = compliance({ met: 16, partial: 2, notMet: 1, notEvidenced: 1, notApplicable: 5 })
  t.equal(c.n, 20, 'not applicable is outside the denominator')
  t.equal(c.strict.k, 16)
  t.equal(c.strict.rate, 0.8)
  t.equal(c.lenient.k, 18, 'lenient counts partially met as met')
  t.equal(c.lenient.rate, 0.9)
  t.equal(c.notApplicable, 5)
  t.equal(c.smallSample, false)
  // Reference values: 16/20 → 58.4% to 91.9%.
  close(t, c.strict.interval?.lower, 0.584, 'strict lower')
  close(t, c.strict.interval?.upper, 0.919, 'strict upper')
})

t.test('compliance: edge cases', async (t) => {
  const none = compliance({ met: 0, partial: 0, notMet: 0, notEvidenced: 0, notApplicable: 7 })
  t.equal(none.n, 0)
  t.equal(none.strict.rate, null, 'n = 0 has no rate, never 0%')
  t.equal(none.strict.interval, null)
  t.equal(none.smallSample, false, 'nothing to flag when there is nothing')
  const allMet = compliance({ met: 12, partial: 0, notMet: 0, notEvidenced: 0, notApplicable: 0 })
  t.equal(allMet.strict.rate, 1)
  t.equal(allMet.strict.interval?.upper, 1)
  t.ok((allMet.strict.interval?.lower ?? 1) < 1, 'all met still has an interval below 100%')
  const allNot = compliance({ met: 0, partial: 0, notMet: 20, notEvidenced: 0, notApplicable: 0 })
  t.equal(allNot.strict.rate, 0)
  t.equal(allNot.strict.interval?.lower, 0)
  close(t, allNot.strict.interval?.upper, 0.161, '0/20 upper (reference 16.1%)')
  const evidence = compliance({ met: 1, partial: 0, notMet: 0, notEvidenced: 3, notApplicable: 0 })
  t.equal(evidence.strict.rate, 0.25, 'not evidenced counts as not met')
  t.equal(
    compliance({ met: 9, partial: 0, notMet: 0, notEvidenced: 0, notApplicable: 0 }).smallSample,
    true,
    `n < ${SMALL_SAMPLE} is a small sample`,
  )
  t.equal(compliance({ met: 10, partial: 0, notMet: 0, notEvidenced: 0, notApplicable: 0 }).smallSample, false)
  t.throws(() => compliance({ met: -1, partial: 0, notMet: 0, notEvidenced: 0, notApplicable: 0 }), RangeError)
  t.same(rate(0, 0), { k: 0, n: 0, rate: null, interval: null })
})

t.test('ragBand: thresholds from the round, compared exactly', async (t) => {
  const std = { green: 95, amber: 80 }
  t.equal(ragBand(19, 20, std), 'green', '95% exactly is green')
  t.equal(ragBand(18, 20, std), 'amber')
  t.equal(ragBand(16, 20, std), 'amber', '80% exactly is amber')
  t.equal(ragBand(15, 20, std), 'red')
  t.equal(ragBand(0, 0, std), 'no_data')
  t.equal(ragBand(15, 20, { green: 75, amber: 50 }), 'green', 'the same figure with lower thresholds')
  t.equal(ragBand(57, 100, { green: 57, amber: 50 }), 'green', 'no floating-point slip at 57%')
  t.equal(ragBandOf(0.95, std), 'green')
  t.equal(ragBandOf(0.8, std), 'amber')
  t.equal(ragBandOf(0.79, std), 'red')
  t.equal(ragBandOf(null, std), 'no_data')
})

t.test('quantile and timeliness', async (t) => {
  t.equal(quantile([3, 5], 0.5), 4)
  close(t, quantile([3, 5], 0.9), 4.8, 'p90 of [3, 5]', 1e-12)
  t.equal(quantile([1, 2, 3, 4], 0.5), 2.5)
  close(t, quantile([1, 2, 3, 4], 0.9), 3.7, 'p90 of 1..4', 1e-12)
  t.equal(quantile([7], 0.9), 7)
  t.equal(quantile([], 0.5), null)
  t.equal(quantile([10, 1, 5], 0.5), 5, 'sorts its input')
  t.throws(() => quantile([1], 1.5), RangeError)
  const tl = timeliness({ onTime: 2, late: 2, lateDays: [3, 5] })
  t.equal(tl.n, 4)
  t.equal(tl.onTime.rate, 0.5)
  t.equal(tl.medianDaysLate, 4)
  close(t, tl.p90DaysLate, 4.8, 'p90 days late', 1e-12)
  const none = timeliness({ onTime: 0, late: 0, lateDays: [] })
  t.equal(none.onTime.rate, null)
  t.equal(none.medianDaysLate, null)
  t.same(parseDayList('3,1,12'), [3, 1, 12])
  t.same(parseDayList(null), [])
  t.same(parseDayList(''), [])
})

t.test('weightedEstimate: hand-computed ratio estimate', async (t) => {
  // North: 100 cases, 2 audited, 20 obligations, 15 met. South: 300 cases, 2 audited, 10, 5 met.
  // Obligations in each population: 100·20/2 = 1000 and 300·10/2 = 1500 → weights 0.4 and 0.6.
  // p = 0.4·0.75 + 0.6·0.5 = 0.6 (the pooled rate would be 20/30 = 66.7%).
  // Var = 0.16·0.98·0.1875/19 + 0.36·(1 − 2/300)·0.25/9 = 0.0114807; se = 0.107148.
  const w = weightedEstimate([
    { population: 100, cases: 2, obligations: 20, met: 15 },
    { population: 300, cases: 2, obligations: 10, met: 5 },
  ])
  close(t, w?.estimate, 0.6, 'estimate', 1e-12)
  close(t, w?.standardError, 0.107148, 'standard error', 1e-6)
  // Wilson on the effective sample size n_eff = 0.6·0.4/0.0114807 = 20.9046 (of 30 obligations).
  close(t, w?.lower, 0.390834, 'lower', 1e-6)
  close(t, w?.upper, 0.778119, 'upper', 1e-6)
  t.equal(w?.observations, 30)
  // All met in every stratum: the interval must not collapse to 100% to 100% (issue 14). With no
  // variance to go on, the effective size is the 6 obligations: Wilson 6/6 = 61.0% to 100%.
  const allMet = weightedEstimate([
    { population: 100, cases: 2, obligations: 4, met: 4 },
    { population: 300, cases: 1, obligations: 2, met: 2 },
  ])
  t.equal(allMet?.estimate, 1)
  close(t, allMet?.lower, 0.609666, 'all met: lower', 1e-6)
  t.equal(allMet?.upper, 1)
  t.same(w?.excluded, [])
  const partial = weightedEstimate([
    { population: 100, cases: 0, obligations: 0, met: 0 },
    { population: 300, cases: 2, obligations: 10, met: 5 },
  ])
  t.same(partial?.excluded, [0], 'a stratum with no audited case is left out')
  t.equal(partial?.estimate, 0.5)
  t.equal(weightedEstimate([{ population: 10, cases: 0, obligations: 0, met: 0 }]), null)
  t.equal(
    weightedEstimate([{ population: 10, cases: 3, obligations: 0, met: 0 }]),
    null,
    'no obligations anywhere: no estimate',
  )
  t.throws(() => weightedEstimate([{ population: 10, cases: 1, obligations: 1, met: 2 }]), RangeError)
})

t.test('itemsForEdition follows the crosswalk', async (t) => {
  t.same(itemsForEdition('R3.1', '2020', '2020'), { ids: ['R3.1'], match: 'same', notes: [] })
  t.same(itemsForEdition('R3.1', '2020', '2015'), { ids: ['V15-P01'], match: 'equivalent', notes: [] })
  const r610 = itemsForEdition('R6.10', '2020', '2015')
  t.same(r610.ids, ['V15-C01', 'V15-C02', 'V15-C03'])
  t.equal(r610.match, 'partial')
  t.ok(r610.notes.length > 0, 'partial matches carry the crosswalk notes')
  t.same(itemsForEdition('V15-W03', '2015', '2020').ids, ['R9.1', 'R9.2'])
  t.same(itemsForEdition('R1.1', '2020', '2015'), { ids: [], match: null, notes: [] }, 'no counterpart: not measured')
  for (const e of crosswalk) {
    t.ok(itemsForEdition(e.to2020, '2020', '2015').ids.includes(e.from2015), `${e.to2020} reaches ${e.from2015}`)
    t.ok(itemsForEdition(e.from2015, '2015', '2020').ids.includes(e.to2020), `${e.from2015} reaches ${e.to2020}`)
  }
})

t.test('properties', async () => {
  const counts = fc.record({
    met: fc.nat(200),
    partial: fc.nat(200),
    notMet: fc.nat(200),
    notEvidenced: fc.nat(200),
    notApplicable: fc.nat(200),
  })
  fc.assert(
    fc.property(counts, (c) => {
      const r = compliance(c)
      if (r.n === 0) return r.strict.rate === null && r.lenient.rate === null
      const s = r.strict
      return (
        (s.rate ?? 2) <= (r.lenient.rate ?? -1) &&
        (s.interval?.lower ?? 2) <= (s.rate ?? -1) &&
        (s.rate ?? 2) <= (s.interval?.upper ?? -1) &&
        r.smallSample === r.n < SMALL_SAMPLE
      )
    }),
  )
  // Not applicable answers never move a rate.
  fc.assert(
    fc.property(counts, fc.nat(50), (c, extra) => {
      const a = compliance(c)
      const b = compliance({ ...c, notApplicable: c.notApplicable + extra })
      return a.strict.rate === b.strict.rate && a.lenient.rate === b.lenient.rate && a.n === b.n
    }),
  )
  // Bands are monotone in the number met.
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }),
      fc.nat(200),
      fc.integer({ min: 50, max: 100 }),
      fc.integer({ min: 0, max: 50 }),
      (n, k0, green, gap) => {
        const k = Math.min(k0, n - 1)
        const order = { no_data: -1, red: 0, amber: 1, green: 2 }
        const t = { green, amber: green - gap }
        return order[ragBand(k, n, t)] <= order[ragBand(k + 1, n, t)]
      },
    ),
  )
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (xs, p, q) => {
        const lo = Math.min(p, q)
        const hi = Math.max(p, q)
        const a = quantile(xs, lo) as number
        const b = quantile(xs, hi) as number
        return a >= Math.min(...xs) && b <= Math.max(...xs) && a <= b + 1e-9
      },
    ),
  )
  const stratum = fc
    .record({
      population: fc.integer({ min: 2, max: 5000 }),
      sampled: fc.integer({ min: 1, max: 200 }),
      metShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map((s) => {
      const sampled = Math.min(s.sampled, s.population)
      return { population: s.population, sampled, met: Math.round(s.metShare * sampled) }
    })
  // With one obligation per case the ratio estimate is the textbook stratified estimate.
  fc.assert(
    fc.property(fc.array(stratum, { minLength: 1, maxLength: 6 }), (strata) => {
      const w = weightedEstimate(
        strata.map((s) => ({ population: s.population, cases: s.sampled, obligations: s.sampled, met: s.met })),
      )
      const st = stratifiedEstimate(strata)
      if (!w || !st) return w === st
      // Same estimate; the interval is Wilson's on the effective size, never a point.
      return (
        Math.abs(w.estimate - st.estimate) < 1e-9 &&
        w.lower <= w.estimate &&
        w.estimate <= w.upper &&
        w.upper - w.lower > 0
      )
    }),
  )
  // Every stratum sampled at the same rate: the weighted estimate is the pooled rate.
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10 }),
      fc.array(
        fc.record({
          cases: fc.integer({ min: 1, max: 30 }),
          perCase: fc.integer({ min: 1, max: 12 }),
          metShare: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      (inverseRate, raw) => {
        const strata = raw.map((s) => {
          const obligations = s.cases * s.perCase
          return {
            population: s.cases * inverseRate,
            cases: s.cases,
            obligations,
            met: Math.round(s.metShare * obligations),
          }
        })
        const w = weightedEstimate(strata)
        const pooled = strata.reduce((a, s) => a + s.met, 0) / strata.reduce((a, s) => a + s.obligations, 0)
        return w !== null && Math.abs(w.estimate - pooled) < 1e-9 && w.lower <= w.estimate && w.estimate <= w.upper
      },
    ),
  )
})

t.test('judgeChange: below the minimum per side a change is "too few cases to say"', async (t) => {
  // 0/2 → 2/2 is "better" by the score interval alone; two cases say nothing about an agency.
  const tiny = judgeChange({ successes: 0, n: 2 }, { successes: 7, n: 7 })
  t.equal(tiny.verdict, 'too few cases to say')
  t.equal(tiny.difference, 1, 'the difference is still reported')
  t.equal(judgeChange({ successes: 0, n: 10 }, { successes: 10, n: 10 }).verdict, 'better', 'ten a side is enough')
  t.equal(
    judgeChange({ successes: 10, n: 10 }, { successes: 0, n: 9 }).verdict,
    'too few cases to say',
    'either side short',
  )
  t.equal(
    judgeChange({ successes: 10, n: 10 }, { successes: 0, n: 9 }, 5).verdict,
    'worse',
    'the minimum is a parameter',
  )
  t.equal(judgeChange({ successes: 5, n: 20 }, { successes: 6, n: 20 }).verdict, 'no clear change')
  t.equal(MINIMUM_PER_SIDE, 10)
})
