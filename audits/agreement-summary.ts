// One line of an agreement report: the figures of audits/agreement.ts for one set of paired
// answers, with the 95% interval for kappa and the plain-words warnings a reader needs.
import { cohenKappa, gwetAC1, kappaLabel, percentAgreement, type KappaLabel, type Pair } from './agreement.ts'

/** Below this many pairs every coefficient is too unsteady to lean on. */
export const SMALL_N = 10

export interface AgreementSummary {
  n: number
  agreed: number
  percent: number | null
  kappa: number | null
  label: KappaLabel
  /** 95% interval for kappa, clipped to [−1, 1]; null where kappa is n/a. */
  interval: readonly [number, number] | null
  ac1: number | null
  /** Kappa is low (fair or worse) while agreement is high (85% or more). */
  paradox: boolean
  smallN: boolean
}

const Z95 = 1.959963984540054

/**
 * Cohen's (1960) large-sample standard error, sqrt(p_a(1 − p_a) / (n(1 − p_e)²)), around the
 * estimate. Null where kappa is undefined (p_e = 1) or there are no pairs.
 */
export function kappaInterval(pairs: readonly Pair[]): readonly [number, number] | null {
  const kappa = cohenKappa(pairs)
  if (kappa === null) return null
  const n = pairs.length
  const pa = percentAgreement(pairs) as number
  // p_e back from kappa: kappa = (pa − pe)/(1 − pe) ⇒ pe = (pa − kappa)/(1 − kappa). At kappa = 1
  // agreement is perfect, p_a(1 − p_a) = 0 and the interval is the point whatever p_e was.
  const pe = kappa === 1 ? 0 : (pa - kappa) / (1 - kappa)
  const se = Math.sqrt((pa * (1 - pa)) / (n * (1 - pe) ** 2))
  return [Math.max(-1, kappa - Z95 * se), Math.min(1, kappa + Z95 * se)]
}

export function summariseAgreement(pairs: readonly Pair[]): AgreementSummary {
  const kappa = cohenKappa(pairs)
  const percent = percentAgreement(pairs)
  return {
    n: pairs.length,
    agreed: pairs.filter(([a, b]) => a === b).length,
    percent,
    kappa,
    label: kappaLabel(kappa),
    interval: kappaInterval(pairs),
    ac1: gwetAC1(pairs),
    paradox: percent !== null && percent >= 0.85 && kappa !== null && kappa <= 0.4,
    smallN: pairs.length < SMALL_N,
  }
}

/** Pairs grouped by a key (item, theme, auditor), each group summarised, keys in sorted order. */
export function summariseBy<T>(
  rows: readonly T[],
  keyOf: (row: T) => string,
  pairOf: (row: T) => Pair,
): Array<{ key: string; summary: AgreementSummary }> {
  const groups = new Map<string, Pair[]>()
  for (const r of rows) {
    const k = keyOf(r)
    const list = groups.get(k) ?? []
    list.push(pairOf(r))
    groups.set(k, list)
  }
  return [...groups.keys()].sort().map((key) => ({ key, summary: summariseAgreement(groups.get(key) as Pair[]) }))
}
