import type { z } from 'zod'

export interface FormErrors {
  /** For the GOV.UK error summary: each message links to its field. */
  summary: { text: string; href: string }[]
  /** Message per field name, for the inline error beside each field. */
  fields: Record<string, string>
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors }

export function noErrors(): FormErrors {
  return { summary: [], fields: {} }
}

export function errorsFrom(list: { field: string; text: string }[]): FormErrors {
  const errors = noErrors()
  for (const { field, text } of list) addError(errors, field, text)
  return errors
}

export function addError(errors: FormErrors, field: string, text: string): void {
  if (errors.fields[field]) return
  errors.fields[field] = text
  errors.summary.push({ text, href: `#${field}` })
}

/** Validates a submitted form; the first problem per field is kept, in the schema's order. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {})
  if (parsed.success) return { ok: true, data: parsed.data }
  const errors = noErrors()
  for (const issue of parsed.error.issues) addError(errors, issue.path.map(String).join('-') || 'form', issue.message)
  return { ok: false, errors }
}

/** Strings from a urlencoded body, for re-showing what the user typed. */
export function submittedValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== '_csrf' && !k.includes('password')) out[k] = v
  }
  return out
}

/** A positive integer id from route params, or null (the caller answers 404, never 500). */
export function idParam(params: unknown, name = 'id'): number | null {
  const raw = params && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined
  if (typeof raw !== 'string' || !/^[1-9]\d{0,15}$/.test(raw)) return null
  return Number(raw)
}
