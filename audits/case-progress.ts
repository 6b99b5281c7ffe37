// Where a sampled case stands in review: its status and how it may move, and how much of it is
// answered. Pure: statuses and keys in, decisions out.

import { caseStatusLabels, unusableReasonLabels, type CaseStatus, type UnusableReason } from './vocabulary.ts'

export { caseStatuses, caseStatusLabels, type CaseStatus } from './vocabulary.ts'

/** Round statuses in which cases are reviewed. */
export const openRoundStatuses = ['fieldwork', 'moderation'] as const

/** Statuses in which the allocated auditor may still change the case. */
export const editableStatuses: readonly CaseStatus[] = ['not_started', 'in_progress', 'returned']

export function isOpenRound(roundStatus: string): boolean {
  return (openRoundStatuses as readonly string[]).includes(roundStatus)
}

export function isEditableStatus(status: CaseStatus): boolean {
  return editableStatuses.includes(status)
}

/**
 * The status after the auditor changes something: the first save starts the case, and editing
 * a returned case takes it back into progress. Refuses statuses that cannot be edited.
 */
export function statusAfterEdit(status: CaseStatus): CaseStatus {
  if (!isEditableStatus(status)) throw new RangeError(`statusAfterEdit: a ${status} case cannot be edited`)
  return 'in_progress'
}

export interface Progress {
  applicable: number
  answered: number
  /** Keys of applicable obligations with no outcome yet, in the order given. */
  missing: string[]
}

/** How many of the applicable obligations have an outcome; answers for other keys do not count. */
export function caseProgress(applicableKeys: readonly string[], answeredKeys: ReadonlySet<string>): Progress {
  const missing = applicableKeys.filter((key) => !answeredKeys.has(key))
  return { applicable: applicableKeys.length, answered: applicableKeys.length - missing.length, missing }
}

/** Why a case cannot be completed yet, or null when it can. */
export function completionBlocker(status: CaseStatus, progress: Progress): string | null {
  if (!isEditableStatus(status))
    return `This case is ${caseStatusLabels[status].toLowerCase()}, so it cannot be completed`
  if (progress.applicable === 0) return 'No obligations apply to this case yet: check the case facts'
  const left = progress.missing.length
  if (left > 0)
    return `Record an outcome for every obligation before completing the case: ${left} ${left === 1 ? 'has' : 'have'} none yet`
  return null
}

/** The reason kept on the case for the admin who replaces it, in words. */
export function describeUnusable(reason: UnusableReason, details: string): string {
  const text = details.trim()
  return text === '' ? unusableReasonLabels[reason] : `${unusableReasonLabels[reason]}: ${text}`
}
