// Checking a whole-page save (the form without script): the facts, every answer on the page,
// clashes with answers saved meanwhile, and answers the new facts would delete. Nothing is written
// here; the route writes the plan in one transaction only when it holds no problem.
import type { Applicability, Obligation } from '../../../audits/applicability.ts'
import { checkAnswer, type AnswerContext } from '../../../audits/answer-rules.ts'
import type { Db } from '../../../schema/database.ts'
import { noErrors, type FormErrors } from '../../forms.ts'
import { answerErrorAnchor, hasAnswerFields, readAnswerInput, readResolution, readVersion } from './answer-form.ts'
import { fieldIdOf } from '../../../audits/applicability.ts'
import { applicabilityOf, type CaseContext } from '../../services/review/case-context.ts'
import { conflictView, triggerLabel, type ItemOverlay } from './case-view.ts'
import {
  checkFacts,
  confirmedRemovals,
  hasFactsFields,
  readFactsValues,
  type FactsValues,
} from '../../services/review/facts-form.ts'
import { addError, type Body } from '../../forms.ts'
import { loadAnswers } from '../../services/review/queries.ts'
import { agencyForObligation } from '../../../audits/responsible-agency.ts'
import { answersLeaving, classifyChange, type AnswerChange, type FactsChange } from '../../services/review/writes.ts'

export function answerContext(obligation: Obligation, today: string, mode: AnswerContext['mode']): AnswerContext {
  return {
    triggerDate: obligation.triggerDate,
    triggerText: triggerLabel(obligation.triggerEvent).toLowerCase(),
    dueDate: obligation.dueDate,
    today,
    mode,
  }
}

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

export function conflictMessage(label: string): string {
  return `${label}: this answer was changed by someone else. Choose which answer to keep`
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
      applicability = applicabilityOf(check.facts, ctx.overrides)
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
    const fid = fieldIdOf(obligation.key)
    // New obligations were not on the page the auditor saw, so they have no fields yet.
    if (!hasAnswerFields(body, fid)) continue
    const input = readAnswerInput(body, fid)
    const resolution = readResolution(body, fid)
    if (resolution?.choice === 'theirs') continue
    const label = `${obligation.item.id} ${obligation.item.title}`
    const check = checkAnswer(input, answerContext(obligation, ctx.today, 'save'))
    if (!check.ok) {
      overlays.set(obligation.key, { input, errors: check.errors })
      for (const [f, text] of Object.entries(check.errors))
        addError(errors, `${fid}-${f}`, `${label}: ${text}`, answerErrorAnchor(fid, f as never))
      continue
    }
    const expected = resolution?.choice === 'mine' ? resolution.theirsVersion : readVersion(body, `${fid}-version`)
    const existing = stored.get(obligation.key) ?? null
    const change: AnswerChange = {
      obligation,
      value: check.answer,
      // A version that does not read never matches, so it can only ever clash, never overwrite.
      expectedVersion: expected ?? -1,
      agencyId: facts ? agencyForObligation(ctx.directory, facts, obligation, ctx.rec.agencyRef) : null,
      marker: ctx.access.marker,
    }
    const kind = classifyChange(existing, change)
    if (kind === 'conflict') {
      conflicts++
      overlays.set(obligation.key, { input, conflict: conflictView(input, existing) })
      addError(errors, `${fid}-resolve`, conflictMessage(label), `${fid}-resolve`)
    } else {
      overlays.set(obligation.key, { input })
      if (kind === 'write') changes.push(change)
    }
  }
  return { errors, conflicts, factsValues, factsChange, confirm, applicability, overlays, changes }
}
