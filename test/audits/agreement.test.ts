// Reference values were computed independently in Python 3.11 with exact fractions
// (fractions.Fraction) from each contingency table, rows = first marker, columns = second:
//   p_a = Σ diagonal / n;  kappa = (p_a − p_e)/(1 − p_e), p_e = Σ row_c·col_c / n²;
//   AC1 with π_c = (row_c + col_c)/2n over the q categories used by either marker;
//   weighted kappa in the usual agreement-weight form, w_ij = 1 − |i − j|/(k − 1) (linear) or
//   1 − (i − j)²/(k − 1)² (quadratic), p_o = Σ w·p_ij, p_e = Σ w·row_i·col_j — a different
//   formulation from the disagreement-weight one in audits/agreement.ts.
// The first eight tables are textbook examples: Wikipedia's "Cohen's kappa" examples (κ = 0.4,
// 0.1304, 0.2593), Feinstein & Cicchetti (1990) Tables A and B (same 85% agreement, κ = 0.70
// against 0.32), Gwet's (2008) paradox table (94.4% agreement, κ = −0.023, AC1 = 0.941), and a
// 95%-"met" audit table. The rest were drawn with random.seed(7).
import t from 'tap'
import fc from 'fast-check'
import { cohenKappa, gwetAC1, kappaLabel, percentAgreement, weightedKappa } from '../../audits/agreement.ts'
import type { Pair } from '../../audits/agreement.ts'

