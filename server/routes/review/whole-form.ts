// Checking a whole-page save (the form without script): the facts, every answer on the page,
// clashes with answers saved meanwhile, and answers the new facts would delete. Nothing is written
// here; the route writes the plan in one transaction only when it holds no problem.
import type { Applicability } from '../../../audits/applicability.ts'
import { fieldIdOf } from '../../../audits/field-ids.ts'
import type { Db } from '../../../schema/database.ts'
import { addError, noErrors, type Body, type FormErrors } from '../../forms.ts'
import { applicabilityOf, type CaseContext } from '../../services/review/case-context.ts'
import { confirmedRemovals, type FactsValues } from '../../services/review/facts-form.ts'
import { checkFacts } from '../../services/review/facts-check.ts'
import { loadAnswers } from '../../services/review/queries.ts'
import { classifyChange, type AnswerChange } from '../../services/review/writes.ts'
import { answersLeaving, type FactsChange } from '../../services/review/facts-writes.ts'
import { hasAnswerFields } from './answer-form.ts'
import { addAnswerErrors, addConflictError, itemLabel, saveAnswerFields } from './answer-save.ts'
import { conflictView, type ItemOverlay } from './case-view.ts'
import { hasFactsFields, readFactsValues } from './facts-fields.ts'

/** Answered obligations the new facts would take away, for the auditor to confirm. */
export interface ConfirmView {
  /** Their keys, comma separated: the value the confirmation sends back. */
  keys: string
  items: Array<{ itemId: string; title: string; triggerDate: string; outcome: string | null }>
}

export const CONFIRM_REMOVAL_MESSAGE =
  'Confirm that the answers to obligations that no longer apply can be deleted, or change the facts back'

/**
 * Null when the new facts delete no answer the auditor has not agreed to lose; otherwise what to
 * ask them. Agreement names the answers, so a later change that drops more asks again.
 */
export function removalToConfirm(
  db: Db,
  ctx: CaseContext,
  applicability: Applicability,
  values: FactsValues,
): ConfirmView | null {
  const leaving = answersLeaving(db, ctx.rec.id, applicability).answered
  const confirmed = confirmedRemovals(values)
  if (leaving.every((a) => confirmed.has(a.obligationKey))) return null
  const titles = new Map((ctx.applicability?.items ?? []).map((o) => [o.key, o.item.title]))
  return {
    keys: leaving.map((a) => a.obligationKey).join(','),
    items: leaving.map((a) => ({
      itemId: a.itemId,
      title: titles.get(a.obligationKey) ?? a.itemId,
      triggerDate: a.obligationKey.split('@')[1]?.slice(0, 10) ?? '',
      outcome: a.outcome,
    })),
  }
}

export interface WholeFormPlan {
  errors: FormErrors
  /** How many of the problems are clashes with answers saved meanwhile (409 when that is all). */
  conflicts: number
  factsValues: FactsValues | undefined
  factsChange: FactsChange | null
  confirm: ConfirmView | null
  /** The obligations under the submitted facts (or the saved ones, when those did not check). */
  applicability: Applicability | null
  /** What was typed, errors and clashes, per obligation, to show the page again. */
  overlays: Map<string, ItemOverlay>
  changes: AnswerChange[]
}

export function planWholeFormSave(db: Db, ctx: CaseContext, body: Body): WholeFormPlan {
  const errors = noErrors()
  let factsValues: FactsValues | undefined
  let factsChange: FactsChange | null = null
  let confirm: ConfirmView | null = null
  let facts = ctx.facts
  let applicability = ctx.applicability

  // A second marker reads the facts; facts fields in their form are ignored, never saved.
  if (ctx.access.factsEditable && hasFactsFields(body)) {
    factsValues = readFactsValues(body)
    const check = checkFacts(factsValues, {
      mode: 'save',
      today: ctx.today,
      agencyNames: new Set(ctx.choices.map((c) => c.name)),
    })
    if (!check.ok) {
      errors.summary.push(...check.errors.summary)
      Object.assign(errors.fields, check.errors.fields)
    } else {
      facts = check.facts
      applicability = applicabilityOf(check.facts, ctx.rec)
      factsChange = { facts: check.facts, applicability, directory: ctx.directory }
      confirm = removalToConfirm(db, ctx, applicability, factsValues)
      if (confirm) addError(errors, 'confirmRemoval', CONFIRM_REMOVAL_MESSAGE)
    }
  }

  const stored = loadAnswers(db, ctx.rec.id, ctx.access.marker)
  const overlays = new Map<string, ItemOverlay>()
  const changes: AnswerChange[] = []
  let conflicts = 0
  for (const obligation of applicability?.items ?? []) {
    // New obligations were not on the page the auditor saw, so they have no fields yet.
    if (!hasAnswerFields(body, fieldIdOf(obligation.key))) continue
    const existing = stored.get(obligation.key) ?? null
    const result = saveAnswerFields(ctx, obligation, body, {
      mode: 'save',
      facts,
      stored: () => existing,
      write: (change) => {
        const kind = classifyChange(existing, change)
        return { kind: kind === 'write' ? 'saved' : kind, row: existing, before: existing }
      },
    })
    switch (result.kind) {
      case 'kept':
        break
      case 'invalid':
      case 'pending':
        overlays.set(obligation.key, { input: result.input, errors: result.errors })
        addAnswerErrors(errors, obligation, result.errors)
        break
      case 'conflict':
        conflicts++
        overlays.set(obligation.key, { input: result.input, conflict: conflictView(result.input, existing) })
        addConflictError(errors, obligation.key, itemLabel(obligation))
        break
      case 'saved':
        overlays.set(obligation.key, { input: result.input })
        if (result.written) changes.push(result.change)
    }
  }
  return { errors, conflicts, factsValues, factsChange, confirm, applicability, overlays, changes }
}
