// The time limit override form: the items it offers and what it accepts.
import { z } from 'zod'
import { REASON_MAX } from '../../../audits/vocabulary.ts'
import { roundItems } from '../../../audits/frameworks/index.ts'
import type { Edition, FrameworkKind } from '../../../schema/index.ts'
import { fieldsOf, parseForm, requiredText, type FormResult } from '../../forms.ts'
import type { OverrideInput } from '../../services/rounds/overrides.ts'

/**
 * Every item of the round's question set with its own limit, for the form's list: for a Code round
 * both editions, the heading one first (its cases hold duties of both); for a commissioned-services
 * round its questions, whose limits are the services' default targets.
 */
export function itemOptions(framework: FrameworkKind, edition: Edition) {
  const services = framework === 'commissioned_services'
  const source = services ? 'default target' : 'Code'
  return roundItems(framework, edition).map((item) => ({
    value: item.id,
    text: `${item.id}: ${item.title}${
      item.timeLimit
        ? ` (${source}: ${item.timeLimit.standard} working days, enhanced ${item.timeLimit.enhanced})`
        : ` (no fixed limit in the ${services ? 'question set' : 'Code'})`
    }`,
  }))
}

const days = (label: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 250), {
      error: `Enter the ${label} as a whole number of working days from 1 to 250`,
    })
    .transform((v) => (v === '' ? null : Number(v)))

export function parseOverrideForm(
  body: unknown,
  framework: FrameworkKind,
  edition: Edition,
): FormResult<OverrideInput> {
  const itemIds = new Set(roundItems(framework, edition).map((i) => i.id))
  const schema = z
    .object({
      itemId: z.string({ error: 'Select the entitlement the local agreement changes' }).refine((v) => itemIds.has(v), {
        error: 'Select the entitlement the local agreement changes',
      }),
      standardDays: days('standard limit'),
      enhancedDays: days('limit for enhanced victims'),
      reason: requiredText(
        REASON_MAX,
        'Enter the reason for the local agreement',
        `Reason must be ${REASON_MAX} characters or fewer`,
      ),
    })
    .superRefine((o, ctx) => {
      if (o.standardDays === null && o.enhancedDays === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['standardDays'],
          message: 'Enter a standard limit, a limit for enhanced victims, or both',
        })
      }
    })
  return parseForm(schema, {
    standardDays: '',
    enhancedDays: '',
    ...fieldsOf(body, ['itemId', 'standardDays', 'enhancedDays', 'reason']),
  })
}
