// Everything a review request needs about one case: who may do what, its facts (saved, or
// pre-filled from the import), and the obligations that follow from them, each under the Code in
// force on its trigger date.
import { applicableItems } from '../../../audits/applicability.ts'
import type { Applicability, TimeLimitOverrides } from '../../../audits/applicability.ts'
import { caseFactsSchema } from '../../../audits/case-facts.ts'
import type { CaseFacts } from '../../../audits/case-facts.ts'
import { todayIso } from '../../../audits/calendar.ts'
import type { Db } from '../../../schema/database.ts'
import { BoundedMap } from '../../cache.ts'
import type { Scope } from '../../scope.ts'
import { factsValuesFromImport, factsValuesOf, type FactsValues } from './facts-form.ts'
import { checkFacts } from './facts-check.ts'
import { caseAccess, type CaseAccess, type CaseRecord } from './case-record.ts'
import { findCase } from './queries.ts'
import { agencyChoices, choiceNameFor, type AgencyEntry } from '../../../audits/responsible-agency.ts'

export interface CaseContext {
  rec: CaseRecord
  access: CaseAccess
  directory: AgencyEntry[]
  /** Agencies an event row may name. */
  choices: AgencyEntry[]
  overrides: TimeLimitOverrides
  /** The facts the auditor saved, or null before the first save. */
  savedFacts: CaseFacts | null
  /** The facts obligations are worked out from: saved, else the import's when it reads cleanly. */
  facts: CaseFacts | null
  readonly factsValues: FactsValues
  applicability: Applicability | null
  today: string
}

// Case pages and autosaves recompute the same case's obligations many times a minute; the core is
// pure, so results are kept per (limits, facts) and shared. Bounded so it cannot grow.
const MEMO_LIMIT = 512
const applicabilityMemo = new BoundedMap<string, Applicability>(MEMO_LIMIT)
const factsMemo = new BoundedMap<string, CaseFacts | null>(MEMO_LIMIT)

/**
 * The obligations under the round's question set and local limits. `factsJson` may be given when
 * the caller already holds the facts as stored, to skip re-encoding.
 */
export function applicabilityOf(
  facts: CaseFacts,
  round: Pick<CaseRecord, 'framework' | 'overrides'>,
  factsJson = JSON.stringify(facts),
): Applicability {
  const key = `${round.framework}|${JSON.stringify(round.overrides)}|${factsJson}`
  return applicabilityMemo.remember(key, () =>
    applicableItems(facts, { timeLimitOverrides: round.overrides, framework: round.framework }),
  )
}

// "Today" in England and Wales, worked out at most once a minute rather than on every request.
let today = { minute: -1, iso: '' }
export function currentDay(): string {
  const minute = Math.floor(Date.now() / 60_000)
  if (today.minute !== minute) today = { minute, iso: todayIso() }
  return today.iso
}

/** Saved facts JSON read back through the domain schema; null if it no longer reads. */
export function parseSavedFacts(json: string): CaseFacts | null {
  return factsMemo.remember(json, () => {
    try {
      const parsed = caseFactsSchema.safeParse(JSON.parse(json))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  })
}

export interface ResolvedFacts {
  saved: CaseFacts | null
  facts: CaseFacts | null
  /** The facts as stored JSON, when they were saved. */
  json: string | null
  /** Form values; worked out only when a page needs them. */
  values: () => FactsValues
}

/** The case's facts and their form values, from what was saved or else from the import. */
export function resolveFacts(
  rec: Pick<CaseRecord, 'facts' | 'population'>,
  directory: AgencyEntry[],
  choices: AgencyEntry[],
  today: string,
): ResolvedFacts {
  const saved = rec.facts ? parseSavedFacts(rec.facts) : null
  if (saved) return { saved, facts: saved, json: rec.facts, values: () => factsValuesOf(saved) }
  const values = factsValuesFromImport(rec.population, (ref) => choiceNameFor(choices, directory, ref))
  const check = checkFacts(values, { mode: 'autosave', today, agencyNames: new Set(choices.map((c) => c.name)) })
  return { saved: null, facts: check.ok ? check.facts : null, json: null, values: () => values }
}

export function loadCaseContext(db: Db, scope: Scope, id: number): CaseContext | null {
  const rec = findCase(db, scope, id)
  if (!rec) return null
  const directory = rec.directory
  const choices = agencyChoices(directory)
  const overrides = rec.overrides
  const today = currentDay()
  const resolved = resolveFacts(rec, directory, choices, today)
  let values: FactsValues | undefined
  return {
    rec,
    access: caseAccess(scope, rec),
    directory,
    choices,
    overrides,
    savedFacts: resolved.saved,
    facts: resolved.facts,
    get factsValues() {
      values ??= resolved.values()
      return values
    },
    applicability: resolved.facts ? applicabilityOf(resolved.facts, rec, resolved.json ?? undefined) : null,
    today,
  }
}
