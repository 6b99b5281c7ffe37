// The option lists the case page's forms offer: the facts (with each flag's wording), the
// answers' outcomes and the reasons a case cannot be audited.
import { eventTypes, offenceGroups, victimCharacteristics } from '../../../audits/case-facts.ts'
import { outcomeLabels, outcomes, outcomesNeedingNote } from '../../../audits/answer-rules.ts'
import { unusableReasonLabels, unusableReasons } from '../../../audits/vocabulary.ts'
import { choiceFields, choiceKeys, flagKeys } from '../../services/review/facts-form.ts'

function flagText(key: (typeof flagKeys)[number]): { label: string; hint: string | null } {
  if (key === 'specifiedOffence') {
    return {
      label: 'Specified violent or sexual offence',
      hint: 'With a custodial sentence of 12 months or more, this brings the victim into the Victim Contact Scheme',
    }
  }
  if (key === 'recordedEnhanced') {
    return {
      label: 'Agency flagged the victim as enhanced',
      hint: 'As recorded at the needs assessment; compared with what the case facts show',
    }
  }
  if (key === 'cpsSpecifiedCase') {
    return {
      label: 'A specified case for a CPS meeting offer',
      hint: 'Where the CPS drops or changes the case, it offers a meeting in specified cases',
    }
  }
  return { label: victimCharacteristics[key], hint: null }
}

/** Option lists for the facts form. */
export const factsOptions = {
  offenceGroups: Object.entries(offenceGroups).map(([value, text]) => ({ value, text })),
  eventTypes: Object.entries(eventTypes).map(([value, e]) => ({ value, text: e.label })),
  flags: flagKeys.map((key) => ({ key, ...flagText(key) })),
  choices: choiceKeys.map((key) => {
    const spec = choiceFields[key]
    const options = Object.entries(spec.options).map(([value, text]) => ({ value, text: text as string }))
    return {
      key,
      label: spec.label,
      hint: spec.hint,
      options: spec.unknown ? [{ value: '', text: 'Not known' }, ...options] : options,
    }
  }),
  flagChoices: [
    { value: 'yes', text: 'Yes' },
    { value: 'no', text: 'No' },
    { value: 'unknown', text: 'Not known' },
  ],
  outcomes: outcomes.map((value) => ({ value, text: outcomeLabels[value] })),
  noteHint: `Needed for ${outcomesNeedingNote.map((o) => `"${outcomeLabels[o]}"`).join(' and ')}.`,
  unusableReasons: unusableReasons.map((value) => ({ value, text: unusableReasonLabels[value] })),
}
