// One answer's fields on the case page. Every name starts with the obligation's field id, so the
// whole page can be one form (no script) and an autosave can still send just one answer's fields
// (views/assets/app.js keeps only those).
import { datePartsOf } from '../../../audits/date-input.ts'
import type { AnswerField, AnswerInput, AnswerValue } from '../../../audits/answer-rules.ts'
import { dateFields, field, type Body } from '../../forms.ts'

/** Where each rule's message is shown and where the error summary links to. */
export function answerErrorAnchor(fid: string, f: AnswerField): string {
  switch (f) {
    case 'outcome':
      return `${fid}-outcome`
    case 'evidence':
      return `${fid}-evidence-day`
    default:
      return `${fid}-${f}`
  }
}

export function readAnswerInput(body: Body, fid: string): AnswerInput {
  return {
    outcome: field(body, `${fid}-outcome`),
    evidence: dateFields(body, `${fid}-evidence`),
    note: field(body, `${fid}-note`),
    override: field(body, `${fid}-override`),
    overrideReason: field(body, `${fid}-reason`),
  }
}

/** True when the body carries this obligation's fields at all. */
export function hasAnswerFields(body: Body, fid: string): boolean {
  return `${fid}-version` in body
}

/** The version the client last saw; 0 means "no answer yet"; null when it is garbled. */
export function readVersion(body: Body, name: string): number | null {
  const raw = field(body, name).trim()
  if (raw === '') return 0
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null
}

/** How a conflict was settled: keep the stored answer, or write mine over it. */
export function readResolution(
  body: Body,
  fid: string,
): { choice: 'theirs' | 'mine'; theirsVersion: number | null } | null {
  const choice = field(body, `${fid}-resolve`)
  if (choice !== 'theirs' && choice !== 'mine') return null
  return { choice, theirsVersion: readVersion(body, `${fid}-theirs`) }
}

export function inputOf(
  stored: Pick<AnswerValue, 'outcome' | 'evidenceDate' | 'note' | 'timelinessOverride' | 'overrideReason'> | null,
): AnswerInput {
  return {
    outcome: stored?.outcome ?? '',
    evidence: datePartsOf(stored?.evidenceDate ?? null),
    note: stored?.note ?? '',
    override: stored?.timelinessOverride ?? '',
    overrideReason: stored?.overrideReason ?? '',
  }
}
