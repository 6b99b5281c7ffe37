import type { Role } from '../schema/index.ts'
import type { Scope } from './scope.ts'

interface NavLink {
  href: string
  text: string
  roles: readonly Role[]
}

// One list, filtered per role, so a link never shows to someone the server would refuse.
const links: NavLink[] = [
  { href: '/', text: 'Home', roles: ['admin', 'auditor', 'moderator', 'agency', 'advocate', 'viewer'] },
  { href: '/rounds', text: 'Audit rounds', roles: ['admin', 'moderator'] },
  { href: '/worklist', text: 'My cases', roles: ['auditor', 'moderator'] },
  { href: '/moderation', text: 'Moderation', roles: ['auditor', 'moderator'] },
  { href: '/scores', text: 'Scores', roles: ['admin', 'moderator', 'agency', 'advocate', 'viewer'] },
  { href: '/findings', text: 'Findings', roles: ['admin', 'moderator', 'agency', 'advocate', 'viewer'] },
  { href: '/admin/users', text: 'Users', roles: ['admin'] },
  { href: '/admin/agencies', text: 'Agencies', roles: ['admin'] },
]

/** `counts`: numbers shown beside links (what needs the user's attention there), by href. */
export function navigationFor(scope: Scope, url: string, counts: Readonly<Record<string, number>> = {}) {
  const path = url.split('?')[0] ?? '/'
  return links
    .filter((l) => l.roles.includes(scope.role))
    .map((l) => ({ href: l.href, text: l.text, count: counts[l.href] ?? 0, current: l.href === '/' ? path === '/' : path === l.href || path.startsWith(`${l.href}/`) }))
}