const TABLES: {
  cats: string[]
  table: number[][]
  agreement: number
  kappa: number | null
  ac1: number | null
  linear: number | null
  quadratic: number | null
}[] = [
  {
    cats: ['yes', 'no'],
    table: [
      [20, 5],
      [10, 15],
    ],
    agreement: 0.7,
    kappa: 0.4,
    ac1: 0.40594059405940597,
    linear: 0.4,
    quadratic: 0.4,
  },
  {
    cats: ['yes', 'no'],
    table: [
      [45, 15],
      [25, 15],
    ],
    agreement: 0.6,
    kappa: 0.13043478260869565,
    ac1: 0.26605504587155965,
    linear: 0.13043478260869565,
    quadratic: 0.13043478260869565,
  },
  {
    cats: ['yes', 'no'],
    table: [
      [25, 35],
      [5, 35],
    ],
    agreement: 0.6,
    kappa: 0.25925925925925924,
    ac1: 0.2079207920792079,
    linear: 0.25925925925925924,
    quadratic: 0.25925925925925924,
  },
  {
    cats: ['yes', 'no'],
    table: [
      [40, 9],
      [6, 45],
    ],
    agreement: 0.85,
    kappa: 0.6995192307692307,
    ac1: 0.7007481296758105,
    linear: 0.6995192307692307,
    quadratic: 0.6995192307692307,
  },
  {
    cats: ['yes', 'no'],
    table: [
      [80, 10],
      [5, 5],
    ],
    agreement: 0.85,
    kappa: 0.3181818181818182,
    ac1: 0.808,
    linear: 0.3181818181818182,
    quadratic: 0.3181818181818182,
  },
  {
    cats: ['yes', 'no'],
    table: [
      [118, 5],
      [2, 0],
    ],
    agreement: 0.944,
    kappa: -0.023391812865497075,
    ac1: 0.9407763376087177,
    linear: -0.023391812865497075,
    quadratic: -0.023391812865497075,
  },
  {
    cats: ['met', 'not_met'],
    table: [
      [95, 3],
      [2, 0],
    ],
    agreement: 0.95,
    kappa: -0.02459016393442623,
    ac1: 0.9474375821287779,
    linear: -0.02459016393442623,
    quadratic: -0.02459016393442623,
  },
  {
    cats: ['met', 'not_met'],
    table: [
      [0, 10],
      [10, 0],
    ],
    agreement: 0.0,
    kappa: -1.0,
    ac1: -1.0,
    linear: -1.0,
    quadratic: -1.0,
  },
  {
    cats: ['met', 'partially_met', 'not_met'],
    table: [
      [10, 2, 0],
      [1, 5, 1],
      [0, 2, 9],
    ],
    agreement: 0.8,
    kappa: 0.6974789915966386,
    ac1: 0.7016162453377538,
    linear: 0.784688995215311,
    quadratic: 0.8634294385432474,
  },
  {
    cats: ['met', 'partially_met', 'not_met'],
    table: [
      [50, 3, 1],
      [2, 1, 0],
      [0, 0, 1],
    ],
    agreement: 0.896551724137931,
    kappa: 0.35793357933579334,
    ac1: 0.8875151515151515,
    linear: 0.42165242165242167,
    quadratic: 0.4892367906066536,
  },
  {
    cats: ['met', 'partially_met', 'not_met', 'not_evidenced'],
    table: [
      [12, 0, 1, 8],
      [1, 11, 9, 0],
      [8, 3, 1, 1],
      [6, 6, 1, 7],
    ],
    agreement: 0.41333333333333333,
    kappa: 0.2071119654012494,
    ac1: 0.22209562723451068,
    linear: 0.1003722597545843,
    quadratic: 0.007374728386119708,
  },
  {
    cats: ['met', 'partially_met', 'not_met'],
    table: [
      [1, 4, 0],
      [1, 20, 5],
      [4, 0, 18],
    ],
    agreement: 0.7358490566037735,
    kappa: 0.5500303214069133,
    ac1: 0.6262435461528775,
    linear: 0.49683544303797467,
    quadratic: 0.42343096234309624,
  },
  {
    cats: ['1', '2', '3', '4', '5'],
    table: [
      [7, 0, 0, 0, 0],
      [0, 17, 0, 0, 0],
      [0, 0, 11, 0, 0],
      [0, 0, 0, 21, 0],
      [0, 0, 0, 0, 9],
    ],
    agreement: 1.0,
    kappa: 1.0,
    ac1: 1.0,
    linear: 1.0,
    quadratic: 1.0,
  },
  {
    cats: ['a', 'b'],
    table: [
      [22, 3],
      [1, 18],
    ],
    agreement: 0.9090909090909091,
    kappa: 0.817047817047817,
    ac1: 0.819672131147541,
    linear: 0.817047817047817,
    quadratic: 0.817047817047817,
  },
  {
    cats: ['met', 'partially_met', 'not_met', 'not_evidenced'],
    table: [
      [28, 2, 5, 3],
      [2, 19, 0, 0],
      [4, 3, 5, 2],
      [1, 3, 3, 1],
    ],
    agreement: 0.654320987654321,
    kappa: 0.4884979702300406,
    ac1: 0.5541722635389706,
    linear: 0.42621015348288077,
    quadratic: 0.3767233087528054,
  },
  {
    cats: ['met', 'partially_met', 'not_met'],
    table: [
      [18, 5, 5],
      [5, 19, 7],
      [7, 1, 26],
    ],
    agreement: 0.6774193548387096,
    kappa: 0.5141065830721003,
    ac1: 0.5177182368193605,
    linear: 0.5008944543828264,
    quadratic: 0.4882441220610305,
  },
  {
    cats: ['met', 'partially_met', 'not_met'],
    table: [
      [15, 1, 0],
      [4, 20, 9],
      [7, 4, 22],
    ],
    agreement: 0.6951219512195121,
    kappa: 0.5403587443946188,
    ac1: 0.5459579180509413,
    linear: 0.5486756105951153,
    quadratic: 0.5573808965031682,
  },
  {
    cats: ['1', '2', '3', '4', '5'],
    table: [
      [11, 0, 7, 5, 2],
      [1, 15, 0, 3, 4],
      [2, 3, 12, 6, 7],
      [1, 2, 7, 12, 8],
      [4, 2, 6, 8, 8],
    ],
    agreement: 0.4264705882352941,
    kappa: 0.279494668206208,
    ac1: 0.28415618594528935,
    linear: 0.2979844090174872,
    quadratic: 0.31936868979923405,
  },
  {
    cats: ['1', '2', '3', '4', '5'],
    table: [
      [21, 6, 3, 2, 1],
      [2, 4, 3, 3, 0],
      [7, 9, 5, 4, 4],
      [0, 2, 6, 17, 5],
      [9, 9, 5, 2, 22],
    ],
    agreement: 0.45695364238410596,
    kappa: 0.3186220559101915,
    ac1: 0.32330940068177316,
    linear: 0.39858835391983866,
    quadratic: 0.45078681710213775,
  },
  {
    cats: ['met', 'partially_met', 'not_met'],
    table: [
      [27, 4, 3],
      [3, 12, 3],
      [0, 3, 20],
    ],
    agreement: 0.7866666666666666,
    kappa: 0.6725784447476125,
    ac1: 0.6838569452677337,
    linear: 0.7280015270089711,
    quadratic: 0.7764397281507094,
  },
  {
    cats: ['1', '2', '3', '4', '5'],
    table: [
      [2, 0, 0, 0, 0],
      [0, 19, 0, 0, 0],
      [0, 0, 30, 0, 0],
      [0, 0, 0, 4, 0],
      [0, 0, 0, 0, 3],
    ],
    agreement: 1.0,
    kappa: 1.0,
    ac1: 1.0,
    linear: 1.0,
    quadratic: 1.0,
  },
  {
    cats: ['1', '2', '3', '4', '5'],
    table: [
      [14, 7, 7, 4, 1],
      [2, 3, 5, 4, 7],
      [2, 8, 0, 3, 8],
      [5, 2, 8, 29, 0],
      [8, 4, 1, 4, 16],
    ],
    agreement: 0.40789473684210525,
    kappa: 0.24603174603174602,
    ac1: 0.26328331684068096,
    linear: 0.26888121179909646,
    quadratic: 0.28854111188496046,
  },
  {
    cats: ['met', 'partially_met', 'not_met', 'not_evidenced'],
    table: [
      [11, 3, 8, 8],
      [8, 10, 3, 9],
      [3, 3, 26, 6],
      [3, 3, 8, 15],
    ],
    agreement: 0.4881889763779528,
    kappa: 0.31191131116112364,
    ac1: 0.3207438492553279,
    linear: 0.2915102951617811,
    quadratic: 0.27503214193880177,
  },
  {
    cats: ['met', 'partially_met', 'not_met', 'not_evidenced'],
    table: [
      [0, 4, 7, 4],
      [3, 22, 5, 7],
      [5, 5, 2, 3],
      [1, 3, 7, 6],
    ],
    agreement: 0.35714285714285715,
    kappa: 0.09424920127795527,
    ac1: 0.1590916113085123,
    linear: 0.05961989065347566,
    quadratic: 0.03559127439724455,
  },
  {
    cats: ['met', 'partially_met', 'not_met', 'not_evidenced'],
    table: [
      [19, 2, 0, 1],
      [2, 11, 2, 0],
      [2, 0, 29, 1],
      [2, 0, 1, 28],
    ],
    agreement: 0.87,
    kappa: 0.8219421996986714,
    ac1: 0.8282127518995706,
    linear: 0.8323754789272031,
    quadratic: 0.8336685749651864,
  },
  {
    cats: ['a', 'b'],
    table: [
      [20, 2],
      [0, 25],
    ],
    agreement: 0.9574468085106383,
    kappa: 0.9140767824497258,
    ac1: 0.9158460161145927,
    linear: 0.9140767824497258,
    quadratic: 0.9140767824497258,
  },
  {
    cats: ['1', '2', '3', '4', '5'],
    table: [
      [23, 0, 1, 1, 1],
      [0, 4, 4, 3, 1],
      [4, 4, 15, 2, 1],
      [4, 4, 1, 0, 0],
      [0, 4, 1, 3, 27],
    ],
    agreement: 0.6388888888888888,
    kappa: 0.5300680575700101,
    ac1: 0.5532634202606493,
    linear: 0.6016307513104252,
    quadratic: 0.6719478098788444,
  },
  {
    cats: ['a', 'b'],
    table: [
      [6, 0],
      [4, 6],
    ],
    agreement: 0.75,
    kappa: 0.5294117647058824,
    ac1: 0.5,
    linear: 0.5294117647058824,
    quadratic: 0.5294117647058824,
  },
  {
    cats: ['met', 'partially_met', 'not_met', 'not_evidenced'],
    table: [
      [24, 4, 2, 2],
      [4, 13, 1, 0],
      [5, 2, 28, 3],
      [5, 4, 4, 13],
    ],
    agreement: 0.6842105263157895,
    kappa: 0.5710702341137124,
    ac1: 0.5819851630536269,
    linear: 0.5702632554690397,
    quadratic: 0.5620505255393694,
  },
  {
    cats: ['a', 'b'],
    table: [
      [16, 4],
      [0, 27],
    ],
    agreement: 0.9148936170212766,
    kappa: 0.8212927756653993,
    ac1: 0.8386266094420601,
    linear: 0.8212927756653993,
    quadratic: 0.8212927756653993,
  },
  {
    cats: ['1', '2', '3', '4', '5'],
    table: [
      [19, 0, 2, 2, 2],
      [7, 19, 1, 0, 5],
      [7, 1, 28, 0, 3],
      [3, 4, 0, 24, 1],
      [7, 0, 1, 7, 10],
    ],
    agreement: 0.6535947712418301,
    kappa: 0.5672199391578161,
    ac1: 0.5675920679886686,
    linear: 0.5082548141636678,
    quadratic: 0.44714038128249567,
  },
  {
    cats: ['a', 'b'],
    table: [
      [14, 4],
      [4, 25],
    ],
    agreement: 0.8297872340425532,
    kappa: 0.6398467432950191,
    ac1: 0.6772532188841202,
    linear: 0.6398467432950191,
    quadratic: 0.6398467432950191,
  },
]

