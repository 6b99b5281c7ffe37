// What an answer holds: its value, to compare with what a client sends, and the snapshot the
// audit log keeps of it.
import type { answers } from '../../../schema/index.ts'
import type { AnswerValue } from '../../../audits/answer-rules.ts'

export type StoredAnswer = typeof answers.$inferSelect

/** What the audit log keeps of an answer: enough to see exactly what changed. */
export function snapshot(row: StoredAnswer) {
  return {
    case: row.sampleCaseId,
    marker: row.marker,
    key: row.obligationKey,
    item: row.itemId,
    agency: row.agencyId,
    outcome: row.outcome,
    evidenceDate: row.evidenceDate,
    dueDate: row.dueDate,
    daysLate: row.daysLate,
    timelinessOverride: row.timelinessOverride,
    overrideReason: row.overrideReason,
    note: row.note,
    version: row.version,
  }
}

export function valueOf(
  row: Pick<
    StoredAnswer,
    'outcome' | 'evidenceDate' | 'note' | 'timelinessOverride' | 'overrideReason' | 'dueDate' | 'daysLate'
  >,
): AnswerValue {
  return {
    outcome: row.outcome,
    evidenceDate: row.evidenceDate,
    note: row.note,
    timelinessOverride: row.timelinessOverride,
    overrideReason: row.overrideReason,
    dueDate: row.dueDate,
    daysLate: row.daysLate,
  }
}
