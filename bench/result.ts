export interface BenchResult {
  bench: string
  value: number
  unit: string
  target: number
  ok: boolean
  [extra: string]: unknown
}

/** Result for a "lower is better" measurement against a ceiling. */
export function atMost(
  bench: string,
  value: number,
  unit: string,
  target: number,
  extra: Record<string, unknown> = {},
): BenchResult {
  return { bench, value: round(value), unit, target, ok: value <= target, ...extra }
}

/** Result for a "higher is better" measurement against a floor. */
export function atLeast(
  bench: string,
  value: number,
  unit: string,
  target: number,
  extra: Record<string, unknown> = {},
): BenchResult {
  return { bench, value: round(value), unit, target, ok: value >= target, ...extra }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000
}
