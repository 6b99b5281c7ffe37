// Small readers for urlencoded bodies, shared by the facts and answer forms.
import type { FormErrors } from '../../forms.ts'

export type Body = Record<string, unknown>

export function asBody(body: unknown): Body {
  return body && typeof body === 'object' ? (body as Body) : {}
}

/** One string field; a repeated name (a crafted request) counts by its first value. */
export function field(body: Body, name: string): string {
  const v = body[name]
  if (typeof v === 'string') return v
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0]
  return ''
}

/** Records a field's message for the inline error and the summary link to `anchor`. */
export function addFieldError(errors: FormErrors, fieldName: string, text: string, anchor = fieldName): void {
  if (errors.fields[fieldName]) return
  errors.fields[fieldName] = text
  errors.summary.push({ text, href: `#${anchor}` })
}
