// The worklist: the SQL rows with each case's count of applicable obligations, which only the
// domain core can work out (from the facts, the round's edition and its time limits).
import type { Db } from '../../../schema/database.ts'
import type { CaseStatus } from '../../../audits/case-progress.ts'
import type { FrameworkKind } from '../../../audits/vocabulary.ts'
import type { TimeLimitOverrides } from '../../../audits/applicability.ts'
import type { Scope } from '../../scope.ts'
import { applicabilityOf, currentDay, resolveFacts } from '../../services/review/case-context.ts'
import { formatDateTime } from '../../view-helpers.ts'
import { loadRoundSettings } from '../../services/review/queries.ts'
import { worklist, type WorklistFilter } from '../../services/review/worklist-queries.ts'
import { agencyChoices, type AgencyEntry } from '../../../audits/responsible-agency.ts'

export interface WorklistItem {
  id: number
  caseRef: string
  district: string
  roundName: string
  status: CaseStatus
  updatedAt: string
  updatedText: string
  auditorName: string | null
  answered: number
  /** Null when the imported facts need completing before anything can be counted. */
  applicable: number | null
}

export function worklistRows(db: Db, scope: Scope, filter: WorklistFilter): WorklistItem[] {
  const rows = worklist(db, scope, filter)
  const today = currentDay()
  const rounds = new Map<
    number,
    { framework: FrameworkKind; overrides: TimeLimitOverrides; directory: AgencyEntry[]; choices: AgencyEntry[] }
  >()
  const items = rows.map((r) => {
    let round = rounds.get(r.roundId)
    if (!round) {
      const settings = loadRoundSettings(db, r.roundId)
      round = { ...settings, choices: agencyChoices(settings.directory) }
      rounds.set(r.roundId, round)
    }
    const { facts, json } = resolveFacts(r, round.directory, round.choices, today)
    return {
      id: r.id,
      caseRef: r.caseRef,
      district: r.district,
      roundName: r.roundName,
      status: r.status,
      updatedAt: r.updatedAt,
      updatedText: formatDateTime(r.updatedAt),
      auditorName: r.auditorName,
      answered: r.answered,
      applicable: facts ? applicabilityOf(facts, round, json ?? undefined).items.length : null,
    }
  })
  if (filter.sort === 'progress') {
    const share = (i: WorklistItem) => (i.applicable ? i.answered / i.applicable : 0)
    items.sort((a, b) => share(a) - share(b) || a.caseRef.localeCompare(b.caseRef))
  }
  return items
}
