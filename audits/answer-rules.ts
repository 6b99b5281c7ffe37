// The rules one answer to one obligation must keep, and the timeliness judgement stored with it.
// Pure: the caller supplies today's date and the obligation's trigger and due dates.
import { formatDate } from './calendar.ts'
import { readDateParts } from './date-input.ts'
import type { DateParts } from './date-input.ts'
import { judgeTimeliness } from './timeliness.ts'

import { outcomes, REASON_MAX, type Outcome } from './vocabulary.ts'

export { outcomeLabels, outcomes, REASON_MAX, type Outcome } from './vocabulary.ts'

export const timelinessOverrides = ['on_time', 'late'] as const
export type TimelinessOverride = (typeof timelinessOverrides)[number]

export const NOTE_MAX = 2000

/** What the auditor typed, as strings straight from the form. */
export interface AnswerInput {
  outcome: string
  evidence: DateParts
  note: string
  override: string
  overrideReason: string
}

export interface AnswerContext {
  /** When the obligation arose: evidence of doing it cannot be earlier. */
  triggerDate: string
  /** What happened then, in words ("suspect arrested"), for the error message. */
  triggerText: string
  dueDate: string | null
  today: string
  /**
   * 'save' (the whole form was sent: everything must be right) or 'autosave' (one change: a
   * half-typed date means "not yet", not an error).
   */
  mode: 'save' | 'autosave'
}

/** An answer as stored: every field settled, timeliness judged. */
export interface AnswerValue {
  outcome: Outcome | null
  evidenceDate: string | null
  note: string | null
  timelinessOverride: TimelinessOverride | null
  overrideReason: string | null
  dueDate: string | null
  /** 0 on time, N working days late, null with no time limit or no evidence date. */
  daysLate: number | null
}

export type AnswerField = 'outcome' | 'evidence' | 'note' | 'override' | 'reason'

export type AnswerCheck =
  | { ok: true; answer: AnswerValue }
  /** Autosave only: nothing wrong yet, but not complete enough to save. */
  | { ok: false; pending: string; errors: Partial<Record<AnswerField, string>> }
  | { ok: false; pending: null; errors: Partial<Record<AnswerField, string>> }

const noteRequired: Partial<Record<Outcome, string>> = {
  partially_met: 'Enter a note saying what was done and what was missing',
  not_applicable: 'Enter a note saying why this did not apply to the victim',
}

/** Outcomes that need a note, for the hint beside the note field. */
export const outcomesNeedingNote = Object.keys(noteRequired) as Outcome[]

function isOutcome(value: string): value is Outcome {
  return (outcomes as readonly string[]).includes(value)
}

function isOverride(value: string): value is TimelinessOverride {
  return (timelinessOverrides as readonly string[]).includes(value)
}

/** Working days late as stored: 0 on time, N late, null when there is nothing to judge. */
export function daysLateFor(dueDate: string | null, evidenceDate: string | null): number | null {
  const judged = judgeTimeliness(dueDate, evidenceDate)
  if (judged.status === 'on_time') return 0
  if (judged.status === 'late') return judged.workingDaysLate
  return null
}

