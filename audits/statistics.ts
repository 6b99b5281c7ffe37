// Estimation for dip-sample audits: normal quantiles, Wilson intervals, Cochran sample sizes,
// stratified estimates and round-on-round comparisons. Formulas follow reference/statistics.md.
// Proportions are fractions in [0, 1]. Where there is no data to estimate from (n = 0) the
// functions return null, never NaN or 0, so a screen can say "no applicable cases".

export interface Interval {
  lower: number
  upper: number
}

// ---------------------------------------------------------------------------------------------
// Argument checks. Every invalid argument is a RangeError that names it, so a caller's bug
// surfaces at the call site instead of as a NaN three screens later.

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`)
  }
}

function checkConfidence(confidence: number, name = 'confidence'): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${name} must be strictly between 0 and 1, got ${confidence}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Complementary error function: W. J. Cody, "Rational Chebyshev approximations for the error
// function", Math. Comp. 23 (1969), as in his CALERF routine. Relative accuracy is close to
// machine precision over the whole range, which is what lets one Halley step turn Acklam's
// 1e-9 quantile into a ~1e-15 one even far out in the tail.

const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153]
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062]
const ERF_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
]
const ERF_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
]
const ERF_P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4,
  0.0163153871373020978,
]
const ERF_Q = [
  2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185,
]
const ONE_OVER_SQRT_PI = 0.56418958354775628695
// Beyond this erfc(y) < exp(−y²)/(y√π) is below the smallest subnormal double.
const ERFC_UNDERFLOW = 27.3

// Coefficient arrays are fixed-length constants; this read keeps noUncheckedIndexedAccess honest.
function k(table: readonly number[], i: number): number {
  return table[i] as number
}

// The scaled complement exp(y²)·erfc(y) for y > 0.46875, where Cody's approximations are for
// exactly this quantity. It neither underflows nor overflows, which the quantile's tail
// refinement depends on.
function scaledErfcTail(y: number): number {
  if (y <= 4) {
    let num = k(ERF_C, 8) * y
    let den = y
    for (let i = 0; i < 7; i++) {
      num = (num + k(ERF_C, i)) * y
      den = (den + k(ERF_D, i)) * y
    }
    return (num + k(ERF_C, 7)) / (den + k(ERF_D, 7))
  }
  const ysq = 1 / (y * y)
  let num = k(ERF_P, 5) * ysq
  let den = ysq
  for (let i = 0; i < 4; i++) {
    num = (num + k(ERF_P, i)) * ysq
    den = (den + k(ERF_Q, i)) * ysq
  }
  return (ONE_OVER_SQRT_PI - (ysq * (num + k(ERF_P, 4))) / (den + k(ERF_Q, 4))) / y
}

// erf(x) for |x| ≤ 0.46875.
function erfSmall(x: number): number {
  const ysq = x * x
  let num = k(ERF_A, 4) * ysq
  let den = ysq
  for (let i = 0; i < 3; i++) {
    num = (num + k(ERF_A, i)) * ysq
    den = (den + k(ERF_B, i)) * ysq
  }
  return (x * (num + k(ERF_A, 3))) / (den + k(ERF_B, 3))
}

/** Complementary error function, erfc(x) = 1 − erf(x), to near machine precision (Cody 1969). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('x must be a number, got NaN')
  const y = Math.abs(x)
  if (y <= 0.46875) return 1 - erfSmall(x)
  let r = 0
  if (y < ERFC_UNDERFLOW) {
    // exp(−y²) split as exp(−s²)·exp(−(y−s)(y+s)) with s = y truncated to 1/16: forming y²
    // directly loses the low bits that matter once the result is tiny.
    const s = Math.trunc(y * 16) / 16
    r = Math.exp(-s * s) * Math.exp(-(y - s) * (y + s)) * scaledErfcTail(y)
  }
  return x < 0 ? 2 - r : r
}

/** exp(t²)·erfc(t) for t ≥ 0. */
function scaledErfc(t: number): number {
  return t <= 0.46875 ? Math.exp(t * t) * (1 - erfSmall(t)) : scaledErfcTail(t)
}

// ---------------------------------------------------------------------------------------------
// Normal quantile: Peter Acklam's rational approximation (relative error < 1.15e-9), then one
// Halley step against Φ computed from the accurate erfc above.

const Q_A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
]
const Q_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
const Q_C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
]
const Q_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
const P_LOW = 0.02425
const SQRT_2PI = 2.5066282746310002

/**
 * Inverse of the standard normal CDF: the x with Φ(x) = p. Accurate to about 1e-15 in the
 * central range and well inside 1e-9 everywhere. p must lie strictly inside (0, 1).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be strictly between 0 and 1, got ${p}`)
  // For p > 0.5 the complement 1 − p is exact in floating point (Sterbenz), so reflecting costs
  // nothing and makes the function exactly antisymmetric.
  if (p > 0.5) return -normalQuantile(1 - p)
  let x: number
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p))
    x =
      (((((k(Q_C, 0) * q + k(Q_C, 1)) * q + k(Q_C, 2)) * q + k(Q_C, 3)) * q + k(Q_C, 4)) * q + k(Q_C, 5)) /
      ((((k(Q_D, 0) * q + k(Q_D, 1)) * q + k(Q_D, 2)) * q + k(Q_D, 3)) * q + 1)
  } else {
    const q = p - 0.5
    const r = q * q
    x =
      ((((((k(Q_A, 0) * r + k(Q_A, 1)) * r + k(Q_A, 2)) * r + k(Q_A, 3)) * r + k(Q_A, 4)) * r + k(Q_A, 5)) * q) /
      (((((k(Q_B, 0) * r + k(Q_B, 1)) * r + k(Q_B, 2)) * r + k(Q_B, 3)) * r + k(Q_B, 4)) * r + 1)
  }
  // Halley step on Φ(x) − p, scaled by 1/φ(x). Both terms are formed already multiplied by
  // exp(x²/2) — through the scaled erfc and through log p — so nothing under- or overflows even
  // for p in the subnormal range. x ≤ 0 here, so the erfc argument is never negative.
  const u = SQRT_2PI * (0.5 * scaledErfc(-x / Math.SQRT2) - Math.exp(Math.log(p) + (x * x) / 2))
  return x - u / (1 + (x * u) / 2)
}

