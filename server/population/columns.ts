// The columns a population file may carry: the one list behind header checking, row validation,
// the template CSV and the column guide page.
import {
  eventColumns,
  offenceGroupKeys,
  offenceGroups,
  type EventType,
  type OffenceGroup,
} from '../../audits/case-facts.ts'

export const districts = {
  allerdale: 'Allerdale',
  barrow: 'Barrow-in-Furness',
  carlisle: 'Carlisle',
  copeland: 'Copeland',
  eden: 'Eden',
  south_lakeland: 'South Lakeland',
} as const
export type District = keyof typeof districts
export const districtKeys = Object.keys(districts) as [District, ...District[]]

export { offenceGroupKeys, type OffenceGroup }

/** Victim flag columns and the population_cases column (SQL name) each one fills. */
export const flagColumns = [
  { column: 'under_18', sql: 'under18', label: 'Victim under 18 at the time of the offence' },
  { column: 'vulnerable', sql: 'vulnerable', label: 'Victim vulnerable' },
  { column: 'intimidated', sql: 'intimidated', label: 'Victim intimidated' },
  { column: 'persistently_targeted', sql: 'persistently_targeted', label: 'Victim persistently targeted' },
  {
    column: 'bereaved',
    sql: 'bereaved',
    label: 'Bereaved close relative of someone who died as a result of the crime',
  },
  { column: 'domestic_abuse', sql: 'domestic_abuse', label: 'Victim of domestic abuse' },
  { column: 'hate_crime', sql: 'hate_crime', label: 'Hate crime' },
] as const
export type FlagColumn = (typeof flagColumns)[number]['column']

export const flagValues = { yes: 1, y: 1, true: 1, '1': 1, no: 0, n: 0, false: 0, '0': 0 } as const

export const CASE_REF_MAX = 64
export const CASE_REF_PATTERN = /^[A-Za-z0-9/_-]{1,64}$/
export const OUTCOME_MAX = 100
export const AGENCY_REF_MAX = 64

export type ColumnKind = 'caseRef' | 'date' | 'offenceGroup' | 'district' | 'flag' | 'outcome' | 'agencyRef' | 'event'

export interface ColumnDef {
  name: string
  kind: ColumnKind
  required: boolean
  /** What the column holds, for the column guide. */
  description: string
  /** The values it accepts, in words. */
  allowed: string
  example: string
  /** Event columns: the event type and whether it may list several dates. */
  event?: EventType
  repeatable?: boolean
}

const flagAllowed = 'yes, no, y, n, true, false, 1 or 0 (any capitals); leave blank when not known'

export const populationColumns: readonly ColumnDef[] = [
  {
    name: 'case_ref',
    kind: 'caseRef',
    required: true,
    description: 'The pseudonymised case reference, unique within the round. Never a name.',
    allowed: '1 to 64 letters, digits, slashes (/), underscores (_) or hyphens (-)',
    example: 'CA-23-000101',
  },
  {
    name: 'reported_on',
    kind: 'date',
    required: true,
    description: 'The date the crime was reported.',
    allowed: 'A date written YYYY-MM-DD, from 2000 to 2099',
    example: '2023-05-13',
  },
  {
    name: 'offence_group',
    kind: 'offenceGroup',
    required: true,
    description: 'The offence group.',
    allowed: offenceGroupKeys.map((k) => `${k} (${offenceGroups[k]})`).join('; '),
    example: 'violence',
  },
  {
    name: 'district',
    kind: 'district',
    required: true,
    description: 'The district where the crime happened.',
    allowed: districtKeys.map((k) => `${k} (${districts[k]})`).join('; '),
    example: 'carlisle',
  },
  ...flagColumns.map((f) => ({
    name: f.column,
    kind: 'flag' as const,
    required: false,
    description: `${f.label}.`,
    allowed: flagAllowed,
    example: 'no',
  })),
  {
    name: 'outcome',
    kind: 'outcome',
    required: false,
    description: 'The outcome of the case so far, in a few words. No names.',
    allowed: `Any text up to ${OUTCOME_MAX} characters`,
    example: 'Convicted, guilty plea',
  },
  {
    name: 'agency_ref',
    kind: 'agencyRef',
    required: false,
    description: 'The agency that owns the case file, where it is not the police.',
    allowed:
      `An agency type (police, witness_care, cps, courts, probation, youth_justice, victim_services, ` +
      `other) or an agency's short name as set up in this service, up to ${AGENCY_REF_MAX} characters`,
    example: 'cps',
  },
  ...eventColumns.map((e) => ({
    name: e.column,
    kind: 'event' as const,
    required: false,
    description: `${e.label}.`,
    allowed: e.repeatable
      ? 'One or more dates written YYYY-MM-DD, separated by semicolons (;)'
      : 'One date written YYYY-MM-DD',
    example: e.repeatable ? '2023-06-01;2023-09-14' : '2023-05-13',
    event: e.column,
    repeatable: e.repeatable,
  })),
]

export const requiredColumns = populationColumns.filter((c) => c.required)
const byName = new Map(populationColumns.map((c) => [c.name, c]))
/** Header text as matched: trimmed, any case, spaces or hyphens read as underscores. */
export function normaliseHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
}

export type HeaderResult = { ok: true; columns: ColumnDef[] } | { ok: false; messages: string[] }

function list(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ')
}

/** Maps the header row to column definitions, position by position, or says what is wrong. */
export function mapHeader(cells: string[]): HeaderResult {
  const names = cells.map(normaliseHeader)
  const messages: string[] = []
  if (names.length === 1) {
    const only = cells[0] ?? ''
    if (only.includes(';'))
      messages.push(
        'The first line uses semicolons (;) between the column names: save the file as CSV with commas between values.',
      )
    else if (only.includes('\t'))
      messages.push(
        'The first line uses tabs between the column names: save the file as CSV with commas between values.',
      )
  }
  const blank = names.flatMap((n, i) => (n === '' ? [i + 1] : []))
  if (blank.length > 0) messages.push(`The first line must name every column: column ${blank.join(', ')} has no name.`)
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const n of names) {
    if (n !== '' && seen.has(n)) repeated.add(n)
    seen.add(n)
  }
  if (repeated.size > 0) messages.push(`These columns appear more than once: ${list([...repeated])}. Keep one of each.`)
  const unknown = names.filter((n, i) => n !== '' && !byName.has(n) && names.indexOf(n) === i)
  if (unknown.length > 0) {
    messages.push(
      `The file has ${unknown.length === 1 ? 'a column' : 'columns'} this service does not recognise: ` +
        `${list(unknown.map((n) => cells[names.indexOf(n)]?.trim() ?? n))}. Check the spelling against the ` +
        `column guide, or remove ${unknown.length === 1 ? 'it' : 'them'}.`,
    )
  }
  const missing = requiredColumns.filter((c) => !seen.has(c.name)).map((c) => c.name)
  if (missing.length > 0) {
    messages.push(
      `The file is missing the required ${missing.length === 1 ? 'column' : 'columns'} ${list(missing)}. The ` +
        `first line must hold the column names.`,
    )
  }
  if (messages.length > 0) return { ok: false, messages }
  return { ok: true, columns: names.map((n) => byName.get(n) as ColumnDef) }
}
