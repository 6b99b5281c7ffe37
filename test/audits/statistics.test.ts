// Reference values in the tables below were computed independently in Python 3.11 with the
// standard library only (no scipy): z = statistics.NormalDist().inv_cdf(1 − (1 − c)/2) (Wichura's
// AS241), erfc = math.erfc, and each formula re-typed from reference/statistics.md:
//   Wilson:      centre ± half with p̂ = k/n, clipped to [0, 1];
//   sample size: n0 = z²p(1−p)/e², n = n0/(1 + (n0 − 1)/N) in exact Fraction arithmetic on the
//                float z, ceil, capped at N (every case is ≥ 1e-6 from an integer, so the 1e-9
//                allowance cannot matter);
//   stratified:  Σ W_h p_h over strata with n_h > 0, Var = Σ W_h²(1 − n_h/N_h)p_h(1 − p_h)/(n_h − 1)
//                over n_h ≥ 2;
//   Newcombe:    method 10 for θ = p_b − p_a from the two Wilson intervals.
// Cases beyond the worked ones were drawn with random.seed(20240601).
import t from 'tap'
import fc from 'fast-check'
import { erfc, normalQuantile, twoSidedZ } from '../../audits/normal-distribution.ts'
import { effectiveWilsonInterval, wilsonInterval } from '../../audits/proportion-intervals.ts'
import { sampleSize } from '../../audits/sample-size.ts'
import { stratifiedEstimate } from '../../audits/stratified-estimate.ts'
import { compareProportions } from '../../audits/round-comparison.ts'

const close = (
  t: { ok(pass: boolean, message: string): unknown },
  actual: number,
  expected: number,
  tol: number,
  msg: string,
): void => {
  t.ok(Math.abs(actual - expected) <= tol, `${msg}: ${actual} vs ${expected}`)
}

// [p, NormalDist().inv_cdf(p)]
const QUANTILES: [number, number][] = [
  [1e-300, -37.0470962993612],
  [1e-100, -21.27345356096532],
  [1e-20, -9.262340089798405],
  [1e-10, -6.361340902404056],
  [1e-7, -5.199337582192817],
  [1e-5, -4.2648907939228256],
  [0.001, -3.090232306167813],
  [0.01, -2.3263478740408408],
  [0.02425, -1.9729610513118845],
  [0.025, -1.9599639845400538],
  [0.05, -1.6448536269514726],
  [0.1, -1.2815515655446008],
  [0.2, -0.8416212335729142],
  [0.3, -0.5244005127080407],
  [0.4, -0.2533471031357998],
  [0.45, -0.125661346855074],
  [0.5, 0.0],
  [0.55, 0.12566134685507413],
  [0.6, 0.2533471031357998],
  [0.7, 0.5244005127080407],
  [0.8, 0.8416212335729144],
  [0.9, 1.2815515655446008],
  [0.95, 1.6448536269514715],
  [0.975, 1.9599639845400536],
  [0.99, 2.3263478740408408],
  [0.995, 2.5758293035489],
  [0.999, 3.090232306167813],
  [0.99999, 4.26489079392384],
  [0.9999999, 5.199337582290662],
  [0.9999999999, 6.361340889697421],
]

// [x, math.erfc(x)]
const ERFC: [number, number][] = [
  [-5, 1.9999999999984626],
  [-3, 1.9999779095030015],
  [-1.5, 1.9661051464753108],
  [-0.5, 1.5204998778130465],
  [-0.46875, 1.492613473217938],
  [-0.2, 1.2227025892104786],
  [0, 1.0],
  [0.1, 0.8875370839817152],
  [0.46875, 0.507386526782062],
  [0.47, 0.5062549491139179],
  [1, 0.15729920705028513],
  [2, 0.004677734981047265],
  [3.5, 7.430983723414128e-7],
  [4, 1.541725790028002e-8],
  [4.01, 1.4196939421371052e-8],
  [6, 2.1519736712498916e-17],
  [10, 2.088487583762545e-45],
  [20, 5.3958656116079005e-176],
  [26, 5.663192408856143e-296],
  [27, 5.23705e-319],
]

// [successes, n, confidence, lower, upper]
const WILSON: [number, number, number, number, number][] = [
  [16, 20, 0.95, 0.5839825677481065, 0.9193423374202019],
  [0, 20, 0.95, 0.0, 0.1611251580528193],
  [20, 20, 0.95, 0.8388748419471808, 1.0],
  [1, 1, 0.95, 0.20654931437723745, 1.0],
  [0, 1, 0.95, 0.0, 0.7934506856227626],
  [5, 10, 0.95, 0.23659309051256405, 0.763406909487436],
  [1, 10, 0.9, 0.02263490873086721, 0.3477186673358582],
  [9, 10, 0.99, 0.4927682287671066, 0.988148496588967],
  [3, 3, 0.99, 0.31136815725474704, 1.0],
  [132, 400, 0.999, 0.25801295519546497, 0.4109479150118087],
  [13, 15, 0.95, 0.6211801716767764, 0.9626387408969346],
  [13, 15, 0.999, 0.44448777578742926, 0.9814137562157954],
  [109, 120, 0.8, 0.8688408050027708, 0.9367995030821287],
  [26, 50, 0.95, 0.3851174489004462, 0.6520286471342195],
  [4183, 5000, 0.95, 0.8260940567672184, 0.8465891262833694],
  [0, 2, 0.999, 5.551115123125783e-17, 0.8440857779729045],
  [4, 30, 0.999, 0.03032088104384481, 0.4308275031621105],
  [18, 30, 0.999, 0.31980303267033416, 0.8271564989098595],
  [2, 3, 0.95, 0.20765960080204782, 0.9385080552796038],
  [1, 2, 0.999, 0.04062929512949337, 0.9593707048705067],
  [1715, 5000, 0.99, 0.32592560854184005, 0.36049051078296535],
  [2, 2, 0.99, 0.23161829173072768, 1.0],
  [9, 30, 0.9, 0.1837072270764406, 0.44938249617359904],
  [2, 3, 0.9, 0.25353386828122426, 0.9217342736662715],
  [10, 15, 0.99, 0.3495415536995628, 0.8815665533650208],
  [1, 2, 0.95, 0.09453120573423074, 0.9054687942657693],
  [4, 7, 0.8, 0.3416970536209065, 0.7740118883854743],
  [10, 30, 0.99, 0.1606450272824892, 0.5663911887902144],
  [0, 2, 0.9, 0.0, 0.5749693909936534],
  [12, 15, 0.999, 0.3863201192028647, 0.9621447706179553],
]

