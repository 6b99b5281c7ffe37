// The rules of findings and their actions: who may move which to where, when an action is
// overdue (in working days) or due soon, and what a later round's score says about whether the
// action worked. Pure: the routes ask these functions and do what they answer.
import { compareIso, workingDaysBetween } from './calendar.ts'
import { compareProportions, type Proportion } from './round-comparison.ts'

export const severities = ['high', 'medium', 'low'] as const
export type Severity = (typeof severities)[number]

/** `proposed` and `declined` are the Victims' Advocate's route in; the rest is the life of a finding. */
export const findingStatuses = ['proposed', 'declined', 'draft', 'issued', 'responded', 'accepted', 'closed'] as const
export type FindingStatus = (typeof findingStatuses)[number]

export const actionStatuses = ['open', 'in_progress', 'done', 'closed'] as const
export type ActionStatus = (typeof actionStatuses)[number]

export type ActorRole = 'admin' | 'auditor' | 'moderator' | 'agency' | 'advocate' | 'viewer'

/** Who is acting, and whether the finding is about their own agency (agency users only). */
export interface Actor {
  role: ActorRole
  ownAgency: boolean
}

/** Moderators and admins oversee findings: raise, issue, accept, close. */
export function isOverseer(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'moderator'
}

function isOwner(actor: Actor): boolean {
  return actor.role === 'agency' && actor.ownAgency
}

/** The status a new finding starts in for the person raising it, or null if they may not. */
export function initialStatus(actor: Actor): 'draft' | 'proposed' | null {
  if (isOverseer(actor)) return 'draft'
  if (actor.role === 'advocate') return 'proposed'
  return null
}

export interface FindingMove {
  from: FindingStatus
  to: FindingStatus
  by: 'overseer' | 'owner'
  /** Text the move must carry: a reason for declining, the agency's response. */
  needs: 'reason' | 'response' | null
  label: string
}

export const findingMoves: readonly FindingMove[] = [
  { from: 'proposed', to: 'draft', by: 'overseer', needs: null, label: 'Accept the proposal' },
  { from: 'proposed', to: 'declined', by: 'overseer', needs: 'reason', label: 'Decline the proposal' },
  { from: 'draft', to: 'issued', by: 'overseer', needs: null, label: 'Issue to the agency' },
  { from: 'issued', to: 'responded', by: 'owner', needs: 'response', label: 'Send your response' },
  { from: 'responded', to: 'accepted', by: 'overseer', needs: null, label: 'Accept the response' },
  { from: 'responded', to: 'issued', by: 'overseer', needs: 'reason', label: 'Ask for a fuller response' },
  { from: 'accepted', to: 'closed', by: 'overseer', needs: null, label: 'Close the finding' },
]

export type Decision = { ok: true; move: FindingMove } | { ok: false; problem: string }

export interface MoveContext {
  /** Actions under the finding not yet closed. */
  unclosedActions: number
  /** Whether the finding's round is published: provisional figures never go to an agency. */
  roundPublished: boolean
}

/**
 * Whether `actor` may move a finding from `from` to `to`. Issuing needs the round published (an
 * agency sees only published figures); closing needs every action under the finding closed, so
 * a finding is never closed over work still outstanding.
 */
export function checkFindingMove(actor: Actor, from: FindingStatus, to: FindingStatus, ctx: MoveContext): Decision {
  const move = findingMoves.find((m) => m.from === from && m.to === to)
  if (!move) return { ok: false, problem: `A finding that is ${from} cannot become ${to}` }
  const allowed = move.by === 'overseer' ? isOverseer(actor) : isOwner(actor)
  if (!allowed)
    return {
      ok: false,
      problem:
        move.by === 'overseer' ? 'Only a moderator or administrator can do this' : "Only the agency's lead can respond",
    }
  if (to === 'issued' && from === 'draft' && !ctx.roundPublished)
    return { ok: false, problem: 'Publish the round before issuing its findings' }
  if (to === 'closed' && ctx.unclosedActions > 0)
    return { ok: false, problem: 'Close every action before closing the finding' }
  return { ok: true, move }
}

