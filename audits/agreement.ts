// Agreement between two markers who marked the same items (reference/statistics.md). Each pair
// is [first marker's category, second marker's category]. Every coefficient is null when there
// is nothing to compute it from, so a screen shows "n/a" rather than a misleading 0 or NaN.
//
// Kappa alone misleads when nearly every answer is the same (the prevalence paradox: 95%
// agreement with kappa near 0), so screens should show percentage agreement and AC1 beside it.
//
// Counts are kept as integers and each coefficient is formed from integer sums, so identical
// tables always give bit-identical results whatever the order of the pairs.

export type Pair = readonly [string, string]

export type KappaLabel = 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almost perfect' | 'n/a'

interface Table {
  n: number
  agreed: number
  /** Per category: how often the first marker used it. */
  rows: Map<string, number>
  /** Per category: how often the second marker used it. */
  cols: Map<string, number>
}

function tabulate(pairs: readonly Pair[]): Table {
  const rows = new Map<string, number>()
  const cols = new Map<string, number>()
  let agreed = 0
  for (const [a, b] of pairs) {
    rows.set(a, (rows.get(a) ?? 0) + 1)
    cols.set(b, (cols.get(b) ?? 0) + 1)
    if (a === b) agreed++
  }
  return { n: pairs.length, agreed, rows, cols }
}

/** Share of items given the same category by both markers; null when there are no items. */
export function percentAgreement(pairs: readonly Pair[]): number | null {
  return pairs.length === 0 ? null : tabulate(pairs).agreed / pairs.length
}

/**
 * Cohen's kappa, (p_a − p_e) / (1 − p_e) with p_e = Σ_c row share_c · column share_c.
 * Null when there are no items, or when p_e = 1 (both markers used one and the same category
 * throughout), where chance explains everything and the ratio is 0/0.
 */
export function cohenKappa(pairs: readonly Pair[]): number | null {
  const { n, agreed, rows, cols } = tabulate(pairs)
  let chance = 0 // n² · p_e
  for (const [c, r] of rows) chance += r * (cols.get(c) ?? 0)
  const nn = n * n
  if (n === 0 || chance === nn) return null
  return (n * agreed - chance) / (nn - chance)
}

/**
 * Gwet's AC1, (p_a − p_e′) / (1 − p_e′) with p_e′ = (1/(q − 1)) Σ_c π_c (1 − π_c),
 * π_c = (row count_c + column count_c) / 2n, q = categories used by either marker.
 *
 * Null when there are no items or q < 2. With q = 1 both markers agreed on every item, and some
 * software reports 1 there; the formula itself is undefined (q − 1 = 0), and with a single
 * category in use the data cannot show that the markers would agree on anything else, so this
 * reports "n/a" rather than claim perfect reliability.
 */
export function gwetAC1(pairs: readonly Pair[]): number | null {
  const { n, agreed, rows, cols } = tabulate(pairs)
  const categories = new Set([...rows.keys(), ...cols.keys()])
  const q = categories.size
  if (n === 0 || q < 2) return null
  // With m_c = row_c + col_c (so π_c = m_c / 2n): Σ π_c(1 − π_c) = Σ m_c(2n − m_c) / 4n².
  let spread = 0
  for (const c of categories) {
    const m = (rows.get(c) ?? 0) + (cols.get(c) ?? 0)
    spread += m * (2 * n - m)
  }
  const chance = spread / (4 * n * n * (q - 1))
  // p_e′ ≤ 1/q < 1 for q ≥ 2, so the denominator is never 0.
  return (agreed / n - chance) / (1 - chance)
}

/**
 * Cohen's weighted kappa for ordered categories. `order` lists every category in rank order
 * (either direction: the weights depend only on distance). Linear weights penalise a
 * disagreement by its distance |i − j|, quadratic by its square, so near misses (met against
 * partially met) cost less than far ones (met against not met).
 *
 * Computed as 1 − Σ v_ij·observed_ij / Σ v_ij·expected_ij with disagreement weights v, which is
 * algebraically the usual agreement-weight form but stays in integers until the final division.
 * Null when there are no items or when chance agreement is total (p_e = 1).
 */
export function weightedKappa(
  pairs: readonly Pair[],
  order: readonly string[],
  weights: 'linear' | 'quadratic',
): number | null {
  if (weights !== 'linear' && weights !== 'quadratic') {
    throw new RangeError(`weights must be 'linear' or 'quadratic', got ${String(weights)}`)
  }
  if (order.length < 2) throw new RangeError('order must list at least two categories')
  const rank = new Map<string, number>()
  for (const [i, c] of order.entries()) {
    if (rank.has(c)) throw new RangeError(`order lists category "${c}" twice`)
    rank.set(c, i)
  }
  const rankOf = (c: string): number => {
    const r = rank.get(c)
    if (r === undefined) throw new RangeError(`pairs use category "${c}", which is not in order`)
    return r
  }
  const v = (d: number): number => (weights === 'linear' ? Math.abs(d) : d * d)
  const rowCounts = new Array<number>(order.length).fill(0)
  const colCounts = new Array<number>(order.length).fill(0)
  let observed = 0 // Σ v_ij · count_ij
  for (const [a, b] of pairs) {
    const i = rankOf(a)
    const j = rankOf(b)
    rowCounts[i] = (rowCounts[i] as number) + 1
    colCounts[j] = (colCounts[j] as number) + 1
    observed += v(i - j)
  }
  const n = pairs.length
  let expected = 0 // n · Σ v_ij · expected count_ij
  rowCounts.forEach((r, i) => {
    colCounts.forEach((c, j) => {
      expected += v(i - j) * r * c
    })
  })
  if (n === 0 || expected === 0) return null
  return 1 - (n * observed) / expected
}

/**
 * Landis and Koch's labels: < 0 poor, 0–0.20 slight, 0.21–0.40 fair, 0.41–0.60 moderate,
 * 0.61–0.80 substantial, 0.81–1 almost perfect. Each band runs up to and including its upper
 * figure, so 0.20 is slight and anything above it, 0.205 say, is fair; null gives 'n/a'.
 */
export function kappaLabel(k: number | null): KappaLabel {
  if (k === null) return 'n/a'
  if (Number.isNaN(k) || k > 1) throw new RangeError(`k must be a number no greater than 1, got ${k}`)
  if (k < 0) return 'poor'
  if (k <= 0.2) return 'slight'
  if (k <= 0.4) return 'fair'
  if (k <= 0.6) return 'moderate'
  if (k <= 0.8) return 'substantial'
  return 'almost perfect'
}