function pairsOf(cats: string[], table: number[][]): Pair[] {
  const pairs: Pair[] = []
  table.forEach((row, i) => {
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++) pairs.push([cats[i] as string, cats[j] as string])
    })
  })
  return pairs
}

const near = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-12

t.test('coefficients match independent values', (t) => {
  for (const r of TABLES) {
    const pairs = pairsOf(r.cats, r.table)
    const label = JSON.stringify(r.table)
    t.ok(near(percentAgreement(pairs), r.agreement), `${label} agreement`)
    t.ok(near(cohenKappa(pairs), r.kappa), `${label} kappa ${cohenKappa(pairs)} vs ${r.kappa}`)
    t.ok(near(gwetAC1(pairs), r.ac1), `${label} AC1 ${gwetAC1(pairs)} vs ${r.ac1}`)
    t.ok(near(weightedKappa(pairs, r.cats, 'linear'), r.linear), `${label} linear`)
    t.ok(near(weightedKappa(pairs, r.cats, 'quadratic'), r.quadratic), `${label} quadratic`)
  }
  t.end()
})

t.test('the prevalence paradox: high agreement, low kappa, high AC1', (t) => {
  const pairs = pairsOf(
    ['met', 'not_met'],
    [
      [95, 3],
      [2, 0],
    ],
  )
  t.equal(percentAgreement(pairs), 0.95)
  t.equal(kappaLabel(cohenKappa(pairs)), 'poor')
  t.equal(kappaLabel(gwetAC1(pairs)), 'almost perfect')
  t.end()
})