/** The moves open to `actor` from `from` (what the page offers). */
export function movesFor(actor: Actor, from: FindingStatus): FindingMove[] {
  return findingMoves.filter((m) => m.from === from && (m.by === 'overseer' ? isOverseer(actor) : isOwner(actor)))
}

/** Agency users never see a finding before it is issued to them, nor a proposal or a declined one. */
export function agencyMaySee(status: FindingStatus): boolean {
  return status === 'issued' || status === 'responded' || status === 'accepted' || status === 'closed'
}

/** Actions are planned once a finding is drafted, and worked on while it is live. */
function findingTakesActions(status: FindingStatus): boolean {
  return status === 'draft' || status === 'issued' || status === 'responded' || status === 'accepted'
}

export function canAddAction(actor: Actor, findingStatus: FindingStatus): boolean {
  if (isOverseer(actor)) return findingTakesActions(findingStatus)
  return isOwner(actor) && findingTakesActions(findingStatus) && findingStatus !== 'draft'
}

/** Progress is recorded by the owning agency or an overseer, on a live action of a live finding. */
export function canRecordProgress(actor: Actor, findingStatus: FindingStatus, actionStatus: ActionStatus): boolean {
  if (actionStatus === 'closed' || !findingTakesActions(findingStatus) || findingStatus === 'draft') return false
  return isOverseer(actor) || isOwner(actor)
}

/** Statuses a progress update may set: anything but closed, which is an overseer's decision. */
export const progressStatuses: readonly ActionStatus[] = ['open', 'in_progress', 'done']

/** Only an overseer closes an action, and only once it is reported done. */
export function checkCloseAction(
  actor: Actor,
  actionStatus: ActionStatus,
): { ok: true } | { ok: false; problem: string } {
  if (!isOverseer(actor)) return { ok: false, problem: 'Only a moderator or administrator can close an action' }
  if (actionStatus !== 'done') return { ok: false, problem: 'An action can be closed only once it is done' }
  return { ok: true }
}

export const DUE_SOON_DAYS = 14

export type Timing =
  | { state: 'finished' }
  | { state: 'overdue'; workingDaysOverdue: number }
  | { state: 'due_soon'; daysLeft: number }
  | { state: 'on_track' }

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/**
 * Where an action stands on `today`. It is overdue once a working day has passed after its due
 * date (due on a Thursday before Easter, it is first overdue on the Tuesday after); due soon when
 * the due date is today or within the next 14 calendar days.
 */
export function actionTiming(dueDate: string, status: ActionStatus, today: string): Timing {
  if (status === 'done' || status === 'closed') return { state: 'finished' }
  if (compareIso(dueDate, today) < 0) {
    const late = workingDaysBetween(dueDate, today)
    if (late > 0) return { state: 'overdue', workingDaysOverdue: late }
  }
  const left = daysBetween(today, dueDate)
  return left <= DUE_SOON_DAYS ? { state: 'due_soon', daysLeft: Math.max(0, left) } : { state: 'on_track' }
}

export type CarryVerdict = 'improved' | 'worsened' | 'no clear change' | 'not measured'

export interface CarryForward {
  verdict: CarryVerdict
  difference: number | null
  lower: number | null
  upper: number | null
  /** Measured through a partial match between Code editions: like-for-like only in part. */
  partial: boolean
}

/**
 * What a later round's score for the same item says about a finding: improved or worsened only
 * when the 95% interval of the change (compareProportions) lies wholly on one side of zero.
 * `match` is how the later round's items correspond to the finding's (the crosswalk); null
 * when the later round has no counterpart, or no applicable answers.
 */
export function carryForward(
  before: Proportion,
  after: Proportion,
  match: 'same' | 'equivalent' | 'partial' | null,
): CarryForward {
  if (match === null || before.n === 0 || after.n === 0)
    return { verdict: 'not measured', difference: null, lower: null, upper: null, partial: false }
  const c = compareProportions(before, after)
  const verdict: CarryVerdict =
    c.verdict === 'better' ? 'improved' : c.verdict === 'worse' ? 'worsened' : 'no clear change'
  return { verdict, difference: c.difference, lower: c.lower, upper: c.upper, partial: match === 'partial' }
}