// [population, marginOfError, confidence, expectedProportion, n]
const SAMPLE_SIZES: [number, number, number, number, number][] = [
  [500, 0.05, 0.95, 0.5, 218],
  [500, 0.1, 0.95, 0.5, 81],
  [1, 0.05, 0.95, 0.5, 1],
  [10, 0.05, 0.95, 0.5, 10],
  [100000, 0.01, 0.99, 0.5, 14228],
  [1000000000, 0.03, 0.95, 0.5, 1068],
  [60000, 0.2, 0.9, 0.1, 7],
  [40, 0.15, 0.9, 0.35, 17],
  [500, 0.07, 0.99, 0.95, 58],
  [60000, 0.2, 0.99, 0.5, 42],
  [150, 0.02, 0.95, 0.8, 137],
  [60000, 0.15, 0.95, 0.8, 28],
  [8000, 0.05, 0.9, 0.2, 170],
  [1200, 0.03, 0.9, 0.2, 344],
  [150, 0.2, 0.95, 0.2, 15],
  [40, 0.1, 0.99, 0.35, 32],
  [500, 0.01, 0.99, 0.1, 462],
  [8000, 0.2, 0.95, 0.2, 16],
  [40, 0.01, 0.8, 0.1, 39],
  [1000000, 0.03, 0.8, 0.5, 457],
  [40, 0.2, 0.8, 0.5, 9],
  [1000000, 0.1, 0.95, 0.1, 35],
  [150, 0.03, 0.99, 0.5, 139],
  [1000000, 0.02, 0.99, 0.5, 4130],
  [8000, 0.01, 0.95, 0.1, 2415],
  [500, 0.2, 0.8, 0.5, 11],
  [500, 0.03, 0.99, 0.8, 352],
  [1200, 0.1, 0.8, 0.35, 37],
  [8000, 0.1, 0.8, 0.95, 8],
  [150, 0.2, 0.9, 0.1, 6],
]

