// Whose score an answer counts towards. An item names a type of agency; the case may name the
// agency itself (on the triggering event, on another event, or as the agency holding the file);
// failing that, the round's one in-scope agency of that type; failing that, nobody. Pure: the
// agency directory comes in, ids go out.
import type { Obligation } from './applicability.ts'
import type { CaseFacts } from './case-facts.ts'

export interface AgencyEntry {
  id: number
  name: string
  shortName: string
  type: string
  active: boolean
  inRound: boolean
}

/** The agencies an event row may name: the round's, or every active one when the round names none. */
export function agencyChoices(directory: readonly AgencyEntry[]): AgencyEntry[] {
  const inRound = directory.filter((a) => a.inRound)
  return inRound.length > 0 ? inRound : directory.filter((a) => a.active)
}

/** The round's single in-scope agency of a type; null when it has none or several (no guessing). */
export function roundAgencyOfType(directory: readonly AgencyEntry[], type: string): AgencyEntry | null {
  const found = directory.filter((a) => a.inRound && a.type === type)
  return found.length === 1 ? (found[0] as AgencyEntry) : null
}

/**
 * The agency a reference in a case names: its full name, its short name (any case), or an agency
 * type (as imports sometimes give), which means the round's agency of that type.
 */
export function findNamedAgency(directory: readonly AgencyEntry[], ref: string | null | undefined): AgencyEntry | null {
  const wanted = (ref ?? '').trim().toLowerCase()
  if (wanted === '') return null
  return (
    directory.find((a) => a.name.toLowerCase() === wanted) ??
    directory.find((a) => a.shortName.toLowerCase() === wanted) ??
    roundAgencyOfType(directory, wanted)
  )
}

export interface AgencyRefs {
  /** The agency named on the event that created the obligation. */
  trigger?: string | null
  /** Agencies named on the case's other events, in event order. */
  events: ReadonlyArray<string | null | undefined>
  /** The agency holding the case file, from the import. */
  caseFile?: string | null
}

/** The id of the agency an answer for an item of `type` counts towards, or null. */
export function resolveResponsibleAgency(
  directory: readonly AgencyEntry[],
  type: string,
  refs: AgencyRefs,
): number | null {
  for (const ref of [refs.trigger, ...refs.events, refs.caseFile]) {
    const named = findNamedAgency(directory, ref)
    if (named && named.type === type) return named.id
  }
  return roundAgencyOfType(directory, type)?.id ?? null
}

/** The name of an agency reference as the event form's list shows it ('' when it is not one of them). */
export function choiceNameFor(choices: readonly AgencyEntry[], directory: readonly AgencyEntry[], ref: string): string {
  const named = findNamedAgency(directory, ref)
  return named && choices.some((c) => c.id === named.id) ? named.name : ''
}

/**
 * The service a commissioned-services answer counts towards: the one named on the triggering
 * referral or closure, else the one holding the case file, whatever its type (the sexual assault
 * referral centre and the restorative justice service are not all typed as victim services);
 * failing both, the round's one agency. Another agency named on the case (the referring police,
 * say) is never the service being sampled.
 */
export function resolveCommissionedService(
  directory: readonly AgencyEntry[],
  refs: Pick<AgencyRefs, 'trigger' | 'caseFile'>,
): number | null {
  for (const ref of [refs.trigger, refs.caseFile]) {
    const named = findNamedAgency(directory, ref)
    if (named) return named.id
  }
  const inRound = directory.filter((a) => a.inRound)
  return inRound.length === 1 ? (inRound[0] as AgencyEntry).id : null
}

/** The agency an answer to this obligation counts towards, from the case's facts. */
export function agencyForObligation(
  directory: readonly AgencyEntry[],
  facts: CaseFacts,
  obligation: Obligation,
  caseFileRef: string | null,
): number | null {
  const trigger = facts.events.find(
    (e) => e.type === obligation.triggerEvent && e.date === obligation.triggerDate && e.agency,
  )?.agency
  if (obligation.item.framework === 'commissioned_services') {
    return resolveCommissionedService(directory, { trigger, caseFile: caseFileRef })
  }
  return resolveResponsibleAgency(directory, obligation.item.agency, {
    trigger,
    events: facts.events.map((e) => e.agency),
    caseFile: caseFileRef,
  })
}
