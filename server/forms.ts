// The one form toolkit: reading urlencoded bodies, building the GOV.UK error list, parsing ids and
// the zod schemas forms share. Routes use these rather than reading request bodies themselves.
import { z } from 'zod'
import type { DateParts } from '../audits/date-input.ts'
import { REASON_MAX, unusableReasons, type UnusableReason } from '../audits/vocabulary.ts'

export interface FormErrors {
  /** For the GOV.UK error summary: each message links to its field. */
  summary: { text: string; href: string }[]
  /** Message per field name, for the inline error beside each field. */
  fields: Record<string, string>
}

/** What a form page is drawn again with after a refused submission: why, what was typed, and the status. */
export interface Redisplay<V = Record<string, string>> {
  errors?: FormErrors
  values?: V
  status?: number
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors }

// --- reading the body -------------------------------------------------------------------------

export type Body = Record<string, unknown>

export function asBody(body: unknown): Body {
  return body && typeof body === 'object' ? (body as Body) : {}
}

/** One string field; a repeated name (a crafted request) counts by its first value. */
export function field(body: unknown, name: string): string {
  const v = asBody(body)[name]
  if (typeof v === 'string') return v
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0]
  return ''
}

/** A GOV.UK date input's three fields (<name>-day, -month, -year), as typed. */
export function dateFields(body: unknown, name: string): DateParts {
  return { day: field(body, `${name}-day`), month: field(body, `${name}-month`), year: field(body, `${name}-year`) }
}

/** Repeated form fields (checkboxes) arrive as an array, a single one as a string. */
export function listField(body: unknown, name: string): string[] {
  const raw = asBody(body)[name]
  if (typeof raw === 'string') return raw === '' ? [] : [raw]
  if (Array.isArray(raw)) return raw.filter((v): v is string => typeof v === 'string' && v !== '')
  return []
}

/** The named string fields that were sent, for re-showing what the user typed. */
export function fieldsOf(body: unknown, names: readonly string[]): Record<string, string> {
  const obj = asBody(body)
  const out: Record<string, string> = {}
  for (const name of names) if (typeof obj[name] === 'string') out[name] = obj[name] as string
  return out
}

/** Every string field but the CSRF token and passwords, for re-showing what the user typed. */
export function submittedValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(asBody(body)))
    if (typeof v === 'string' && k !== '_csrf' && !k.includes('password')) out[k] = v
  return out
}

// --- ids --------------------------------------------------------------------------------------

/** A positive integer id as typed in an address or a form, or null (the caller answers 404 or 400, never 500). */
export function idOf(raw: unknown): number | null {
  return typeof raw === 'string' && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null
}

/** A positive integer id from route params, or null. */
export function idParam(params: unknown, name = 'id'): number | null {
  return idOf(asBody(params)[name])
}

/** A list of ids (checkboxes), or null when any of them is not one. */
export function idList(values: readonly string[]): number[] | null {
  const ids = values.map(idOf)
  return ids.every((id) => id !== null) ? (ids as number[]) : null
}

// --- errors -----------------------------------------------------------------------------------

export function noErrors(): FormErrors {
  return { summary: [], fields: {} }
}

/** Records a field's message for the inline error and the summary link to `anchor`; the first per field wins. */
export function addError(errors: FormErrors, fieldName: string, text: string, anchor = fieldName): void {
  if (errors.fields[fieldName]) return
  errors.fields[fieldName] = text
  errors.summary.push({ text, href: `#${anchor}` })
}

/** A one-message error list (a refusal about the whole form, or one field). */
export function formError(text: string, fieldName = 'form'): FormErrors {
  const errors = noErrors()
  addError(errors, fieldName, text)
  return errors
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.summary.length > 0
}

/** Validates a submitted form; the first problem per field is kept, in the schema's order. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {})
  if (parsed.success) return { ok: true, data: parsed.data }
  const errors = noErrors()
  for (const issue of parsed.error.issues) addError(errors, issue.path.map(String).join('-') || 'form', issue.message)
  return { ok: false, errors }
}

// --- shared schemas ---------------------------------------------------------------------------

/** Text the user must give: trimmed, not empty (`empty` says what to enter), at most `max` characters. */
export const requiredText = (max: number, empty: string, long: string) =>
  z.string({ error: empty }).trim().min(1, { error: empty }).max(max, { error: long })

/** Free text explaining a decision: trimmed, at most REASON_MAX characters. */
export const reasonText = (label = 'Details') =>
  z
    .string()
    .trim()
    .max(REASON_MAX, { error: `${label} must be ${REASON_MAX} characters or fewer` })

/**
 * Why a case cannot be audited, as the auditor reports it and as the admin gives it when replacing
 * the case: a reason from the list, and details that "Other" needs. The two forms name their
 * fields differently, so the names are given.
 */
export function unusableSchema(kindField: string, detailsField: string) {
  const shape: Record<string, z.ZodType> = {
    [kindField]: z.enum(unusableReasons, { error: 'Select why the case cannot be audited' }),
    [detailsField]: reasonText().default(''),
  }
  return z
    .object(shape)
    .transform((form) => ({ reason: form[kindField] as UnusableReason, details: form[detailsField] as string }))
    .superRefine((r, ctx) => {
      if (r.reason === 'other' && r.details === '') {
        ctx.addIssue({ code: 'custom', path: [detailsField], message: 'Enter why the case cannot be audited' })
      }
    })
}

export const RETURN_COMMENT_MAX = 2000

/** A moderator sending a complete case back to its auditor. */
export const returnSchema = z.object({
  returnComment: requiredText(
    RETURN_COMMENT_MAX,
    'Enter what the auditor needs to look at again',
    `Comment must be ${RETURN_COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`,
  ),
})