/** The two-sided critical value z for a confidence level, e.g. 0.95 → 1.959963984540054. */
export function twoSidedZ(confidence: number): number {
  checkConfidence(confidence)
  // Working from the small tail probability keeps its relative precision.
  return -normalQuantile((1 - confidence) / 2)
}

// ---------------------------------------------------------------------------------------------

/**
 * Wilson score interval for `successes` out of `n`.
 *
 * Returns null when n = 0: there is no estimate to put an interval round, and a screen should
 * say "no applicable cases" rather than show 0% or NaN. The bounds are exactly 0 when
 * successes = 0 and exactly 1 when successes = n (the formula gives that in exact arithmetic;
 * floating point can leave a stray 1e-17).
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval | null {
  checkCount(successes, 'successes')
  checkCount(n, 'n')
  if (successes > n) throw new RangeError(`successes (${successes}) must not exceed n (${n})`)
  const z = twoSidedZ(confidence)
  if (n === 0) return null
  return wilsonBounds(successes / n, n, z, successes === 0, successes === n)
}

// The Wilson score bounds for a rate p on n trials (n may be fractional: an effective sample size).
function wilsonBounds(p: number, n: number, z: number, atZero: boolean, atOne: boolean): Interval {
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return {
    lower: atZero ? 0 : Math.min(p, Math.max(0, centre - half)),
    upper: atOne ? 1 : Math.max(p, Math.min(1, centre + half)),
  }
}

/**
 * A Wilson score interval for a design-weighted proportion, on its effective sample size
 * (Korn and Graubard 1998; Dean and Pagano 2015): n_eff = p(1 − p) / Var, the number of
 * independent observations that would give the design's variance.
 *
 * The normal interval p ± z·SE collapses to a point at 0% and 100%, where the estimated variance
 * is zero, and so presents 6 met of 6 as certain. Here, when the variance carries no information
 * (p at 0 or 1, or zero variance), n_eff is the number of observations behind the estimate, and
 * n_eff is never taken above that number (a design effect below 1 is not credited), so the
 * interval is never narrower than Wilson's on the raw count. With Var = p(1 − p)/n it is exactly
 * the ordinary Wilson interval. Null when there are no observations.
 */
