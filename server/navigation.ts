import { mayOpen } from './access.ts'
import type { Scope } from './scope.ts'

// One list, filtered by the access table, so a link never shows to someone the server would refuse.
const links: { href: string; text: string }[] = [
  { href: '/', text: 'Home' },
  { href: '/rounds', text: 'Audit rounds' },
  { href: '/worklist', text: 'My cases' },
  { href: '/moderation', text: 'Moderation' },
  { href: '/scores', text: 'Scores' },
  { href: '/findings', text: 'Findings' },
  { href: '/reconciliation', text: 'Reported figures' },
  { href: '/observations', text: 'Observations' },
  { href: '/admin/users', text: 'Users' },
  { href: '/admin/agencies', text: 'Agencies' },
  { href: '/admin/audit-log', text: 'Audit log' },
]

/** `counts`: numbers shown beside links (what needs the user's attention there), by href. */
export function navigationFor(scope: Scope, url: string, counts: Readonly<Record<string, number>> = {}) {
  const path = url.split('?')[0] ?? '/'
  return links
    .filter((l) => mayOpen(scope.role, l.href))
    .map((l) => ({
      href: l.href,
      text: l.text,
      count: counts[l.href] ?? 0,
      current: l.href === '/' ? path === '/' : path === l.href || path.startsWith(`${l.href}/`),
    }))
}
