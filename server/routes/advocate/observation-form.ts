// The observation form: reading and checking what the advocate typed, including the guard that
// refuses anything that looks like a victim's contact details, and the form's options.
import { z } from 'zod'
import { datePartsOf, readDateParts } from '../../../audits/date-input.ts'
import { rights2020 } from '../../../audits/frameworks/index.ts'
import { themes, type ThemeId } from '../../../audits/frameworks/types.ts'
import { findPersonalData, personalDataMessage } from '../../../audits/personal-data.ts'
import {
  observationKindLabels,
  observationKinds,
  observationRatingLabels,
  observationRatings,
  observationSettingLabels,
  observationSettings,
} from '../../../audits/vocabulary.ts'
import {
  addError,
  field,
  idOf,
  listField,
  noErrors,
  requiredText,
  submittedValues,
  type FormErrors,
} from '../../forms.ts'
import type { ObservationInput, ObservationDetail } from '../../services/advocate/observations.ts'

export const TEXT_MAX = 5000
export const FOLLOW_UP_MAX = 2000

const themeIds = themes.map((t) => t.id) as [ThemeId, ...ThemeId[]]
const rightNumbers = rights2020.map((_, i) => String(i + 1))

const longText = (label: string, max: number, required: boolean) => {
  const long = `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`
  return required
    ? requiredText(max, `Enter ${label.toLowerCase()}`, long)
    : z.string().trim().max(max, { error: long })
}

/** The free-text fields, with the label each message names; every one passes the personal-data guard. */
const textFields = [
  { name: 'wentWell', label: 'What went well', max: TEXT_MAX, required: true },
  { name: 'couldImprove', label: 'What could improve', max: TEXT_MAX, required: true },
  { name: 'followUp', label: 'Follow-up', max: FOLLOW_UP_MAX, required: false },
] as const

export const observationOptions = {
  settings: observationSettings.map((s) => ({ value: s, text: observationSettingLabels[s] })),
  kinds: observationKinds.map((k) => ({ value: k, text: observationKindLabels[k] })),
  ratings: observationRatings.map((r) => ({ value: r, text: observationRatingLabels[r] })),
  themes: themes.map((t) => ({ value: t.id, text: t.name })),
  rights: rights2020.map((name, i) => ({ value: String(i + 1), text: `Right ${i + 1}: ${name}` })),
}

export type ObservationReading = { ok: true; input: ObservationInput } | { ok: false; errors: FormErrors }

/**
 * Reads the submitted form. `agencyIds`: the services the advocate may choose; `today` bounds the
 * date (an observation is of something already seen). Errors are in the form's order.
 */
export function readObservation(body: unknown, agencyIds: ReadonlySet<number>, today: string): ObservationReading {
  const errors = noErrors()
  const reading = readDateParts(
    {
      day: field(body, 'observedOn-day'),
      month: field(body, 'observedOn-month'),
      year: field(body, 'observedOn-year'),
    },
    'The date of the observation',
  )
  let observedOn: string | null = null
  if (reading.kind === 'date') {
    if (reading.iso > today) addError(errors, 'observedOn', 'The date of the observation must be today or in the past')
    else observedOn = reading.iso
  } else
    addError(errors, 'observedOn', reading.kind === 'empty' ? 'Enter the date of the observation' : reading.message)

  const agencyId = idOf(field(body, 'agency'))
  if (agencyId === null || !agencyIds.has(agencyId)) addError(errors, 'agency', 'Select the service or agency observed')
  const setting = z.enum(observationSettings).safeParse(field(body, 'setting'))
  if (!setting.success) addError(errors, 'setting', 'Select the setting')
  const kind = z.enum(observationKinds).safeParse(field(body, 'kind'))
  if (!kind.success) addError(errors, 'kind', 'Select the kind of observation')

  const themeList = listField(body, 'themes')
  if (themeList.length === 0) addError(errors, 'themes', 'Select at least one theme the observation touches')
  else if (!themeList.every((t) => (themeIds as string[]).includes(t)))
    addError(errors, 'themes', 'Select themes from the list')
  const rightList = listField(body, 'rights')
  if (!rightList.every((r) => rightNumbers.includes(r))) addError(errors, 'rights', 'Select Rights from the list')

  const texts: Record<string, string> = {}
  for (const f of textFields) {
    const parsed = longText(f.label, f.max, f.required).safeParse(field(body, f.name))
    if (!parsed.success) {
      addError(errors, f.name, parsed.error.issues[0]?.message ?? `Check ${f.label.toLowerCase()}`)
      continue
    }
    const hit = findPersonalData(parsed.data)
    if (hit) addError(errors, f.name, personalDataMessage(f.label, hit))
    texts[f.name] = parsed.data
  }
  const rating = z.enum(observationRatings).safeParse(field(body, 'rating'))
  if (!rating.success) addError(errors, 'rating', 'Select the overall rating')

  if (errors.summary.length > 0 || observedOn === null || agencyId === null) return { ok: false, errors }
  if (!setting.success || !kind.success || !rating.success) return { ok: false, errors }
  return {
    ok: true,
    input: {
      observedOn,
      agencyId,
      setting: setting.data,
      kind: kind.data,
      themes: [...new Set(themeList)] as ThemeId[],
      rights: [...new Set(rightList)].map(Number),
      wentWell: texts.wentWell ?? '',
      couldImprove: texts.couldImprove ?? '',
      rating: rating.data,
      followUp: texts.followUp ?? '',
    },
  }
}

/** What the form shows again after a refusal: what was typed, with the lists as lists. */
export function typedValues(body: unknown): Record<string, unknown> {
  return { ...submittedValues(body), themes: listField(body, 'themes'), rights: listField(body, 'rights') }
}

/** The form filled from a saved observation, for editing. */
export function savedValues(o: ObservationDetail): Record<string, unknown> {
  const d = datePartsOf(o.observedOn)
  return {
    'observedOn-day': d.day,
    'observedOn-month': d.month,
    'observedOn-year': d.year,
    agency: String(o.agencyId),
    setting: o.setting,
    kind: o.kind,
    themes: o.themes,
    rights: o.rights.map(String),
    wentWell: o.wentWell,
    couldImprove: o.couldImprove,
    rating: o.rating,
    followUp: o.followUp,
  }
}
