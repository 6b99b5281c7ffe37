// Reading the audit log for the admin's screen: the filter form, the page of entries and the
// before/after shown as a short list of what changed. Verification is server/audit-log.ts's own.
import { and, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { auditLog } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import { readDateParts } from '../../../audits/date-input.ts'
import { addError, dateFields, field, noErrors, type FormErrors } from '../../forms.ts'

export const PAGE_SIZE = 50

export interface AuditFilter {
  action: string
  entity: string
  actor: string
  /** ISO dates, inclusive, as days in London (how the page shows times). */
  from: string | null
  to: string | null
  page: number
}

/** What the form shows back: every field as typed. */
export type FilterValues = Record<string, string>

const filterFields = [
  'action',
  'entity',
  'actor',
  'from-day',
  'from-month',
  'from-year',
  'to-day',
  'to-month',
  'to-year',
  'page',
] as const

const filterSchema = z.object({
  // Control characters never get this far: the security plugin strips them from every query.
  action: z.string().max(100, { error: 'Select an action from the list' }),
  entity: z.string().max(100, { error: 'Select a kind of record from the list' }),
  actor: z.string().trim().max(254, { error: 'Email address must be 254 characters or fewer' }),
  page: z.union([
    z.literal(''),
    z.string().regex(/^[1-9]\d{0,8}$/, { error: 'Page must be a whole number, 1 or more' }),
  ]),
})

/** The query string as the form sent it; a repeated name counts by its first value, as in forms. */
export function filterValues(query: unknown): FilterValues {
  const out: FilterValues = {}
  for (const name of filterFields) out[name] = field(query, name)
  return out
}

/**
 * Checks the filter. `known` holds the actions and entities the log contains: the form offers only
 * those, so anything else was not chosen from it.
 */
export function parseFilter(
  values: FilterValues,
  known: { actions: string[]; entities: string[] },
): { ok: true; filter: AuditFilter } | { ok: false; errors: FormErrors } {
  const errors = noErrors()
  const parsed = filterSchema.safeParse(values)
  if (!parsed.success)
    for (const issue of parsed.error.issues) addError(errors, issue.path.map(String).join('-'), issue.message)
  const data = parsed.success ? parsed.data : null
  if (data && data.action !== '' && !known.actions.includes(data.action))
    addError(errors, 'action', 'Select an action from the list')
  if (data && data.entity !== '' && !known.entities.includes(data.entity))
    addError(errors, 'entity', 'Select a kind of record from the list')
  const dates: Record<'from' | 'to', string | null> = { from: null, to: null }
  for (const [name, label] of [
    ['from', 'Date from'],
    ['to', 'Date to'],
  ] as const) {
    const reading = readDateParts(dateFields(values, name), label)
    if (reading.kind === 'date') dates[name] = reading.iso
    else if (reading.kind !== 'empty') addError(errors, name, reading.message, `${name}-day`)
  }
  if (dates.from && dates.to && dates.from > dates.to)
    addError(errors, 'to', 'Date to must be the same as or after date from', 'to-day')
  if (errors.summary.length > 0 || !data) return { ok: false, errors }
  return {
    ok: true,
    filter: {
      action: data.action,
      entity: data.entity,
      actor: data.actor.toLowerCase(),
      from: dates.from,
      to: dates.to,
      page: data.page === '' ? 1 : Number(data.page),
    },
  }
}

/** The filter as a query string (without the page), for pagination links that keep it. */
export function filterQuery(values: FilterValues): string {
  const params = new URLSearchParams()
  for (const name of filterFields) if (name !== 'page' && values[name]) params.set(name, values[name] as string)
  return params.toString()
}

const londonHour = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: 'Europe/London' })

/** The UTC instant at which a London day begins (midnight is never inside a clock change). */
export function londonMidnight(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  const utc = Date.UTC(y, m - 1, d)
  const offset = Number(londonHour.format(new Date(utc)))
  return new Date(utc - offset * 3_600_000).toISOString()
}

function nextDay(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

export function knownValues(db: Db) {
  const distinct = (column: typeof auditLog.action | typeof auditLog.entity) =>
    db
      .selectDistinct({ v: column })
      .from(auditLog)
      .orderBy(column)
      .all()
      .map((r) => r.v)
  return { actions: distinct(auditLog.action), entities: distinct(auditLog.entity) }
}

export function findEntries(db: Db, f: AuditFilter) {
  const where: SQL[] = []
  if (f.action) where.push(eq(auditLog.action, f.action))
  if (f.entity) where.push(eq(auditLog.entity, f.entity))
  // Part of an address finds it ("police@" or "qaf.example"); % and _ typed are taken literally.
  // ESCAPE has to be on the LIKE itself, which drizzle's like() does not offer.
  if (f.actor)
    where.push(sql`lower(${auditLog.actorEmail}) like ${`%${f.actor.replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`)
  if (f.from) where.push(gte(auditLog.at, londonMidnight(f.from)))
  if (f.to) where.push(lt(auditLog.at, londonMidnight(nextDay(f.to))))
  const condition = where.length ? and(...where) : undefined
  const total = db.select({ n: count() }).from(auditLog).where(condition).get()?.n ?? 0
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  const page = Math.min(f.page, pages)
  const rows = db
    .select()
    .from(auditLog)
    .where(condition)
    .orderBy(desc(auditLog.id))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .all()
  return { total, pages, page, entries: rows.map(present) }
}

// --- how an entry reads -------------------------------------------------------------------------

/** "user_password_reset" → "User password reset": the codes are written to read this way. */
export function codeLabel(code: string): string {
  const words = code.replace(/_/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

// Nothing secret is written to the log today (passwords and hashes are left out where entries are
// made); this keeps it so on screen should a later entry carry one by mistake.
const secretKey = /password|hash|token|secret|session|cookie/i

export interface Change {
  key: string
  before: string | null
  after: string | null
}

const MAX_VALUE = 200

function show(value: unknown): string {
  const text = value === null ? 'none' : typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text
}

function parse(json: string | null): unknown {
  if (json === null) return undefined
  try {
    return JSON.parse(json)
  } catch {
    return json
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Only the fields that differ, each as its old and new value; a whole value when not a record. */
export function changesOf(beforeJson: string | null, afterJson: string | null): Change[] {
  const before = parse(beforeJson)
  const after = parse(afterJson)
  if (before === undefined && after === undefined) return []
  if ((before === undefined || isRecord(before)) && (after === undefined || isRecord(after))) {
    const b = (before ?? {}) as Record<string, unknown>
    const a = (after ?? {}) as Record<string, unknown>
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    const changes: Change[] = []
    for (const key of keys) {
      const inB = Object.hasOwn(b, key)
      const inA = Object.hasOwn(a, key)
      if (inB && inA && JSON.stringify(b[key]) === JSON.stringify(a[key])) continue
      const hidden = secretKey.test(key)
      changes.push({
        key,
        before: inB ? (hidden ? 'hidden' : show(b[key])) : null,
        after: inA ? (hidden ? 'hidden' : show(a[key])) : null,
      })
    }
    return changes
  }
  return [
    { key: '', before: before === undefined ? null : show(before), after: after === undefined ? null : show(after) },
  ]
}

function present(row: typeof auditLog.$inferSelect) {
  return {
    id: row.id,
    at: row.at,
    actor: row.actorEmail,
    action: codeLabel(row.action),
    entity: codeLabel(row.entity),
    entityId: row.entityId,
    changes: changesOf(row.before, row.after),
  }
}
