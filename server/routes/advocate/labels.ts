// Words the observation pages show, all from the vocabulary declared once in audits/.
import { rights2020 } from '../../../audits/frameworks/index.ts'
import { themes } from '../../../audits/frameworks/types.ts'
import type { ObservationRating } from '../../../audits/vocabulary.ts'
import { observationKindLabels, observationRatingLabels, observationSettingLabels } from '../../labels.ts'

/** GOV.UK tag colours for the ratings, as the inspectorates colour theirs. */
const ratingTags: Readonly<Record<ObservationRating, string>> = {
  good: 'govuk-tag--green',
  requires_improvement: 'govuk-tag--yellow',
  inadequate: 'govuk-tag--red',
}

export const observationWords = {
  settingLabels: observationSettingLabels,
  kindLabels: observationKindLabels,
  ratingLabels: observationRatingLabels,
  ratingTags,
  themeNames: Object.fromEntries(themes.map((t) => [t.id, t.name])) as Record<string, string>,
  rightName: (n: number) => `Right ${n}: ${rights2020[n - 1] ?? ''}`,
}