t.test('undefined cases give null', (t) => {
  t.equal(percentAgreement([]), null)
  t.equal(cohenKappa([]), null)
  t.equal(gwetAC1([]), null)
  t.equal(weightedKappa([], ['a', 'b'], 'linear'), null)
  // Both markers used only "met": p_e = 1 for kappa, q = 1 for AC1.
  const allMet: Pair[] = [
    ['met', 'met'],
    ['met', 'met'],
    ['met', 'met'],
  ]
  t.equal(percentAgreement(allMet), 1)
  t.equal(cohenKappa(allMet), null)
  t.equal(gwetAC1(allMet), null)
  t.equal(weightedKappa(allMet, ['met', 'partially_met', 'not_met'], 'quadratic'), null)
  t.equal(kappaLabel(cohenKappa(allMet)), 'n/a')
  // Each marker constant but different: p_e = 0, kappa = 0; AC1 has q = 2.
  const split: Pair[] = [
    ['met', 'not_met'],
    ['met', 'not_met'],
  ]
  t.equal(cohenKappa(split), 0)
  t.equal(gwetAC1(split), -1)
  t.end()
})

t.test('perfect agreement is 1 whenever defined', (t) => {
  const pairs: Pair[] = [
    ['a', 'a'],
    ['b', 'b'],
    ['c', 'c'],
    ['a', 'a'],
  ]
  t.equal(cohenKappa(pairs), 1)
  t.equal(gwetAC1(pairs), 1)
  t.equal(weightedKappa(pairs, ['a', 'b', 'c'], 'linear'), 1)
  t.equal(weightedKappa(pairs, ['c', 'b', 'a'], 'quadratic'), 1, 'direction of order does not matter')
  t.end()
})

