// Reference values: reference/statistics.md and the textbook tables of test/audits/agreement.test.ts
// (Feinstein & Cicchetti Table B: 85% agreement, κ = 0.318, AC1 = 0.808; Gwet's paradox table).
// The interval's standard error, Cohen (1960): sqrt(p_a(1 − p_a) / (n(1 − p_e)²)); for
// Wikipedia's table [[20, 5], [10, 15]] p_a = 0.7, p_e = 0.5, n = 50: se = 0.129615, so
// 0.4 ± 1.959964 × 0.129615 = 0.145959 to 0.654041 (worked by hand).
import t from 'tap'
import { kappaInterval, summariseAgreement, summariseBy } from '../../audits/agreement-summary.ts'
import type { Pair } from '../../audits/agreement.ts'

function pairsOf(cats: string[], table: number[][]): Pair[] {
  const out: Pair[] = []
  table.forEach((row, i) => {
    row.forEach((count, j) => {
      for (let k = 0; k < count; k++) out.push([cats[i] as string, cats[j] as string])
    })
  })
  return out
}

t.test('worked values', async (t) => {
  const wiki = summariseAgreement(
    pairsOf(
      ['yes', 'no'],
      [
        [20, 5],
        [10, 15],
      ],
    ),
  )
  t.equal(wiki.n, 50)
  t.equal(wiki.agreed, 35)
  t.equal(wiki.percent, 0.7)
  t.ok(Math.abs((wiki.kappa as number) - 0.4) < 1e-12)
  t.equal(wiki.label, 'fair')
  t.ok(Math.abs((wiki.interval as [number, number])[0] - 0.145959) < 1e-5)
  t.ok(Math.abs((wiki.interval as [number, number])[1] - 0.654041) < 1e-5)
  t.notOk(wiki.paradox)
  t.notOk(wiki.smallN)

  // Prevalence paradox: 85% agreement, kappa 0.318 (fair), AC1 0.808.
  const b = summariseAgreement(
    pairsOf(
      ['yes', 'no'],
      [
        [80, 10],
        [5, 5],
      ],
    ),
  )
  t.ok(Math.abs((b.kappa as number) - 0.3181818181818182) < 1e-12)
  t.ok(Math.abs((b.ac1 as number) - 0.808) < 1e-12)
  t.ok(b.paradox)
  // The 95%-met audit table of statistics.md: kappa below 0, AC1 0.947.
  const met = summariseAgreement(
    pairsOf(
      ['met', 'not_met'],
      [
        [95, 3],
        [2, 0],
      ],
    ),
  )
  t.equal(met.label, 'poor')
  t.ok(met.paradox)
  t.ok(Math.abs((met.ac1 as number) - 0.9474375821287779) < 1e-12)
})

t.test('edges: nothing to compute, one category, perfect agreement', async (t) => {
  const none = summariseAgreement([])
  t.same(
    [none.percent, none.kappa, none.label, none.interval, none.ac1, none.paradox, none.smallN],
    [null, null, 'n/a', null, null, false, true],
  )
  const allMet = summariseAgreement(pairsOf(['met'], [[4]]))
  t.equal(allMet.percent, 1)
  t.equal(allMet.kappa, null)
  t.equal(allMet.interval, null)
  t.ok(allMet.smallN)
  const perfect = kappaInterval(
    pairsOf(
      ['a', 'b'],
      [
        [3, 0],
        [0, 3],
      ],
    ),
  )
  t.same(perfect, [1, 1])
  // Wide intervals are clipped to the range kappa can take.
  const wide = kappaInterval(
    pairsOf(
      ['a', 'b'],
      [
        [1, 1],
        [1, 1],
      ],
    ),
  ) as [number, number]
  t.ok(wide[0] >= -1 && wide[1] <= 1)
})

t.test('grouping', async (t) => {
  const rows = [
    { item: 'R2', a: 'met', b: 'met' },
    { item: 'R1', a: 'met', b: 'not_met' },
    { item: 'R1', a: 'met', b: 'met' },
  ]
  const out = summariseBy(
    rows,
    (r) => r.item,
    (r) => [r.a, r.b],
  )
  t.same(
    out.map((g) => [g.key, g.summary.n, g.summary.agreed]),
    [
      ['R1', 2, 1],
      ['R2', 1, 1],
    ],
  )
})
