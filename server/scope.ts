import type { Role } from '../schema/index.ts'

/**
 * Who is asking, as every route and query sees it. Agency users are confined to `agencyId`;
 * every other role sees across agencies (with its own limits on case-level detail, in access.ts).
 */
export interface Scope {
  userId: number
  email: string
  displayName: string
  role: Role
  agencyId: number | null
}
