// The create/edit round form: GOV.UK date inputs (day, month, year), agency checkboxes and the
// thresholds, checked with zod and turned into a RoundInput.
import { z } from 'zod'
import { editions, frameworkKinds } from '../../../schema/index.ts'
import { isIsoDate } from '../../../audits/calendar.ts'
import { datePartsOf, readDateParts } from '../../../audits/date-input.ts'
import { dateFields, field, listField, parseForm, requiredText, submittedValues, type FormResult } from '../../forms.ts'
import type { Round, RoundInput } from '../../services/rounds/queries.ts'

const trimmed = (body: unknown, name: string) => field(body, name).trim()

/** A GOV.UK date input read into an ISO date, with the Design System's wording for each problem. */
const date = (label: string) =>
  z.object({ day: z.string(), month: z.string(), year: z.string() }).transform((parts, ctx) => {
    const reading = readDateParts(parts, label)
    if (reading.kind === 'date' && reading.iso >= '2000-01-01' && reading.iso <= '2099-12-31') return reading.iso
    const message =
      reading.kind === 'empty'
        ? `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}`
        : reading.kind === 'date'
          ? `${label} must be between 2000 and 2099`
          : reading.message
    ctx.addIssue({ code: 'custom', message })
    return z.NEVER
  })

const percent = (label: string) =>
  z
    .string()
    .regex(/^\d{1,3}(\.\d)?$/, { error: `Enter the ${label} as a percentage from 0 to 100, like 95` })
    .transform(Number)
    .refine((n) => n >= 0 && n <= 100, { error: `Enter the ${label} as a percentage from 0 to 100, like 95` })

const roundSchema = z
  .object({
    name: requiredText(120, 'Enter a name for the round', 'Name must be 120 characters or fewer'),
    framework: z.enum(frameworkKinds, { error: 'Select what the round audits' }),
    edition: z.enum(editions, { error: 'Select the edition of the Victims’ Code the round audits against' }),
    periodFrom: date('The date the period starts'),
    periodTo: date('The date the period ends'),
    agencyIds: z
      .array(z.string())
      .min(1, { error: 'Select at least one agency in scope' })
      .refine((ids) => ids.every((v) => /^[1-9]\d{0,9}$/.test(v)), { error: 'Select agencies from the list' })
      .transform((ids) => ids.map(Number)),
    ragGreen: percent('green threshold'),
    ragAmber: percent('amber threshold'),
    moderationPercent: z
      .string()
      .regex(/^\d{1,3}$/, { error: 'Enter the moderation share as a whole percentage from 1 to 100, like 10' })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, {
        error: 'Enter the moderation share as a whole percentage from 1 to 100, like 10',
      }),
  })
  .superRefine((r, ctx) => {
    if (r.framework === 'commissioned_services' && r.edition !== '2020') {
      ctx.addIssue({
        code: 'custom',
        path: ['edition'],
        message: 'A dip sample of commissioned services is judged under the 2020 Code: select the 2020 Code',
      })
    }
    if (isIsoDate(r.periodFrom) && isIsoDate(r.periodTo) && r.periodTo < r.periodFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['periodTo'],
        message: 'The date the period ends must be the same as or after the date it starts',
      })
    }
    if (r.ragAmber >= r.ragGreen) {
      ctx.addIssue({
        code: 'custom',
        path: ['ragAmber'],
        message: 'The amber threshold must be lower than the green threshold',
      })
    }
  })

export function parseRoundForm(body: unknown): FormResult<RoundInput> {
  const shaped = {
    name: trimmed(body, 'name'),
    // A form from before there was a choice audits the Code, as every round did then.
    framework: trimmed(body, 'framework') || 'victims_code',
    edition: trimmed(body, 'edition') || undefined,
    periodFrom: dateFields(body, 'periodFrom'),
    periodTo: dateFields(body, 'periodTo'),
    agencyIds: listField(body, 'agencyIds'),
    ragGreen: trimmed(body, 'ragGreen'),
    ragAmber: trimmed(body, 'ragAmber'),
    moderationPercent: trimmed(body, 'moderationPercent'),
  }
  const parsed = parseForm(roundSchema, shaped)
  if (!parsed.ok) return parsed
  const { moderationPercent, agencyIds, ...rest } = parsed.data
  return { ok: true, data: { ...rest, agencyIds: [...new Set(agencyIds)], moderationShare: moderationPercent / 100 } }
}

export interface RoundFormValues {
  fields: Record<string, string>
  agencyIds: string[]
}

/** What the admin typed, to show again beside the errors. */
export function submittedRoundValues(body: unknown): RoundFormValues {
  return { fields: submittedValues(body), agencyIds: listField(body, 'agencyIds') }
}

function splitDate(iso: string, name: string): Record<string, string> {
  const { day, month, year } = datePartsOf(iso)
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year }
}

/** A saved round as form values. */
export function roundValues(round: Round, agencyIds: readonly number[]): RoundFormValues {
  return {
    fields: {
      name: round.name,
      framework: round.framework,
      edition: round.edition,
      ...splitDate(round.periodFrom, 'periodFrom'),
      ...splitDate(round.periodTo, 'periodTo'),
      ragGreen: String(round.ragGreen),
      ragAmber: String(round.ragAmber),
      moderationPercent: String(Math.round(round.moderationShare * 100)),
    },
    agencyIds: agencyIds.map(String),
  }
}

/** A new round's starting values: the partnership's usual thresholds and every agency in scope. */
export function newRoundValues(agencyIds: readonly number[]): RoundFormValues {
  return {
    fields: { framework: 'victims_code', edition: '2020', ragGreen: '95', ragAmber: '80', moderationPercent: '10' },
    agencyIds: agencyIds.map(String),
  }
}
