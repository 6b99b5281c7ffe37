// Saving one answer from the case page's fields: the autosave of a single answer and the
// whole-page save (no script) both go through saveAnswerFields, and only map what it says to a
// reply or to the page's error summary.
import type { Obligation } from '../../../audits/applicability.ts'
import { fieldIdOf } from '../../../audits/field-ids.ts'
import { checkAnswer, type AnswerContext, type AnswerField, type AnswerInput } from '../../../audits/answer-rules.ts'
import type { CaseFacts } from '../../../audits/case-facts.ts'
import { agencyForObligation } from '../../../audits/responsible-agency.ts'
import type { Db } from '../../../schema/database.ts'
import { addError, type Body, type FormErrors } from '../../forms.ts'
import type { Scope } from '../../scope.ts'
import type { CaseContext } from '../../services/review/case-context.ts'
import { loadAnswer, type AnswerRow } from '../../services/review/queries.ts'
import { saveAnswer, type AnswerChange, type AnswerSave } from '../../services/review/writes.ts'
import { answerErrorAnchor, readAnswerInput, readResolution, readVersion } from './answer-form.ts'
import { triggerLabel } from './case-view.ts'

export type AnswerErrors = Partial<Record<AnswerField, string>>

/** What became of one answer's fields. `row` is the answer as stored afterwards. */
export type AnswerSaveResult =
  /** The fields break a rule: nothing written. */
  | { kind: 'invalid'; input: AnswerInput; errors: AnswerErrors; row: AnswerRow | null }
  /** Autosave of something half-typed (a date not finished): nothing written yet, and no error. */
  | { kind: 'pending'; input: AnswerInput; errors: AnswerErrors; pending: string; row: AnswerRow | null }
  /** Someone else saved this answer since the page was drawn: nothing written. */
  | { kind: 'conflict'; input: AnswerInput; row: AnswerRow | null }
  /** The auditor chose to keep the answer someone else saved. */
  | { kind: 'kept'; row: AnswerRow | null }
  /** Written (or, with `written` false, already stored exactly so). */
  | {
      kind: 'saved'
      input: AnswerInput
      change: AnswerChange
      written: boolean
      row: AnswerRow | null
      before: AnswerRow | null
    }

export interface AnswerSaving {
  mode: AnswerContext['mode']
  /** The facts the answer is given against: the case's, or those the whole form is saving. */
  facts: CaseFacts | null
  /** The answer as stored now, read outside any write. */
  stored: () => AnswerRow | null
  /** Writes the change; the whole-page save only classifies it here and writes all at once later. */
  write: (change: AnswerChange) => AnswerWrite
}

export interface AnswerWrite {
  kind: AnswerSave['kind']
  row: AnswerRow | null
  before: AnswerRow | null
}

export function answerContext(obligation: Obligation, today: string, mode: AnswerContext['mode']): AnswerContext {
  return {
    triggerDate: obligation.triggerDate,
    triggerText: triggerLabel(obligation.triggerEvent).toLowerCase(),
    dueDate: obligation.dueDate,
    today,
    mode,
  }
}

export function saveAnswerFields(
  ctx: CaseContext,
  obligation: Obligation,
  body: Body,
  saving: AnswerSaving,
): AnswerSaveResult {
  const fid = fieldIdOf(obligation.key)
  const resolution = readResolution(body, fid)
  if (resolution?.choice === 'theirs') return { kind: 'kept', row: saving.stored() }

  const input = readAnswerInput(body, fid)
  const check = checkAnswer(input, answerContext(obligation, ctx.today, saving.mode))
  if (!check.ok) {
    const row = saving.stored()
    if (check.pending !== null) return { kind: 'pending', input, errors: check.errors, pending: check.pending, row }
    return { kind: 'invalid', input, errors: check.errors, row }
  }
  const expected = resolution?.choice === 'mine' ? resolution.theirsVersion : readVersion(body, `${fid}-version`)
  const change: AnswerChange = {
    obligation,
    value: check.answer,
    // A version that does not read never matches, so it can only ever clash, never overwrite.
    expectedVersion: expected ?? -1,
    agencyId: saving.facts ? agencyForObligation(ctx.directory, saving.facts, obligation, ctx.rec.agencyRef) : null,
    marker: ctx.access.marker,
  }
  const result = saving.write(change)
  if (result.kind === 'conflict') return { kind: 'conflict', input, row: result.row }
  return { kind: 'saved', input, change, written: result.kind === 'saved', row: result.row, before: result.before }
}

/** The autosave of one answer (or its plain POST without script), written at once. */
export function saveOneAnswer(
  db: Db,
  scope: Scope,
  ctx: CaseContext,
  obligation: Obligation,
  body: Body,
  mode: AnswerContext['mode'],
): AnswerSaveResult {
  return saveAnswerFields(ctx, obligation, body, {
    mode,
    facts: ctx.facts,
    // Read here only when nothing is saved; a save reads it inside its transaction.
    stored: () => loadAnswer(db, ctx.rec.id, obligation.key, ctx.access.marker),
    write: (change) => saveAnswer(db, scope, ctx.rec, change, ctx.savedFacts ? null : ctx.facts),
  })
}

export function itemLabel(obligation: Obligation): string {
  return `${obligation.item.id} ${obligation.item.title}`
}

/** Each broken rule in the page's error summary, linked to its field. */
export function addAnswerErrors(errors: FormErrors, obligation: Obligation, answerErrors: AnswerErrors): void {
  const fid = fieldIdOf(obligation.key)
  for (const [f, text] of Object.entries(answerErrors))
    addError(errors, `${fid}-${f}`, `${itemLabel(obligation)}: ${text}`, answerErrorAnchor(fid, f as AnswerField))
}

/** A clash with an answer saved meanwhile, linked to the choice of which to keep. */
export function addConflictError(errors: FormErrors, key: string, label: string): void {
  const name = `${fieldIdOf(key)}-resolve`
  addError(errors, name, `${label}: this answer was changed by someone else. Choose which answer to keep`, name)
}