const STRATIFIED: {
  strata: { population: number; sampled: number; met: number }[]
  confidence: number
  estimate: number
  standardError: number
  lower: number
  upper: number
}[] = [
  {
    strata: [{ population: 1, sampled: 1, met: 0 }],
    confidence: 0.9,
    estimate: 0.0,
    standardError: 0.0,
    lower: 0.0,
    upper: 0.0,
  },
  {
    strata: [{ population: 5, sampled: 3, met: 2 }],
    confidence: 0.9,
    estimate: 0.6666666666666666,
    standardError: 0.21081851067789195,
    lower: 0.31990107474962853,
    upper: 1.0,
  },
  {
    strata: [
      { population: 80, sampled: 58, met: 1 },
      { population: 5, sampled: 5, met: 4 },
      { population: 80, sampled: 58, met: 25 },
    ],
    confidence: 0.9,
    estimate: 0.24158829676071053,
    standardError: 0.01724412891235742,
    lower: 0.21322422877560068,
    upper: 0.26995236474582035,
  },
  {
    strata: [
      { population: 300, sampled: 20, met: 12 },
      { population: 300, sampled: 36, met: 18 },
      { population: 20, sampled: 12, met: 8 },
    ],
    confidence: 0.95,
    estimate: 0.5537634408602151,
    standardError: 0.06511814366243489,
    lower: 0.4261342245417376,
    upper: 0.6813926571786926,
  },
  {
    strata: [
      { population: 300, sampled: 14, met: 7 },
      { population: 80, sampled: 54, met: 29 },
      { population: 2000, sampled: 38, met: 20 },
    ],
    confidence: 0.99,
    estimate: 0.5233590512228283,
    standardError: 0.07043278497021062,
    lower: 0.3419362197660013,
    upper: 0.7047818826796554,
  },
  {
    strata: [{ population: 5, sampled: 2, met: 0 }],
    confidence: 0.99,
    estimate: 0.0,
    standardError: 0.0,
    lower: 0.0,
    upper: 0.0,
  },
  {
    strata: [
      { population: 5, sampled: 1, met: 1 },
      { population: 2000, sampled: 56, met: 27 },
      { population: 5, sampled: 4, met: 4 },
      { population: 80, sampled: 49, met: 30 },
      { population: 300, sampled: 25, met: 0 },
    ],
    confidence: 0.99,
    estimate: 0.4281444795491418,
    standardError: 0.05560675949663044,
    lower: 0.28491095896232504,
    upper: 0.5713780001359585,
  },
  {
    strata: [{ population: 2000, sampled: 20, met: 9 }],
    confidence: 0.9,
    estimate: 0.45,
    standardError: 0.11356078826592808,
    lower: 0.2632091255413201,
    upper: 0.6367908744586799,
  },
  {
    strata: [
      { population: 2000, sampled: 20, met: 2 },
      { population: 80, sampled: 33, met: 11 },
      { population: 1, sampled: 1, met: 1 },
      { population: 300, sampled: 7, met: 2 },
      { population: 1, sampled: 0, met: 0 },
    ],
    confidence: 0.95,
    estimate: 0.13161736765264695,
    standardError: 0.061973744442647964,
    lower: 0.010151060557967648,
    upper: 0.25308367474732624,
  },
  {
    strata: [
      { population: 20, sampled: 4, met: 4 },
      { population: 80, sampled: 51, met: 30 },
      { population: 2000, sampled: 52, met: 26 },
      { population: 80, sampled: 35, met: 2 },
      { population: 300, sampled: 40, met: 10 },
    ],
    confidence: 0.99,
    estimate: 0.46235090810517754,
    standardError: 0.056292954826679176,
    lower: 0.3173498654792628,
    upper: 0.6073519507310923,
  },
  {
    strata: [
      { population: 20, sampled: 7, met: 2 },
      { population: 5, sampled: 4, met: 2 },
      { population: 300, sampled: 55, met: 34 },
      { population: 300, sampled: 44, met: 28 },
      { population: 20, sampled: 16, met: 14 },
    ],
    confidence: 0.95,
    estimate: 0.6233766233766234,
    standardError: 0.042300608081457365,
    lower: 0.540468955012823,
    upper: 0.7062842917404237,
  },
  {
    strata: [
      { population: 300, sampled: 60, met: 11 },
      { population: 1, sampled: 1, met: 1 },
      { population: 80, sampled: 35, met: 19 },
    ],
    confidence: 0.95,
    estimate: 0.2609673790776153,
    standardError: 0.03794335010588529,
    lower: 0.18659977941728612,
    upper: 0.3353349787379445,
  },
  {
    strata: [
      { population: 300, sampled: 41, met: 10 },
      { population: 20, sampled: 10, met: 8 },
      { population: 5, sampled: 1, met: 0 },
      { population: 2000, sampled: 22, met: 9 },
    ],
    confidence: 0.9,
    estimate: 0.3902591612426388,
    standardError: 0.09214761471081034,
    lower: 0.23868982297063565,
    upper: 0.541828499514642,
  },
  {
    strata: [
      { population: 2000, sampled: 26, met: 7 },
      { population: 300, sampled: 34, met: 0 },
      { population: 1, sampled: 1, met: 0 },
      { population: 1, sampled: 1, met: 0 },
    ],
    confidence: 0.9,
    estimate: 0.23391031210318786,
    standardError: 0.07657124718218886,
    lower: 0.10796181845536687,
    upper: 0.3598588057510088,
  },
  {
    strata: [
      { population: 20, sampled: 6, met: 6 },
      { population: 20, sampled: 19, met: 5 },
      { population: 80, sampled: 23, met: 11 },
      { population: 300, sampled: 32, met: 18 },
    ],
    confidence: 0.9,
    estimate: 0.5530333987141767,
    standardError: 0.06255119110552394,
    lower: 0.450145845154121,
    upper: 0.6559209522742324,
  },
  {
    strata: [
      { population: 80, sampled: 28, met: 7 },
      { population: 80, sampled: 10, met: 3 },
      { population: 20, sampled: 8, met: 7 },
      { population: 1, sampled: 1, met: 0 },
      { population: 300, sampled: 8, met: 7 },
    ],
    confidence: 0.99,
    estimate: 0.6735966735966736,
    standardError: 0.08137522092348838,
    lower: 0.4639879949591867,
    upper: 0.8832053522341605,
  },
  {
    strata: [
      { population: 5, sampled: 2, met: 2 },
      { population: 80, sampled: 37, met: 22 },
    ],
    confidence: 0.95,
    estimate: 0.6184419713831479,
    standardError: 0.05646304441703106,
    lower: 0.5077764378682817,
    upper: 0.7291075048980141,
  },
  {
    strata: [
      { population: 300, sampled: 29, met: 7 },
      { population: 5, sampled: 1, met: 1 },
    ],
    confidence: 0.9,
    estimate: 0.25381571509327305,
    standardError: 0.07560121589137615,
    lower: 0.12946278093240177,
    upper: 0.37816864925414434,
  },
  {
    strata: [
      { population: 20, sampled: 8, met: 6 },
      { population: 300, sampled: 12, met: 10 },
      { population: 20, sampled: 20, met: 17 },
      { population: 80, sampled: 26, met: 12 },
      { population: 20, sampled: 13, met: 10 },
    ],
    confidence: 0.95,
    estimate: 0.7597902097902098,
    standardError: 0.07681525838147013,
    lower: 0.6092350698993899,
    upper: 0.9103453496810298,
  },
  {
    strata: [
      { population: 5, sampled: 4, met: 3 },
      { population: 2000, sampled: 47, met: 3 },
      { population: 5, sampled: 1, met: 1 },
      { population: 5, sampled: 3, met: 0 },
      { population: 1, sampled: 1, met: 1 },
    ],
    confidence: 0.9,
    estimate: 0.06815951114488349,
    standardError: 0.03533451680918618,
    lower: 0.010039403014715863,
    upper: 0.1262796192750511,
  },
  {
    strata: [{ population: 80, sampled: 6, met: 2 }],
    confidence: 0.95,
    estimate: 0.3333333333333333,
    standardError: 0.20275875100994065,
    lower: 0.0,
    upper: 0.7307331828631412,
  },
  {
    strata: [
      { population: 1, sampled: 1, met: 0 },
      { population: 2000, sampled: 33, met: 1 },
      { population: 300, sampled: 47, met: 7 },
      { population: 80, sampled: 29, met: 6 },
      { population: 20, sampled: 12, met: 5 },
    ],
    confidence: 0.95,
    estimate: 0.05421573058773626,
    standardError: 0.02583962636160864,
    lower: 0.003570993545011579,
    upper: 0.10486046763046095,
  },
  {
    strata: [
      { population: 5, sampled: 5, met: 1 },
      { population: 5, sampled: 1, met: 1 },
      { population: 300, sampled: 45, met: 26 },
      { population: 300, sampled: 24, met: 13 },
      { population: 1, sampled: 1, met: 0 },
    ],
    confidence: 0.95,
    estimate: 0.5594653573376978,
    standardError: 0.059415342378823156,
    lower: 0.443013426146088,
    upper: 0.6759172885293074,
  },
  {
    strata: [{ population: 5, sampled: 1, met: 0 }],
    confidence: 0.95,
    estimate: 0.0,
    standardError: 0.0,
    lower: 0.0,
    upper: 0.0,
  },
]

