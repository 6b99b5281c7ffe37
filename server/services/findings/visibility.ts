// Which findings and actions each role may see, as conditions for a query's where. Agency users are
// confined in SQL to their own agency's findings once issued; everything they cannot see is simply
// not found.
import { and, eq, inArray, ne, sql, type Placeholder, type SQL } from 'drizzle-orm'
import { findingActions, findings, type Role } from '../../../schema/index.ts'
import type { Actor, FindingStatus } from '../../../audits/findings.ts'
import { agencyRestriction } from '../../access.ts'
import type { Scope } from '../../scope.ts'

export function actorFor(scope: Scope, findingAgencyId: number | null): Actor {
  return {
    role: scope.role,
    ownAgency: scope.role === 'agency' && scope.agencyId !== null && scope.agencyId === findingAgencyId,
  }
}

export const AGENCY_STATUSES: FindingStatus[] = ['issued', 'responded', 'accepted', 'closed']

/**
 * The findings a role may see, as a condition for a query's where (undefined: all of them). `own` is
 * the agency an agency user is confined to: a number, or a placeholder in a prepared statement.
 */
export function visibleTo(role: Role, own: number | Placeholder | null): SQL | undefined {
  if (own !== null) return and(eq(findings.agencyId, own), inArray(findings.status, AGENCY_STATUSES))
  if (role === 'admin' || role === 'moderator') return undefined
  // The advocate sees proposals (theirs to make) and every finding once issued, but not drafts.
  if (role === 'advocate') return ne(findings.status, 'draft')
  if (role === 'viewer') return inArray(findings.status, AGENCY_STATUSES)
  return sql`0`
}

export function visible(scope: Scope): SQL | undefined {
  return visibleTo(scope.role, agencyRestriction(scope))
}

/** Actions a role may see: those under a finding it may see, and owned by its agency (see visibleTo). */
export function visibleActionsTo(role: Role, own: number | Placeholder | null): SQL | undefined {
  return own === null ? visibleTo(role, null) : and(visibleTo(role, own), eq(findingActions.ownerAgencyId, own))
}

export function visibleActions(scope: Scope): SQL | undefined {
  return visibleActionsTo(scope.role, agencyRestriction(scope))
}
