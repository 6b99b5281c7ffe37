// What the findings routes read from a request: the forms' schemas and their dates.
import { z } from 'zod'
import { dateFields, requiredText } from '../../forms.ts'
import { readDateParts } from '../../../audits/date-input.ts'
import { findingStatuses, progressStatuses, severities } from '../../../audits/findings.ts'
import { addError, type FormErrors } from '../../forms.ts'

export const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))

export const findingSchema = z.object({
  title: requiredText(200, 'Enter a short title for the finding', 'Title must be 200 characters or fewer'),
  items: list.pipe(z.array(z.string()).min(1, { error: 'Select at least one item the finding concerns' })),
  severity: z.enum(severities, { error: 'Select how serious the finding is' }),
  recommendation: requiredText(5000, 'Enter the recommendation', 'Recommendation must be 5,000 characters or fewer'),
  caseRefs: z.string().max(5000, { error: 'List at most 5,000 characters of case references' }).optional().default(''),
})

export const moveSchema = z.object({
  to: z.enum(findingStatuses, { error: 'Choose what to do' }),
  text: z.string().trim().max(5000, { error: 'Write 5,000 characters or fewer' }).optional().default(''),
})

export const actionSchema = z.object({
  description: requiredText(2000, 'Describe the action', 'Description must be 2,000 characters or fewer'),
})

export const progressSchema = z.object({
  note: requiredText(2000, 'Describe the progress made', 'Progress note must be 2,000 characters or fewer'),
  status: z.enum(progressStatuses as [string, ...string[]], { error: 'Select where the action now stands' }),
})

export function splitRefs(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
}

export function dateFrom(body: unknown, name: string, label: string, errors: FormErrors): string | null {
  const reading = readDateParts(dateFields(body, name), label)
  if (reading.kind === 'date') return reading.iso
  addError(errors, name, reading.kind === 'empty' ? `Enter ${label.toLowerCase()}` : reading.message)
  return null
}
