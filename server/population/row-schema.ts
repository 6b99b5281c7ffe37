// The zod schemas a data row must satisfy, column by column (agency references are checked
// against the agencies set up at the time of the import).
import { z } from 'zod'
import {
  AGENCY_REF_MAX,
  CASE_REF_PATTERN,
  OUTCOME_MAX,
  districtKeys,
  flagColumns,
  flagValues,
  offenceGroupKeys,
  populationColumns,
} from './columns.ts'
import { agencyTypes } from '../../schema/index.ts'
import { OUT_OF_RANGE, dateMessages, parseCaseDay } from './dates.ts'

function dateMessage(code: number): string {
  return code === OUT_OF_RANGE ? dateMessages.outOfRange : dateMessages.notADate
}

const caseRef = z.string({ error: 'Enter a case reference: this column must not be blank' }).check((ctx) => {
  const v = ctx.value
  if (CASE_REF_PATTERN.test(v)) return
  ctx.issues.push({
    code: 'custom',
    input: v,
    message:
      v.length > 64
        ? 'Case reference must be 64 characters or fewer'
        : 'Case reference can only contain letters, digits, slashes (/), underscores (_) and hyphens (-)',
  })
})

const reportedOn = z
  .string({ error: 'Enter the date the crime was reported: this column must not be blank' })
  .transform((v, ctx) => {
    const day = parseCaseDay(v)
    if (day < 0) {
      ctx.issues.push({ code: 'custom', input: v, message: dateMessage(day) })
      return z.NEVER
    }
    return day
  })

const offenceGroup = z.enum(offenceGroupKeys, {
  error: (issue) =>
    issue.input === undefined
      ? 'Enter the offence group: this column must not be blank'
      : `Offence group must be one of ${offenceGroupKeys.join(', ')}`,
})

const district = z.enum(districtKeys, {
  error: (issue) =>
    issue.input === undefined
      ? 'Enter the district: this column must not be blank'
      : `District must be one of ${districtKeys.join(', ')}`,
})

type FlagWord = keyof typeof flagValues
const flagWords = Object.keys(flagValues) as [FlagWord, ...FlagWord[]]
const flag = z
  .enum(flagWords, { error: 'Enter yes or no (or y/n, true/false, 1/0), or leave it blank when not known' })
  .transform((v) => flagValues[v])
  .optional()

const outcome = z
  .string()
  .max(OUTCOME_MAX, { error: `Outcome must be ${OUTCOME_MAX} characters or fewer` })
  .optional()

function eventCell(repeatable: boolean) {
  return z
    .string()
    .transform((v, ctx) => {
      const days: number[] = []
      for (const part of v.split(';')) {
        const text = part.trim()
        if (text === '') continue
        const day = parseCaseDay(text)
        if (day < 0) {
          ctx.issues.push({
            code: 'custom',
            input: v,
            message: text === v ? dateMessage(day) : `"${text}": ${dateMessage(day)}`,
          })
          continue
        }
        days.push(day)
      }
      if (!repeatable && days.length > 1) {
        ctx.issues.push({ code: 'custom', input: v, message: 'This event happens only once in a case: give one date' })
      }
      return days
    })
    .optional()
}

/** Lower-cased names an agency_ref may use: every agency type, and each agency's short and full name. */
export function agencyNames(agencies: readonly { name: string; shortName: string }[]): Set<string> {
  const names = new Set<string>(agencyTypes)
  for (const a of agencies) {
    names.add(a.shortName.trim().toLowerCase())
    names.add(a.name.trim().toLowerCase())
  }
  return names
}

/**
 * One zod schema per column, built once per import. A cell's input is its trimmed text (lower-
 * cased for the case-insensitive columns) or undefined when blank; the output is what the
 * database needs: day numbers, 1/0 flags, event dates. The import validates each distinct cell
 * value of a column once and reuses the answer, so a million rows cost little more than the
 * distinct values in them.
 */
export function buildColumnSchemas(knownAgencies: ReadonlySet<string>) {
  const agencyRef = z
    .string()
    .max(AGENCY_REF_MAX, { error: `Agency must be ${AGENCY_REF_MAX} characters or fewer` })
    .check((ctx) => {
      if (ctx.value.length <= AGENCY_REF_MAX && !knownAgencies.has(ctx.value.toLowerCase())) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message:
            'Agency must be an agency type (such as police or cps) or the short name of an agency set up in this ' +
            'service',
        })
      }
    })
    .optional()
  const events = Object.fromEntries(
    populationColumns.filter((c) => c.kind === 'event').map((c) => [c.name, eventCell(c.repeatable === true)]),
  ) as Record<string, ReturnType<typeof eventCell>>
  return {
    case_ref: caseRef,
    reported_on: reportedOn,
    offence_group: offenceGroup,
    district,
    ...(Object.fromEntries(flagColumns.map((f) => [f.column, flag])) as Record<
      (typeof flagColumns)[number]['column'],
      typeof flag
    >),
    outcome,
    agency_ref: agencyRef,
    ...events,
  }
}

export type ColumnSchemas = ReturnType<typeof buildColumnSchemas>

/** The same rules as one object schema over a whole row, for checking a row on its own. */
export function buildRowSchema(knownAgencies: ReadonlySet<string>) {
  return z.object(buildColumnSchemas(knownAgencies))
}
