// What the case page shows, shaped for the templates: the obligations with their answers, grouped
// by theme or by Right, and how far the case has got.
import type { Applicability, Obligation } from '../../../audits/applicability.ts'
import { eventTypes } from '../../../audits/case-facts.ts'
import type { EventType } from '../../../audits/case-facts.ts'
import { allItems, getItem, themes } from '../../../audits/frameworks/index.ts'
import type { Edition } from '../../../audits/frameworks/index.ts'
import { describeTimeliness, outcomeLabels } from '../../../audits/answer-rules.ts'
import type { AnswerField, AnswerInput, Outcome, TimelinessView } from '../../../audits/answer-rules.ts'
import { caseProgress, completionBlocker, type Progress } from '../../../audits/case-progress.ts'
import { auditedAgainst, formatDate, formatDateTime, formatTime } from '../../view-helpers.ts'
import { agencyTypeLabels } from '../../labels.ts'
import type { FrameworkKind } from '../../../audits/vocabulary.ts'
import { inputOf } from './answer-form.ts'
import { fieldIdOf } from '../../../audits/field-ids.ts'
import type { CaseContext } from '../../services/review/case-context.ts'
import type { AnswerRow } from '../../services/review/queries.ts'

export type GroupBy = 'theme' | 'right'

export interface ConflictSide {
  outcome: string
  evidenceDate: string
  note: string
  override: string
  reason: string
}

export interface ConflictView {
  mine: ConflictSide
  theirs: ConflictSide
  theirsVersion: number
  savedBy: string | null
  savedAt: string | null
  /** "14:03", when the saved answer was saved. */
  savedTime: string | null
}

export interface ItemView {
  key: string
  fid: string
  itemId: string
  /** The edition in force on the trigger date, which the item comes from. */
  edition: Edition
  /** Where the question comes from, as the page names it: "2020 Code" or "Commissioned services". */
  source: string
  limitUnconfirmed: boolean
  title: string
  question: string
  evidenceHint: string
  timing: string
  agencyLabel: string
  consentText: string | null
  confirmationNote: string | null
  triggerText: string
  triggerDate: string
  dueDate: string | null
  timeLimitDays: number | null
  theme: string
  group: string
  input: AnswerInput
  errors: Partial<Record<AnswerField, string>>
  version: number
  savedAt: string | null
  /** "Last saved 3 March 2025 at 14:03", or '' before the first save. */
  savedText: string
  savedBy: string | null
  outcome: Outcome | null
  timeliness: TimelinessView
  conflict: ConflictView | null
}

export interface ItemGroup {
  id: string
  title: string
  items: ItemView[]
}

/** What happened to start an obligation, in words for the page ("Suspect arrested"). */
export function triggerLabel(trigger: Obligation['triggerEvent']): string {
  return trigger === 'reported' ? 'Crime reported' : eventTypes[trigger as EventType].label
}

function consentText(o: Obligation): string | null {
  const c = o.item.consent
  if (!c) return null
  return o.consentRequired ? `Needs the victim's consent: ${c.rule}` : c.rule
}

/** Per-item things that come from the request rather than the database. */
export interface ItemOverlay {
  input?: AnswerInput
  errors?: Partial<Record<AnswerField, string>>
  conflict?: ConflictView | null
}

export function itemView(o: Obligation, stored: AnswerRow | null, overlay: ItemOverlay = {}): ItemView {
  const fid = fieldIdOf(o.key)
  return {
    key: o.key,
    fid,
    itemId: o.item.id,
    edition: o.edition,
    source: auditedAgainst({ framework: o.item.framework, edition: o.edition }),
    limitUnconfirmed: o.limitUnconfirmed,
    title: o.item.title,
    question: o.item.question,
    evidenceHint: o.item.evidence,
    timing: o.item.timing,
    agencyLabel: o.item.agencyNote ?? agencyTypeLabels[o.item.agency],
    consentText: consentText(o),
    confirmationNote: o.item.confirmationNote,
    triggerText: triggerLabel(o.triggerEvent),
    triggerDate: o.triggerDate,
    dueDate: o.dueDate,
    timeLimitDays: o.timeLimitDays,
    theme: o.item.theme,
    group: o.item.group,
    input: overlay.input ?? inputOf(stored),
    errors: overlay.errors ?? {},
    version: stored?.version ?? 0,
    savedAt: stored?.updatedAt ?? null,
    // Only the full page shows it, so autosave responses do not pay for the formatting.
    get savedText() {
      return stored ? `Last saved ${formatDateTime(stored.updatedAt)}` : ''
    },
    savedBy: stored?.updatedByName ?? null,
    outcome: stored?.outcome ?? null,
    timeliness: describeTimeliness(
      o.dueDate,
      stored?.evidenceDate ?? null,
      o.dueDate === null ? null : (stored?.timelinessOverride ?? null),
    ),
    conflict: overlay.conflict ?? null,
  }
}

function sideOf(input: AnswerInput): ConflictSide {
  const { day, month, year } = input.evidence
  const typedDate = [day, month, year].every((p) => p.trim() === '')
    ? ''
    : `${day.trim()}/${month.trim()}/${year.trim()}`
  return {
    outcome: (outcomeLabels as Record<string, string>)[input.outcome] ?? '',
    evidenceDate: typedDate,
    note: input.note.trim(),
    override: input.override === 'on_time' ? 'On time' : input.override === 'late' ? 'Late' : '',
    reason: input.override ? input.overrideReason.trim() : '',
  }
}