// [[a.successes, a.n], [b.successes, b.n], confidence, difference b − a, lower, upper]
const COMPARISONS: [[number, number], [number, number], number, number, number, number][] = [
  [[48, 80], [56, 70], 0.95, 0.20000000000000007, 0.05243147240236498, 0.3338726540369059],
  [[3, 10], [9, 10], 0.95, 0.6000000000000001, 0.17052272393450313, 0.809017973535488],
  [[2, 7], [6, 7], 0.95, 0.5714285714285714, 0.058227927482312425, 0.8062496375242277],
  [[0, 29], [5, 56], 0.95, 0.08928571428571429, -0.03813714790353685, 0.19256001385511157],
  [[0, 20], [0, 10], 0.95, 0.0, -0.1611251580528193, 0.27753279986288915],
  [[0, 10], [0, 10], 0.95, 0.0, -0.27753279986288915, 0.27753279986288915],
  [[0, 20], [10, 10], 0.95, 1.0, 0.6790860371419148, 1.0],
  [[0, 10], [10, 10], 0.95, 1.0, 0.6075093504305243, 1.0],
  [[46, 60], [10, 10], 0.95, 0.23333333333333328, -0.05810168913504532, 0.3543627037760195],
  [[14, 25], [102, 200], 0.99, -0.050000000000000044, -0.28312380759841016, 0.20630450754124047],
  [[8, 10], [59, 60], 0.9, 0.18333333333333324, 0.04098366000974757, 0.4428633004427605],
  [[21, 25], [42, 60], 0.95, -0.14, -0.2976583389629509, 0.07213312952571097],
  [[91, 200], [78, 200], 0.99, -0.065, -0.18857271447144294, 0.06145245538519459],
  [[7, 10], [64, 200], 0.9, -0.37999999999999995, -0.5606333204616093, -0.11562509891692652],
  [[7, 10], [24, 25], 0.95, 0.26, 0.01280374471128945, 0.5650018847595054],
  [[10, 10], [36, 60], 0.99, -0.4, -0.5648640283180164, 0.0243760670622285],
  [[14, 60], [23, 60], 0.99, 0.15000000000000002, -0.0660583926684358, 0.3484384101703307],
  [[0, 25], [37, 60], 0.99, 0.6166666666666667, 0.3495148423191261, 0.7589084376242691],
  [[164, 200], [10, 25], 0.9, -0.41999999999999993, -0.5691882805075121, -0.24967372826210515],
  [[6, 10], [155, 200], 0.95, 0.17500000000000004, -0.06515999203184286, 0.46706102050634624],
  [[0, 10], [17, 25], 0.99, 0.68, 0.20676336373333692, 0.8591885623315474],
  [[90, 200], [2, 10], 0.9, -0.25, -0.3937290301282017, 0.015360064931532191],
  [[4, 10], [1, 60], 0.95, -0.38333333333333336, -0.6709868749938883, -0.14062412532313986],
  [[4, 60], [3, 10], 0.95, 0.23333333333333334, 0.019987294855720178, 0.5392397260556595],
  [[7, 10], [10, 10], 0.95, 0.30000000000000004, -0.03759243457905059, 0.6032218525388546],
  [[15, 60], [8, 60], 0.9, -0.11666666666666667, -0.23274376901813576, 0.0022636653563768844],
  [[55, 60], [11, 60], 0.95, -0.7333333333333333, -0.8243000988506459, -0.5819968821864356],
  [[79, 200], [2, 10], 0.95, -0.195, -0.3541134734902791, 0.12161488910802981],
  [[8, 10], [3, 10], 0.99, -0.5, -0.7723032449507559, 0.051114287115551216],
  [[5, 10], [4, 25], 0.9, -0.33999999999999997, -0.586260786999792, -0.06344003458930741],
  [[10, 10], [48, 60], 0.9, -0.19999999999999996, -0.29703349156525216, 0.024512699707367386],
  [[103, 200], [127, 200], 0.99, 0.12, -0.007133158101113701, 0.24181005918009055],
]