export function effectiveWilsonInterval(
  estimate: number,
  variance: number,
  observations: number,
  confidence = 0.95,
): (Interval & { effectiveN: number }) | null {
  if (!(estimate >= 0 && estimate <= 1)) throw new RangeError(`estimate must lie in [0, 1], got ${estimate}`)
  if (!(variance >= 0 && Number.isFinite(variance)))
    throw new RangeError(`variance must be a non-negative number, got ${variance}`)
  if (!(observations >= 0 && Number.isFinite(observations)))
    throw new RangeError(`observations must be a non-negative number, got ${observations}`)
  const z = twoSidedZ(confidence)
  if (observations === 0) return null
  const spread = estimate * (1 - estimate)
  // Floored at one observation (or the observations, when fewer): below that the Wilson formula
  // has no meaning, and p(1 − p) can underflow to 0 for an estimate a hair above 0.
  const effectiveN = spread > 0 && variance > 0 ? Math.min(observations, Math.max(1, spread / variance)) : observations
  return { ...wilsonBounds(estimate, effectiveN, z, estimate === 0, estimate === 1), effectiveN }
}

// ---------------------------------------------------------------------------------------------

export interface SampleSizeOptions {
  /** Number of cases in the population, N. */
  population: number
  /** Margin of error e as a fraction, e.g. 0.05 for ±5 percentage points. */
  marginOfError: number
  /** Confidence level, default 0.95. */
  confidence?: number
  /** Planning value for the proportion, default 0.5 (the most conservative). */
  expectedProportion?: number
}

// A computed size within this of an integer is taken to be that integer: without it, rounding
// noise of a few ulps above an exact integer would cost a whole extra case.
const CEIL_SLACK = 1e-9

/**
 * Cochran's sample size for estimating a proportion, with the finite population correction,
 * rounded up and never above the population (see reference/statistics.md). A population of 0
 * needs no sample. `expectedProportion` must lie strictly inside (0, 1): at 0 or 1 the formula
 * degenerates to a sample of nothing, which is never a sound plan.
 */
export function sampleSize(o: SampleSizeOptions): number {
  const { population, marginOfError, confidence = 0.95, expectedProportion = 0.5 } = o
  checkCount(population, 'population')
  if (!(marginOfError > 0 && marginOfError < 1)) {
    throw new RangeError(`marginOfError must be strictly between 0 and 1, got ${marginOfError}`)
  }
  checkConfidence(confidence)
  checkConfidence(expectedProportion, 'expectedProportion')
  if (population === 0) return 0
  const z = twoSidedZ(confidence)
  const n0 = (z * z * expectedProportion * (1 - expectedProportion)) / (marginOfError * marginOfError)
  // n0 / (1 + (n0 − 1)/N) rewritten as N / (1 + (N − 1)/n0): in this form every floating-point
  // step is monotone in n0, so a larger margin can never round to a larger sample.
  const n = population / (1 + (population - 1) / n0)
  return Math.min(population, Math.max(1, Math.ceil(n - CEIL_SLACK)))
}

// ---------------------------------------------------------------------------------------------

export interface Stratum {
  /** Cases in the stratum, N_h. */
  population: number
  /** Cases sampled from it, n_h. */
  sampled: number
  /** Sampled cases that met the standard, k_h. */
  met: number
}

export interface StratifiedEstimate extends Interval {
  /** Population-weighted proportion, Σ W_h p_h. */
  estimate: number
  standardError: number
  /**
   * Indices (into the input) of strata with nothing sampled. They cannot contribute a p_h, so
   * they are left out and the others' weights renormalised: the estimate then describes only
   * the sampled strata's population, and a screen should say which strata it omits.
   */
  excluded: number[]
}

/**
 * Stratified estimate of a proportion with its normal-approximation interval, clipped to
 * [0, 1]. Weights are population shares, so strata sampled at different rates are not biased
 * towards the over-sampled ones (an unweighted pooled percentage would be).
 *
 * A stratum with a single sampled case adds to the estimate but not to the variance: with
 * n_h = 1 there is no within-stratum spread to estimate, as the reference formula's n_h ≥ 2
 * condition reflects. A fully sampled stratum (n_h = N_h) adds no variance through the finite
 * population correction. Returns null when no stratum was sampled.
 */