/** Both sides of a clash, for the auditor to choose between. */
export function conflictView(mine: AnswerInput, stored: AnswerRow | null): ConflictView {
  const theirs = sideOf(inputOf(stored))
  return {
    mine: sideOf(mine),
    theirs: { ...theirs, evidenceDate: stored?.evidenceDate ? formatDate(stored.evidenceDate) : '' },
    theirsVersion: stored?.version ?? 0,
    savedBy: stored?.updatedByName ?? null,
    savedAt: stored?.updatedAt ?? null,
    savedTime: stored ? formatTime(stored.updatedAt) : null,
  }
}

/**
 * Items grouped by QAF theme, or by the section (2015) or Right (2020) they come under; a case that
 * crosses 1 April 2021 shows the 2015 sections first.
 */
export function groupItems(items: ItemView[], by: GroupBy): ItemGroup[] {
  if (by === 'theme') {
    return themes
      .map((t) => ({ id: t.id, title: t.name, items: items.filter((i) => i.theme === t.id) }))
      .filter((g) => g.items.length > 0)
  }
  const order = [...new Set(allItems.map((i) => i.group))]
  return order
    .map((title, n) => ({ id: `group-${n + 1}`, title, items: items.filter((i) => i.group === title) }))
    .filter((g) => g.items.length > 0)
}

/** A saved answer whose obligation the case facts no longer give, listed for the auditor. */
export interface OrphanView {
  key: string
  itemId: string
  title: string
  triggerDate: string
  outcome: string
  evidenceDate: string | null
}

/** Answers saved against obligations the current facts do not give (never dropped silently). */
export function orphanedAnswers(applicability: Applicability | null, answers: Map<string, AnswerRow>): OrphanView[] {
  if (!applicability) return []
  const live = new Set(applicability.items.map((o) => o.key))
  return [...answers.values()]
    .filter(
      (a) => !live.has(a.obligationKey) && (a.outcome !== null || a.evidenceDate !== null || (a.note ?? '') !== ''),
    )
    .map((a) => ({
      key: a.obligationKey,
      itemId: a.itemId,
      title: getItem(a.itemId)?.title ?? 'An item no longer in the Code data',
      triggerDate: /@(\d{4}-\d{2}-\d{2})#/.exec(a.obligationKey)?.[1] ?? '',
      outcome: a.outcome ? outcomeLabels[a.outcome] : 'No outcome chosen',
      evidenceDate: a.evidenceDate,
    }))
    .sort((x, y) => x.triggerDate.localeCompare(y.triggerDate) || x.itemId.localeCompare(y.itemId))
}

export interface DerivedView {
  caseId: number
  editable: boolean
  hasFacts: boolean
  /** The Code, or the commissioned-services questions (a dip sample). */
  framework: FrameworkKind
  /** The editions the case's obligations come from. */
  editions: Edition[]
  enhanced: Applicability['enhanced'] | null
  flagCheck: Applicability['flagCheck'] | null
  outsideCode: Array<{ text: string; date: string; reason: string }>
  orphans: OrphanView[]
  groupBy: GroupBy
  groups: ItemGroup[]
  itemCount: number
}

/**
 * The entitlements part of the page. `applicability` replaces the case's own when the page shows
 * facts the auditor submitted but that could not be saved yet.
 */
export function derivedView(
  ctx: Pick<CaseContext, 'rec' | 'access' | 'applicability'>,
  answers: Map<string, AnswerRow>,
  groupBy: GroupBy,
  overlays: Map<string, ItemOverlay> = new Map(),
  applicability = ctx.applicability,
): DerivedView {
  const items = (applicability?.items ?? []).map((o) => itemView(o, answers.get(o.key) ?? null, overlays.get(o.key)))
  return {
    caseId: ctx.rec.id,
    editable: ctx.access.editable,
    hasFacts: applicability !== null,
    framework: ctx.rec.framework,
    editions: applicability?.editions ?? [],
    enhanced: applicability?.enhanced ?? null,
    flagCheck: applicability?.flagCheck ?? null,
    outsideCode: (applicability?.outsideCode ?? []).map((x) => ({
      text: triggerLabel(x.triggerEvent),
      date: x.date,
      reason: x.reason,
    })),
    orphans: orphanedAnswers(applicability, answers),
    groupBy,
    groups: groupItems(items, groupBy),
    itemCount: items.length,
  }
}

export interface ProgressView {
  caseId: number
  editable: boolean
  /** Completing means finishing a blind second marking, with a word on the facts. */
  secondMarking: boolean
  progress: Progress
  blocker: string | null
  /** The first few obligations still without an outcome, to jump to. */
  missing: Array<{ fid: string; itemId: string; title: string; triggerDate: string }>
}

/** `status` is the case's status after the change being answered, where that differs from `ctx`. */
export function progressView(
  ctx: Pick<CaseContext, 'rec' | 'access' | 'applicability'>,
  answers: Map<string, AnswerRow>,
  status = ctx.rec.status,
): ProgressView {
  const obligations = ctx.applicability?.items ?? []
  const answered = new Set([...answers.values()].filter((a) => a.outcome !== null).map((a) => a.obligationKey))
  const progress = caseProgress(
    obligations.map((o) => o.key),
    answered,
  )
  const byKey = new Map(obligations.map((o) => [o.key, o]))
  return {
    caseId: ctx.rec.id,
    editable: ctx.access.editable,
    secondMarking: ctx.access.marker === 'second',
    progress,
    // A second marker marks a case the auditor already completed: only the answers decide.
    blocker: completionBlocker(ctx.access.marker === 'second' ? 'in_progress' : status, progress),
    missing: progress.missing.slice(0, 10).map((key) => {
      const o = byKey.get(key) as Obligation
      return { fid: fieldIdOf(key), itemId: o.item.id, title: o.item.title, triggerDate: o.triggerDate }
    }),
  }
}