t.test('normalQuantile matches NormalDist().inv_cdf to 1e-9, tails included', (t) => {
  for (const [p, q] of QUANTILES) close(t, normalQuantile(p), q, 1e-9, `p = ${p}`)
  // Far tails and the centre are much tighter than the 1e-9 promised.
  close(t, normalQuantile(1e-10), -6.361340902404056, 1e-13, 'p = 1e-10 tight')
  t.equal(normalQuantile(0.5), 0)
  t.equal(normalQuantile(0.75), -normalQuantile(0.25), 'exactly antisymmetric')
  t.ok(Number.isFinite(normalQuantile(Number.MIN_VALUE)), 'smallest subnormal p still finite')
  t.end()
})

t.test('normalQuantile rejects p outside (0, 1)', (t) => {
  for (const p of [0, 1, -0.1, 1.5, Number.NaN]) t.throws(() => normalQuantile(p), RangeError, `p = ${p}`)
  t.throws(() => normalQuantile(2), { name: 'RangeError', message: /^p / })
  t.end()
})

t.test('normalQuantile inverts Φ (property)', (t) => {
  fc.assert(
    fc.property(fc.double({ min: 1e-300, max: 1, noNaN: true, maxExcluded: true, minExcluded: true }), (p) => {
      const x = normalQuantile(p)
      const phi = 0.5 * erfc(-x / Math.SQRT2)
      // Relative error of Φ(x) against p, measured on the smaller tail where precision lives.
      const tail = Math.min(p, 1 - p)
      const back = p <= 0.5 ? phi : 1 - phi
      return Math.abs(back - tail) <= 1e-12 * tail + 1e-16
    }),
    { numRuns: 2000 },
  )
  t.end()
})

t.test('erfc matches math.erfc', (t) => {
  for (const [x, v] of ERFC) close(t, erfc(x), v, 1e-15 * Math.abs(v) + 1e-320, `x = ${x}`)
  t.equal(erfc(30), 0, 'underflows to 0')
  t.equal(erfc(-30), 2)
  t.throws(() => erfc(Number.NaN), RangeError)
  t.end()
})

t.test('twoSidedZ', (t) => {
  close(t, twoSidedZ(0.95), 1.959963984540054, 1e-15, '95%')
  close(t, twoSidedZ(0.99), 2.5758293035489, 1e-14, '99%')
  for (const c of [0, 1, -0.5, 2, Number.NaN]) {
    t.throws(() => twoSidedZ(c), { name: 'RangeError', message: /^confidence / }, `confidence = ${c}`)
  }
  t.end()
})

t.test('wilsonInterval: worked values from the reference', (t) => {
  const a = wilsonInterval(16, 20)
  t.equal(a && (a.lower * 100).toFixed(1), '58.4')
  t.equal(a && (a.upper * 100).toFixed(1), '91.9')
  const b = wilsonInterval(0, 20)
  t.equal(b?.lower, 0)
  t.equal(b && (b.upper * 100).toFixed(1), '16.1')
  t.end()
})

t.test('wilsonInterval matches independent values', (t) => {
  for (const [k, n, c, lower, upper] of WILSON) {
    const w = wilsonInterval(k, n, c)
    if (w === null) throw new Error('unexpected null')
    close(t, w.lower, lower, 1e-12, `${k}/${n} @${c} lower`)
    close(t, w.upper, upper, 1e-12, `${k}/${n} @${c} upper`)
  }
  t.end()
})

t.test('wilsonInterval: n = 0 gives no estimate; bad arguments throw', (t) => {
  t.equal(wilsonInterval(0, 0), null)
  t.equal(wilsonInterval(0, 0, 0.9), null)
  t.throws(() => wilsonInterval(0, 0, 1), { name: 'RangeError', message: /confidence/ })
  t.throws(() => wilsonInterval(-1, 5), { name: 'RangeError', message: /^successes/ })
  t.throws(() => wilsonInterval(1.5, 5), { name: 'RangeError', message: /^successes/ })
  t.throws(() => wilsonInterval(1, -5), { name: 'RangeError', message: /^n / })
  t.throws(() => wilsonInterval(1, 2.5), { name: 'RangeError', message: /^n / })
  t.throws(() => wilsonInterval(6, 5), { name: 'RangeError', message: /^successes \(6\) must not exceed n/ })
  t.throws(() => wilsonInterval(1, 5, 0), { name: 'RangeError', message: /^confidence/ })
  t.end()
})

t.test('wilsonInterval properties', (t) => {
  const counts = fc
    .integer({ min: 1, max: 100_000 })
    .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)))
  const confidence = fc.double({ min: 0.5, max: 0.9999, noNaN: true })
  fc.assert(
    fc.property(counts, confidence, ([k, n], c) => {
      const w = wilsonInterval(k, n, c)
      if (w === null) return false
      const p = k / n
      return w.lower >= 0 && w.upper <= 1 && w.lower <= p && p <= w.upper
    }),
    { numRuns: 2000 },
  )
  fc.assert(
    fc.property(counts, ([k, n]) => {
      const narrow = wilsonInterval(k, n, 0.9)
      const wide = wilsonInterval(k, n, 0.99)
      if (narrow === null || wide === null) return false
      return wide.lower <= narrow.lower && wide.upper >= narrow.upper
    }),
    { numRuns: 500 },
  )
  t.end()
})

