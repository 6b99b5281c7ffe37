// One case under review as a route sees it, and what the signed-in user may do with it.
import type { TimeLimitOverrides } from '../../../audits/applicability.ts'
import { isEditableStatus, isOpenRound, type CaseStatus } from '../../../audits/case-progress.ts'
import type { AgencyEntry } from '../../../audits/responsible-agency.ts'
import type { Edition, FrameworkKind, RoundStatus } from '../../../schema/index.ts'
import type { Scope } from '../../scope.ts'
import type { PopulationFacts } from './facts-form.ts'

export interface CaseRecord {
  id: number
  roundId: number
  status: CaseStatus
  stratum: string
  auditorId: number | null
  auditorName: string | null
  facts: string | null
  returnComment: string | null
  unusableReason: string | null
  unsure: boolean
  unsureReason: string | null
  completedAt: string | null
  updatedAt: string
  /** Who second-marks the case, when it was chosen for moderation, and when they finished. */
  secondMarkerId: number | null
  secondCompletedAt: string | null
  roundName: string
  /** What the round audits: the Code, or a commissioned-services dip sample. */
  framework: FrameworkKind
  edition: Edition
  roundStatus: RoundStatus
  caseRef: string
  district: string
  agencyRef: string | null
  population: PopulationFacts
  /** Every agency, marked with whether the round has it in scope. */
  directory: AgencyEntry[]
  /** The round's local time limits. */
  overrides: TimeLimitOverrides
}

/** Whose answers a page shows and a save writes: the first marker's, or a blind second marking. */
export type ReviewMarker = 'primary' | 'second'

export interface CaseAccess {
  /** The case is allocated to this user (they review it, or second-mark it). */
  allocated: boolean
  /** The allocated reviewer may change it now. */
  editable: boolean
  /** A moderator (or admin) may send it back to the auditor. */
  canReturn: boolean
  /** 'second' for the case's second marker: they see and write only their own answers. */
  marker: ReviewMarker
  /** The case facts are the first marker's to record; a second marker reads them. */
  factsEditable: boolean
}

export function caseAccess(scope: Scope, rec: CaseRecord): CaseAccess {
  const open = isOpenRound(rec.roundStatus)
  if (rec.secondMarkerId === scope.userId && rec.auditorId !== scope.userId) {
    return {
      allocated: true,
      editable: rec.roundStatus === 'moderation' && rec.secondCompletedAt === null,
      canReturn: false,
      marker: 'second',
      factsEditable: false,
    }
  }
  const allocated = rec.auditorId === scope.userId
  const editable = allocated && open && isEditableStatus(rec.status)
  return {
    allocated,
    editable,
    canReturn: (scope.role === 'moderator' || scope.role === 'admin') && open && rec.status === 'complete',
    marker: 'primary',
    factsEditable: editable,
  }
}
