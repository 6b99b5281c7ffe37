// Which completed cases a round's moderators second-mark. Pure and seeded: the same cases, share
// and seed always give the same selection, so it can be re-derived and checked later.
import { seededOrder } from './sampling.ts'

export interface ModerationCandidate {
  /** Case reference (unique in the round). */
  ref: string
  /** Who did the first marking. */
  auditorId: number
  /** The auditor flagged the case "unsure". */
  unsure: boolean
}

/** Why a case is in the selection; the first rule that brought it in. */
export type SelectionReason = 'unsure' | 'auditor' | 'share'

export interface SelectedCase {
  ref: string
  reason: SelectionReason
}

export const selectionReasonLabels: Record<SelectionReason | 'added', string> = {
  unsure: 'Flagged unsure by the auditor',
  auditor: 'At least one case per auditor',
  share: 'Random share',
  added: 'Added by a moderator',
}

/** How many cases the share asks for: never fewer than one when there is a case to take. */
export function shareTarget(cases: number, share: number): number {
  if (!(share > 0 && share <= 1)) throw new RangeError(`share must be above 0 and at most 1, got ${share}`)
  if (!Number.isInteger(cases) || cases < 0) throw new RangeError(`cases must be a whole number, got ${cases}`)
  return cases === 0 ? 0 : Math.max(1, Math.ceil(share * cases - 1e-9))
}

/**
 * The selection, in the seeded order: every case flagged unsure; then, for an auditor with none
 * yet, their first case in the seeded order; then further cases in that order until the share
 * is reached. Unsure cases and the per-auditor minimum may take it above the share.
 */
export function selectForModeration(
  cases: readonly ModerationCandidate[],
  share: number,
  seed: string,
): SelectedCase[] {
  const target = shareTarget(cases.length, share)
  const byRef = new Map(cases.map((c) => [c.ref, c]))
  const order = seededOrder(
    cases.map((c) => c.ref),
    seed,
  )
  const chosen = new Map<string, SelectionReason>()
  for (const ref of order) if (byRef.get(ref)?.unsure) chosen.set(ref, 'unsure')
  const covered = new Set([...chosen.keys()].map((ref) => byRef.get(ref)?.auditorId))
  for (const ref of order) {
    const auditorId = (byRef.get(ref) as ModerationCandidate).auditorId
    if (covered.has(auditorId)) continue
    covered.add(auditorId)
    chosen.set(ref, 'auditor')
  }
  for (const ref of order) {
    if (chosen.size >= target) break
    if (!chosen.has(ref)) chosen.set(ref, 'share')
  }
  return order.filter((ref) => chosen.has(ref)).map((ref) => ({ ref, reason: chosen.get(ref) as SelectionReason }))
}