t.test('sampleSize: worked values from the reference', (t) => {
  t.equal(sampleSize({ population: 500, marginOfError: 0.05 }), 218)
  t.equal(sampleSize({ population: 500, marginOfError: 0.1 }), 81)
  t.end()
})

t.test('sampleSize matches independent values', (t) => {
  for (const [population, marginOfError, confidence, expectedProportion, n] of SAMPLE_SIZES) {
    t.equal(
      sampleSize({ population, marginOfError, confidence, expectedProportion }),
      n,
      `N=${population} e=${marginOfError} c=${confidence} p=${expectedProportion}`,
    )
  }
  t.end()
})

t.test('sampleSize edge cases and rounding near an integer', (t) => {
  t.equal(sampleSize({ population: 0, marginOfError: 0.05 }), 0, 'nothing to sample')
  t.equal(sampleSize({ population: 1, marginOfError: 0.05 }), 1)
  t.equal(sampleSize({ population: 10, marginOfError: 0.9 }), 2, 'n0 = 1.19, n = 1.16, so 2')
  t.equal(sampleSize({ population: 10, marginOfError: 0.5, confidence: 0.001 }), 1, 'tiny n0 still one case')
  // Margins chosen so the exact size is an integer n: rounding noise must not add a case.
  // (Without the allowance, 1,276 of these 5,544 cases come out one too large.)
  const z = twoSidedZ(0.95)
  let wrong = 0
  for (const N of [50, 500, 5000]) {
    for (let n = 2; n < N; n++) {
      const n0 = (N - 1) / (N / n - 1)
      if (sampleSize({ population: N, marginOfError: z * Math.sqrt(0.25 / n0) }) !== n) wrong++
    }
  }
  t.equal(wrong, 0)
  t.end()
})

t.test('sampleSize rejects bad arguments, naming them', (t) => {
  const bad: [Parameters<typeof sampleSize>[0], RegExp][] = [
    [{ population: -1, marginOfError: 0.05 }, /^population/],
    [{ population: 10.5, marginOfError: 0.05 }, /^population/],
    [{ population: 100, marginOfError: 0 }, /^marginOfError/],
    [{ population: 100, marginOfError: -0.1 }, /^marginOfError/],
    [{ population: 100, marginOfError: 1 }, /^marginOfError/],
    [{ population: 100, marginOfError: Number.NaN }, /^marginOfError/],
    [{ population: 100, marginOfError: 0.05, confidence: 1 }, /^confidence/],
    [{ population: 100, marginOfError: 0.05, confidence: 0 }, /^confidence/],
    [{ population: 100, marginOfError: 0.05, expectedProportion: 0 }, /^expectedProportion/],
    [{ population: 100, marginOfError: 0.05, expectedProportion: 1 }, /^expectedProportion/],
  ]
  for (const [o, message] of bad) t.throws(() => sampleSize(o), { name: 'RangeError', message }, JSON.stringify(o))
  t.end()
})

t.test('sampleSize properties', (t) => {
  const design = fc.record({
    population: fc.integer({ min: 0, max: 10_000_000 }),
    confidence: fc.constantFrom(0.8, 0.9, 0.95, 0.99, 0.999),
    expectedProportion: fc.double({ min: 0.001, max: 0.999, noNaN: true }),
  })
  const margin = fc.double({ min: 1e-4, max: 0.99, noNaN: true })
  fc.assert(
    fc.property(design, margin, margin, (d, e1, e2) => {
      const [small, large] = e1 <= e2 ? [e1, e2] : [e2, e1]
      const nSmall = sampleSize({ ...d, marginOfError: small })
      const nLarge = sampleSize({ ...d, marginOfError: large })
      return nLarge <= nSmall && nSmall <= d.population && Number.isInteger(nSmall)
    }),
    { numRuns: 3000 },
  )
  t.end()
})

t.test('stratifiedEstimate matches independent values', (t) => {
  for (const c of STRATIFIED) {
    const r = stratifiedEstimate(c.strata, c.confidence)
    if (r === null) throw new Error('unexpected null')
    const label = JSON.stringify(c.strata)
    close(t, r.estimate, c.estimate, 1e-12, `${label} estimate`)
    close(t, r.standardError, c.standardError, 1e-12, `${label} se`)
    close(t, r.lower, c.lower, 1e-12, `${label} lower`)
    close(t, r.upper, c.upper, 1e-12, `${label} upper`)
    t.same(
      r.excluded,
      c.strata.flatMap((s, i) => (s.sampled === 0 ? [i] : [])),
      `${label} excluded`,
    )
  }
  t.end()
})

t.test('stratifiedEstimate weights by population, not by sample', (t) => {
  // 90% of cases in A (all met), 10% in B (none met), sampled equally: pooled would say 50%.
  const r = stratifiedEstimate([
    { population: 900, sampled: 30, met: 30 },
    { population: 100, sampled: 30, met: 0 },
  ])
  t.equal(r?.estimate, 0.9)
  t.equal(r?.standardError, 0)
  t.end()
})