t.test('weightedKappa: near misses cost less than far ones', (t) => {
  const order = ['met', 'partially_met', 'not_met']
  const base: Pair[] = [
    ['met', 'met'],
    ['partially_met', 'partially_met'],
    ['not_met', 'not_met'],
    ['met', 'met'],
    ['not_met', 'not_met'],
  ]
  const near: Pair[] = [...base, ['met', 'partially_met']]
  const far: Pair[] = [...base, ['met', 'not_met']]
  for (const w of ['linear', 'quadratic'] as const) {
    t.ok((weightedKappa(near, order, w) as number) > (weightedKappa(far, order, w) as number), w)
  }
  t.end()
})

t.test('weightedKappa rejects bad arguments, naming them', (t) => {
  const pairs: Pair[] = [['a', 'b']]
  t.throws(() => weightedKappa(pairs, ['a', 'b'], 'cubic' as 'linear'), { name: 'RangeError', message: /^weights/ })
  t.throws(() => weightedKappa(pairs, ['a'], 'linear'), { name: 'RangeError', message: /^order/ })
  t.throws(() => weightedKappa(pairs, ['a', 'b', 'a'], 'linear'), {
    name: 'RangeError',
    message: /^order lists category "a" twice/,
  })
  t.throws(() => weightedKappa([['a', 'z']], ['a', 'b'], 'linear'), {
    name: 'RangeError',
    message: /^pairs use category "z"/,
  })
  t.end()
})

t.test('kappaLabel follows Landis and Koch', (t) => {
  const cases: [number | null, string][] = [
    [null, 'n/a'],
    [-1, 'poor'],
    [-0.01, 'poor'],
    [0, 'slight'],
    [0.2, 'slight'],
    [0.205, 'fair'],
    [0.21, 'fair'],
    [0.4, 'fair'],
    [0.41, 'moderate'],
    [0.6, 'moderate'],
    [0.61, 'substantial'],
    [0.8, 'substantial'],
    [0.81, 'almost perfect'],
    [1, 'almost perfect'],
  ]
  for (const [k, label] of cases) t.equal(kappaLabel(k), label, String(k))
  t.throws(() => kappaLabel(Number.NaN), { name: 'RangeError', message: /^k / })
  t.throws(() => kappaLabel(1.01), { name: 'RangeError', message: /^k / })
  t.end()
})

t.test('agreement properties', (t) => {
  const cat = fc.constantFrom('met', 'partially_met', 'not_met', 'not_evidenced')
  const pairs = fc.array(fc.tuple(cat, cat), { minLength: 1, maxLength: 60 })
  const order = ['met', 'partially_met', 'not_met', 'not_evidenced']
  fc.assert(
    fc.property(pairs, (ps) => {
      const reversed = ps.map(([a, b]): Pair => [b, a])
      const shuffled = [...ps].reverse()
      const k = cohenKappa(ps)
      const a = gwetAC1(ps)
      const pa = percentAgreement(ps) as number
      return (
        // Swapping the markers or reordering the items changes nothing.
        k === cohenKappa(reversed) &&
        k === cohenKappa(shuffled) &&
        a === gwetAC1(reversed) &&
        near(weightedKappa(ps, order, 'linear'), weightedKappa(reversed, order, 'linear')) &&
        pa >= 0 &&
        pa <= 1 &&
        (k === null || (k >= -1 && k <= 1)) &&
        (a === null || (a >= -1 && a <= 1)) &&
        // With two categories every weighting is the same as plain kappa.
        near(
          weightedKappa(
            ps.filter(([x, y]) => x !== 'not_met' && y !== 'not_met' && x !== 'not_evidenced' && y !== 'not_evidenced'),
            ['met', 'partially_met'],
            'quadratic',
          ),
          cohenKappa(
            ps.filter(([x, y]) => x !== 'not_met' && y !== 'not_met' && x !== 'not_evidenced' && y !== 'not_evidenced'),
          ),
        )
      )
    }),
    { numRuns: 1000 },
  )
  t.end()
})