export function stratifiedEstimate(strata: readonly Stratum[], confidence = 0.95): StratifiedEstimate | null {
  strata.forEach((s, i) => {
    checkCount(s.population, `strata[${i}].population`)
    checkCount(s.sampled, `strata[${i}].sampled`)
    checkCount(s.met, `strata[${i}].met`)
    if (s.sampled > s.population) throw new RangeError(`strata[${i}].sampled must not exceed its population`)
    if (s.met > s.sampled) throw new RangeError(`strata[${i}].met must not exceed its sampled`)
  })
  const excluded = strata.flatMap((s, i) => (s.sampled === 0 ? [i] : []))
  const combined = combineStrata(
    strata.map((s) => ({
      size: s.sampled === 0 ? 0 : s.population,
      p: s.sampled === 0 ? 0 : s.met / s.sampled,
      n: s.sampled,
      fpc: s.sampled === 0 ? 0 : 1 - s.sampled / s.population,
    })),
    confidence,
  )
  return combined && { ...combined, excluded }
}

/** One stratum's part in a weighted estimate: its weight before scaling, rate, n and finite population correction. */
export interface StratumPart {
  size: number
  p: number
  n: number
  fpc: number
}

/**
 * The weighted combination behind every stratified figure:
 *   W_h = size_h / Σ size,  estimate = Σ W_h p_h,  Var = Σ W_h² fpc_h p_h (1 − p_h) / (n_h − 1)
 * Parts of size 0 take no part; parts with n_h < 2 add to the estimate but not the variance.
 * The interval is estimate ± z·SE, clipped to [0, 1]. Null when no part has any size.
 */
export function combineStrata(
  parts: readonly StratumPart[],
  confidence = 0.95,
): (Interval & { estimate: number; standardError: number }) | null {
  const z = twoSidedZ(confidence)
  const total = parts.reduce((sum, part) => sum + part.size, 0)
  if (!(total > 0)) return null
  let estimate = 0
  let variance = 0
  for (const part of parts) {
    if (part.size === 0) continue
    const w = part.size / total
    estimate += w * part.p
    if (part.n >= 2) variance += (w * w * part.fpc * part.p * (1 - part.p)) / (part.n - 1)
  }
  // Rounding can leave a sum of shares a hair outside [0, 1].
  estimate = Math.min(1, Math.max(0, estimate))
  const standardError = Math.sqrt(variance)
  return {
    estimate,
    standardError,
    lower: Math.max(0, estimate - z * standardError),
    upper: Math.min(1, estimate + z * standardError),
  }
}

// ---------------------------------------------------------------------------------------------

export interface Proportion {
  successes: number
  n: number
}

export type ChangeVerdict = 'better' | 'worse' | 'no clear change'

export type Comparison =
  | { difference: number; lower: number; upper: number; verdict: ChangeVerdict }
  | { difference: null; lower: null; upper: null; verdict: 'no clear change' }

/**
 * Change from round `a` to round `b`: the difference b − a with Newcombe's hybrid score
 * interval (Newcombe 1998, method 10), built from the two Wilson intervals. Unlike the Wald
 * interval it behaves at 0% and 100%, where audit results often sit.
 *
 * The verdict is 'better' only when the whole interval lies above 0, 'worse' only when it lies
 * wholly below, and otherwise 'no clear change'. When either round has n = 0 there is nothing
 * to compare: the difference and bounds are null and the verdict 'no clear change'.
 */
export function compareProportions(a: Proportion, b: Proportion, confidence = 0.95): Comparison {
  const ia = wilsonInterval(a.successes, a.n, confidence)
  const ib = wilsonInterval(b.successes, b.n, confidence)
  if (ia === null || ib === null) return { difference: null, lower: null, upper: null, verdict: 'no clear change' }
  const pa = a.successes / a.n
  const pb = b.successes / b.n
  const difference = pb - pa
  const lower = difference - Math.hypot(pb - ib.lower, ia.upper - pa)
  const upper = difference + Math.hypot(ib.upper - pb, pa - ia.lower)
  const verdict: ChangeVerdict = lower > 0 ? 'better' : upper < 0 ? 'worse' : 'no clear change'
  return { difference, lower, upper, verdict }
}