t.test('stratifiedEstimate: unsampled strata are excluded and reported', (t) => {
  const r = stratifiedEstimate([
    { population: 100, sampled: 10, met: 5 },
    { population: 300, sampled: 0, met: 0 },
    { population: 100, sampled: 10, met: 10 },
  ])
  t.same(r?.excluded, [1])
  t.equal(r?.estimate, 0.75, 'weights renormalised over the sampled 200 cases')
  t.equal(stratifiedEstimate([]), null)
  t.equal(stratifiedEstimate([{ population: 10, sampled: 0, met: 0 }]), null)
  t.end()
})

t.test('stratifiedEstimate rejects bad strata, naming them', (t) => {
  const s = (population: number, sampled: number, met: number) => [
    { population: 10, sampled: 5, met: 2 },
    { population, sampled, met },
  ]
  t.throws(() => stratifiedEstimate(s(-1, 0, 0)), { name: 'RangeError', message: /^strata\[1\]\.population/ })
  t.throws(() => stratifiedEstimate(s(10, 1.5, 0)), { name: 'RangeError', message: /^strata\[1\]\.sampled/ })
  t.throws(() => stratifiedEstimate(s(10, 5, -2)), { name: 'RangeError', message: /^strata\[1\]\.met/ })
  t.throws(() => stratifiedEstimate(s(10, 11, 0)), {
    name: 'RangeError',
    message: /^strata\[1\]\.sampled must not exceed/,
  })
  t.throws(() => stratifiedEstimate(s(10, 5, 6)), { name: 'RangeError', message: /^strata\[1\]\.met must not exceed/ })
  t.throws(() => stratifiedEstimate(s(10, 5, 1), 1.2), { name: 'RangeError', message: /^confidence/ })
  t.end()
})

t.test('stratifiedEstimate properties', (t) => {
  const stratum = fc.integer({ min: 1, max: 5000 }).chain((population) =>
    fc.integer({ min: 0, max: Math.min(population, 200) }).chain((sampled) =>
      fc.record({
        population: fc.constant(population),
        sampled: fc.constant(sampled),
        met: fc.integer({ min: 0, max: sampled }),
      }),
    ),
  )
  fc.assert(
    fc.property(fc.array(stratum, { minLength: 1, maxLength: 8 }), (strata) => {
      const r = stratifiedEstimate(strata)
      if (strata.every((s) => s.sampled === 0)) return r === null
      return (
        r !== null && r.lower >= 0 && r.upper <= 1 && r.lower <= r.estimate + 1e-12 && r.estimate <= r.upper + 1e-12
      )
    }),
    { numRuns: 1000 },
  )
  t.end()
})

t.test('compareProportions reproduces Newcombe (1998) Table II, method 10', (t) => {
  // Published to four decimals, for θ = p1 − p2; here a is the earlier round (p2), b the later (p1).
  const published: [[number, number], [number, number], number, number][] = [
    [[48, 80], [56, 70], 0.0524, 0.3339],
    [[3, 10], [9, 10], 0.1705, 0.809],
    [[2, 7], [6, 7], 0.0582, 0.8062],
    [[0, 29], [5, 56], -0.0381, 0.1926],
    [[0, 20], [0, 10], -0.1611, 0.2775],
    [[0, 10], [0, 10], -0.2775, 0.2775],
    [[0, 20], [10, 10], 0.6791, 1],
    [[0, 10], [10, 10], 0.6075, 1],
  ]
  for (const [[ka, na], [kb, nb], lower, upper] of published) {
    const r = compareProportions({ successes: ka, n: na }, { successes: kb, n: nb })
    close(t, r.lower ?? Number.NaN, lower, 5e-5, `${kb}/${nb} vs ${ka}/${na} lower`)
    close(t, r.upper ?? Number.NaN, upper, 5e-5, `${kb}/${nb} vs ${ka}/${na} upper`)
  }
  t.end()
})

t.test('compareProportions matches independent values', (t) => {
  for (const [[ka, na], [kb, nb], c, difference, lower, upper] of COMPARISONS) {
    const r = compareProportions({ successes: ka, n: na }, { successes: kb, n: nb }, c)
    const label = `${kb}/${nb} vs ${ka}/${na} @${c}`
    close(t, r.difference ?? Number.NaN, difference, 1e-12, `${label} difference`)
    close(t, r.lower ?? Number.NaN, lower, 1e-12, `${label} lower`)
    close(t, r.upper ?? Number.NaN, upper, 1e-12, `${label} upper`)
    const verdict = lower > 0 ? 'better' : upper < 0 ? 'worse' : 'no clear change'
    t.equal(r.verdict, verdict, `${label} verdict`)
  }
  t.end()
})

t.test('compareProportions verdicts and empty rounds', (t) => {
  t.equal(compareProportions({ successes: 40, n: 80 }, { successes: 70, n: 80 }).verdict, 'better')
  t.equal(compareProportions({ successes: 70, n: 80 }, { successes: 40, n: 80 }).verdict, 'worse')
  t.equal(compareProportions({ successes: 40, n: 80 }, { successes: 44, n: 80 }).verdict, 'no clear change')
  const empty = { difference: null, lower: null, upper: null, verdict: 'no clear change' }
  t.same(compareProportions({ successes: 0, n: 0 }, { successes: 5, n: 10 }), empty)
  t.same(compareProportions({ successes: 5, n: 10 }, { successes: 0, n: 0 }), empty)
  t.throws(() => compareProportions({ successes: 5, n: 4 }, { successes: 0, n: 0 }), RangeError)
  t.throws(() => compareProportions({ successes: 1, n: 4 }, { successes: 1, n: 4 }, 0), {
    name: 'RangeError',
    message: /^confidence/,
  })
  t.end()
})

