import type { Role } from '../schema/index.ts'

/**
 * Who is asking, as every route and query sees it. Agency users are confined to `agencyId`;
 * every other role sees across agencies (with its own limits on case-level detail).
 */
export interface Scope {
  userId: number
  email: string
  displayName: string
  role: Role
  agencyId: number | null
}

/** The agency a query must be confined to, or null when the role may see every agency. */
export function agencyRestriction(scope: Scope): number | null {
  // An agency user with no agency must see nothing, never everything: -1 matches no row.
  return scope.role === 'agency' ? (scope.agencyId ?? -1) : null
}

/** Roles allowed to see answers to individual cases (viewers and agencies see roll-ups only). */
export function canSeeCaseAnswers(scope: Scope): boolean {
  return scope.role === 'admin' || scope.role === 'auditor' || scope.role === 'moderator' || scope.role === 'advocate'
}
