// A plain-text listing of an edition, for an auditor to check line by line against the
// published Code.
import { getFramework, themes } from './index.ts'
import type { Edition, FrameworkItem } from './types.ts'

const themeShort: Record<string, string> = Object.fromEntries(themes.map((t) => [t.id, t.name]))

function consentText(item: FrameworkItem): string {
  if (!item.consent) return '-'
  const mode = { opt_out: 'opt-out', opt_in: 'opt-in', victim_choice: 'choice' }[item.consent.mode]
  return item.consent.explicitFor ? `${mode}; explicit some` : mode
}

function scopeText(item: FrameworkItem): string {
  const parts: string[] = []
  if (item.appliesTo.enhancedOnly) parts.push('enhanced')
  if (item.appliesTo.victims) {
    parts.push([...item.appliesTo.victims.offenceGroups, ...item.appliesTo.victims.characteristics].join('/'))
  }
  if (item.appliesTo.vcsOnly) parts.push('VCS')
  return parts.length > 0 ? parts.join(', ') : 'all'
}

const columns: ReadonlyArray<[heading: string, cell: (item: FrameworkItem) => string]> = [
  ['ID', (i) => i.id],
  ['Title', (i) => i.title],
  ['Agency', (i) => i.agency],
  ['Trigger', (i) => [i.trigger, ...i.alsoTriggeredBy].join(' | ') + (i.occurrence === 'first' ? ' (first)' : '')],
  ['Limit std/enh', (i) => (i.timeLimit ? `${i.timeLimit.standard}/${i.timeLimit.enhanced}` : '-')],
  ['Consent', consentText],
  ['Applies to', scopeText],
  ['Theme', (i) => themeShort[i.theme] ?? i.theme],
  ['MoJ measure', (i) => i.mojMeasure ?? '-'],
  ['Confirmed', (i) => i.confirmation],
]

/** The whole edition as a fixed-width table, one item per line, with a heading and a key. */
export function frameworkTable(edition: Edition): string {
  const framework = getFramework(edition)
  const rows = framework.items.map((item) => columns.map(([, cell]) => cell(item)))
  const headings = columns.map(([heading]) => heading)
  const widths = headings.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c] as number))
      .join('  ')
      .trimEnd()
  const inForce = `in force ${framework.inForce.from ?? '?'} to ${framework.inForce.to ?? 'date'}`
  return [
    `${framework.title}, version ${framework.version} (${inForce}), ${framework.items.length} items`,
    '',
    line(headings),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'Limits are in working days after the trigger (standard/enhanced victims); "-" means no fixed limit.',
    'Consent "explicit some": explicit consent needed for some victims (sexual offences, domestic abuse, bereaved).',
    '',
  ].join('\n')
}
