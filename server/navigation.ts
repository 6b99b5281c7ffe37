import { mayOpen } from './access.ts'
import type { Scope } from './scope.ts'

// One list, filtered by the access table, so a link never shows to someone the server would refuse.
const links: { href: string; text: string }[] = [
  { href: '/', text: 'Home' },
  { href: '/rounds', text: 'Audit rounds' },
  { href: '/worklist', text: 'My cases' },
  { href: '/scores', text: 'Scores' },
  { href: '/admin/users', text: 'Users' },
  { href: '/admin/agencies', text: 'Agencies' },
]

export function navigationFor(scope: Scope, url: string) {
  const path = url.split('?')[0] ?? '/'
  return links
    .filter((l) => mayOpen(scope.role, l.href))
    .map((l) => ({ href: l.href, text: l.text, current: l.href === '/' ? path === '/' : path === l.href || path.startsWith(`${l.href}/`) }))
}