t.test('compareProportions properties', (t) => {
  const prop = fc
    .integer({ min: 1, max: 2000 })
    .chain((n) => fc.record({ successes: fc.integer({ min: 0, max: n }), n: fc.constant(n) }))
  fc.assert(
    fc.property(prop, prop, (a, b) => {
      const r = compareProportions(a, b)
      const s = compareProportions(b, a)
      if (r.difference === null || s.difference === null) return false
      // The interval holds the observed difference, stays within [−1, 1], and swapping rounds mirrors it.
      return (
        r.lower <= r.difference &&
        r.difference <= r.upper &&
        r.lower >= -1 - 1e-12 &&
        r.upper <= 1 + 1e-12 &&
        Math.abs(r.lower + s.upper) < 1e-12 &&
        Math.abs(r.upper + s.lower) < 1e-12
      )
    }),
    { numRuns: 2000 },
  )
  t.end()
})

// A design-weighted rate's interval (issue 14): Wilson on the effective sample size. Values from
// the same Python recipe as above, Wilson re-typed with n replaced by n_eff = p(1 − p)/Var.
t.test("effectiveWilsonInterval: with a simple random sample's variance it is Wilson (reference values)", (t) => {
  // [estimate, variance, observations, lower, upper]
  const rows: [number, number, number, number, number][] = [
    [0.8, (0.8 * 0.2) / 20, 20, 0.583983, 0.919342], // 16/20 → 58.4% to 91.9%
    [0, 0, 20, 0, 0.161125], // 0/20 → 0% to 16.1%, not a point
    [1, 0, 6, 0.609666, 1], // 6 of 6 met → 61.0% to 100%, not "100% to 100%"
    [0.6, 0.011480701754386, 30, 0.390834, 0.778119], // n_eff 20.90 of 30 obligations
  ]
  for (const [p, v, n, lo, hi] of rows) {
    const r = effectiveWilsonInterval(p, v, n)
    close(t, r?.lower ?? Number.NaN, lo, 1e-6, `${p}, ${v}, ${n}: lower`)
    close(t, r?.upper ?? Number.NaN, hi, 1e-6, `${p}, ${v}, ${n}: upper`)
  }
  // Agrees with wilsonInterval wherever the variance is the binomial one.
  for (const [k, n] of [
    [3, 7],
    [0, 5],
    [5, 5],
    [49, 50],
  ] as const) {
    const a = effectiveWilsonInterval(k / n, ((k / n) * (1 - k / n)) / n, n)
    const b = wilsonInterval(k, n)
    close(t, a?.lower ?? Number.NaN, b?.lower ?? Number.NaN, 1e-12, `${k}/${n} lower`)
    close(t, a?.upper ?? Number.NaN, b?.upper ?? Number.NaN, 1e-12, `${k}/${n} upper`)
  }
  t.end()
})

t.test('effectiveWilsonInterval: the effective size never exceeds the observations; bad arguments throw', (t) => {
  // A design effect below 1 (variance smaller than binomial) is not credited.
  t.equal(effectiveWilsonInterval(0.5, 0.0001, 40)?.effectiveN, 40)
  t.equal(effectiveWilsonInterval(0.5, 0.25 / 10, 40)?.effectiveN, 10)
  t.equal(effectiveWilsonInterval(0.5, 0, 40)?.effectiveN, 40, 'no variance information: the observations')
  t.equal(effectiveWilsonInterval(0.5, 10, 40)?.effectiveN, 1, 'never below one observation')
  t.equal(effectiveWilsonInterval(0.5, 10, 0.5)?.effectiveN, 0.5, '…unless there are fewer')
  t.equal(effectiveWilsonInterval(0.5, 0.01, 0), null, 'no observations: no estimate')
  t.throws(() => effectiveWilsonInterval(1.2, 0, 4), { name: 'RangeError', message: /^estimate/ })
  t.throws(() => effectiveWilsonInterval(0.5, -1, 4), { name: 'RangeError', message: /^variance/ })
  t.throws(() => effectiveWilsonInterval(0.5, Number.NaN, 4), { name: 'RangeError', message: /^variance/ })
  t.throws(() => effectiveWilsonInterval(0.5, 0.1, -1), { name: 'RangeError', message: /^observations/ })
  t.throws(() => effectiveWilsonInterval(0.5, 0.1, 4, 1), { name: 'RangeError', message: /^confidence/ })
  t.end()
})

t.test('effectiveWilsonInterval properties: inside [0, 1], holds the estimate, never a point', (t) => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 1, max: 100000 }),
      (p, v, n) => {
        const r = effectiveWilsonInterval(p, v, n)
        if (!r) return false
        return (
          r.lower >= 0 &&
          r.upper <= 1 &&
          r.lower <= p &&
          p <= r.upper &&
          r.upper - r.lower > 0 &&
          r.effectiveN > 0 &&
          r.effectiveN <= n
        )
      },
    ),
  )
  // More variance never narrows the interval.
  fc.assert(
    fc.property(
      fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      fc.double({ min: 1e-6, max: 0.2, noNaN: true }),
      fc.integer({ min: 1, max: 5000 }),
      (p, v, n) => {
        const a = effectiveWilsonInterval(p, v, n)
        const b = effectiveWilsonInterval(p, v * 2, n)
        return a !== null && b !== null && b.upper - b.lower >= a.upper - a.lower - 1e-12
      },
    ),
  )
  t.end()
})
