// Whether an obligation was met in time, judged in working days.
import { workingDaysBetween } from './calendar.ts'

export type Timeliness =
  | { status: 'on_time' }
  | { status: 'late'; workingDaysLate: number }
  | { status: 'not_evidenced' }
  | { status: 'no_time_limit' }

/**
 * Judge when something was done against its due date. Done on or before the due date is on
 * time. Anything after it is late by the working days that passed since, and by at least one:
 * a weekend contact after a Friday deadline still missed the deadline.
 */
export function judgeTimeliness(dueDate: string | null, doneOn: string | null): Timeliness {
  if (dueDate === null) return { status: 'no_time_limit' }
  if (doneOn === null) return { status: 'not_evidenced' }
  const late = workingDaysBetween(dueDate, doneOn)
  if (late > 0) return { status: 'late', workingDaysLate: late }
  return doneOn > dueDate ? { status: 'late', workingDaysLate: 1 } : { status: 'on_time' }
}