/** Checks one answer against every rule; all problems are reported together, one per field. */
export function checkAnswer(input: AnswerInput, ctx: AnswerContext): AnswerCheck {
  const errors: Partial<Record<AnswerField, string>> = {}
  let pending: string | null = null

  const rawOutcome = input.outcome.trim()
  let outcome: Outcome | null = null
  if (rawOutcome !== '') {
    if (isOutcome(rawOutcome)) outcome = rawOutcome
    else errors.outcome = 'Select whether the obligation was met'
  }

  const note = input.note.trim()
  if (note.length > NOTE_MAX) errors.note = `Note must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`
  else if (outcome && note === '' && noteRequired[outcome]) errors.note = noteRequired[outcome]

  let evidenceDate: string | null = null
  const label = 'The date the file shows this was done'
  const reading = readDateParts(input.evidence, label)
  if (reading.kind === 'incomplete') {
    if (ctx.mode === 'save') errors.evidence = reading.message
    else pending = 'the date the file shows this was done is not finished'
  } else if (reading.kind === 'invalid') {
    errors.evidence = reading.message
  } else if (reading.kind === 'date') {
    if (reading.iso < ctx.triggerDate) {
      errors.evidence = `${label} must be on or after the trigger date, ${formatDate(ctx.triggerDate)} (${ctx.triggerText})`
    } else if (reading.iso > ctx.today) {
      errors.evidence = `${label} must be today or in the past`
    } else if (outcome === 'not_evidenced') {
      errors.evidence = 'Remove the date, or choose an outcome other than not evidenced: a dated record is evidence'
    } else {
      evidenceDate = reading.iso
    }
  }

  let timelinessOverride: TimelinessOverride | null = null
  let overrideReason: string | null = null
  const rawOverride = input.override.trim()
  const reason = input.overrideReason.trim()
  if (rawOverride !== '') {
    if (!isOverride(rawOverride)) errors.override = 'Select how timely the file shows this was'
    else if (ctx.dueDate === null)
      errors.override = 'This obligation has no time limit, so there is no timeliness judgement to change'
    else timelinessOverride = rawOverride
    if (reason === '') errors.reason = 'Enter why you changed the timeliness judgement'
    else if (reason.length > REASON_MAX)
      errors.reason = `Reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`
    else overrideReason = reason
  }

  if (Object.keys(errors).length > 0) return { ok: false, pending: null, errors }
  if (pending !== null) return { ok: false, pending, errors }
  return {
    ok: true,
    answer: {
      outcome,
      evidenceDate,
      note: note === '' ? null : note,
      timelinessOverride,
      overrideReason,
      dueDate: ctx.dueDate,
      daysLate: daysLateFor(ctx.dueDate, evidenceDate),
    },
  }
}

const comparedFields = [
  'outcome',
  'evidenceDate',
  'note',
  'timelinessOverride',
  'overrideReason',
  'dueDate',
  'daysLate',
] as const

/** True when saving `next` over `stored` would change nothing, so no new version is written. */
export function sameAnswer(stored: AnswerValue | null, next: AnswerValue): boolean {
  if (stored === null) return isBlankAnswer(next)
  return comparedFields.every((f) => stored[f] === next[f])
}

/** An answer with nothing recorded: outcome, date, note and override all blank. */
export function isBlankAnswer(a: AnswerValue): boolean {
  return a.outcome === null && a.evidenceDate === null && a.note === null && a.timelinessOverride === null
}

export type TimelinessView =
  | { kind: 'none' }
  | { kind: 'judged'; status: 'on_time' | 'late' | 'not_evidenced'; text: string; automatic: string | null }

function lateText(days: number): string {
  return `Late by ${days} working ${days === 1 ? 'day' : 'days'}`
}

/**
 * The judgement shown beside an obligation with a time limit: worked out from the due date and
 * evidence date, unless the auditor overrode it (then the worked-out one is shown as well).
 */
export function describeTimeliness(
  dueDate: string | null,
  evidenceDate: string | null,
  override: TimelinessOverride | null,
): TimelinessView {
  if (dueDate === null) return { kind: 'none' }
  const judged = judgeTimeliness(dueDate, evidenceDate)
  const status = judged.status === 'late' || judged.status === 'on_time' ? judged.status : 'not_evidenced'
  const automatic =
    judged.status === 'late' ? lateText(judged.workingDaysLate) : status === 'on_time' ? 'On time' : 'Not evidenced'
  if (override !== null) {
    return {
      kind: 'judged',
      status: override,
      text: override === 'on_time' ? 'On time (changed by the auditor)' : 'Late (changed by the auditor)',
      automatic,
    }
  }
  return { kind: 'judged', status, text: automatic, automatic: null }
}
