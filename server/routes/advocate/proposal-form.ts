// The form proposing a finding from an observation: the finding's own fields (as /findings/new
// asks for them), items of the round's Code, and the same personal-data guard as the observation.
import type { Severity } from '../../../audits/findings.ts'
import { headingItems, headingItemsOnly } from '../../../audits/frameworks/index.ts'
import { findPersonalData, personalDataMessage } from '../../../audits/personal-data.ts'
import { addError, field, idOf, listField, noErrors, type FormErrors } from '../../forms.ts'
import type { ScoreRound } from '../../services/scores/rounds-queries.ts'
import { findingSchema } from '../findings/forms.ts'

// The finding's own fields, read exactly as /findings/new reads them.
const proposalSchema = findingSchema.pick({ title: true, severity: true, recommendation: true })

export interface Proposal {
  title: string
  itemIds: string[]
  severity: Severity
  recommendation: string
}

/** Reads the proposal for `round` (undefined when the round asked for is not one the user reads). */
export function readProposal(
  body: unknown,
  round: ScoreRound | undefined,
): { ok: true; proposal: Proposal } | { ok: false; errors: FormErrors } {
  const errors = noErrors()
  if (!round || idOf(field(body, 'round')) !== round.id)
    addError(errors, 'round', 'Select the round the finding belongs to')
  const parsed = proposalSchema.safeParse(body ?? {})
  if (!parsed.success) for (const i of parsed.error.issues) addError(errors, i.path.map(String).join('-'), i.message)
  const itemIds = [...new Set(listField(body, 'items'))]
  const items = round ? headingItems(round.framework, round.edition) : null
  if (itemIds.length === 0) addError(errors, 'items', 'Select at least one item the finding concerns')
  else if (round && items && itemIds.some((id) => !items.some((i) => i.id === id)))
    addError(errors, 'items', headingItemsOnly(round.framework, round.edition))
  for (const [name, label] of [
    ['title', 'Title'],
    ['recommendation', 'Recommendation'],
  ] as const) {
    const hit = findPersonalData(field(body, name))
    if (hit) addError(errors, name, personalDataMessage(label, hit))
  }
  if (!parsed.success || errors.summary.length > 0) return { ok: false, errors }
  return { ok: true, proposal: { ...parsed.data, itemIds } }
}
