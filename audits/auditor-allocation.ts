// Sharing sampled cases out between auditors: as even as the exclusions allow, and never to an
// auditor whose home agency owns the case (an auditor must not mark their own agency's work).
// Deterministic: the same cases and auditors, in any input order, give the same allocation.

export interface AllocatableCase {
  id: number
  /** The agency whose area of responsibility the case falls under; null when none is marked. */
  owningAgencyId: number | null
}

export interface AvailableAuditor {
  id: number
  /** Home agency; null for an auditor with none, who may take any case. */
  agencyId: number | null
  /** Cases the auditor already holds in the round: they count towards the balance. */
  load: number
}

export interface CaseAssignment {
  caseId: number
  auditorId: number
}

export interface AuditorAllocation {
  /** One per case that someone may review, in case id order. */
  assignments: CaseAssignment[]
  /** Cases that no given auditor may review (every one is from the owning agency), in id order. */
  unassignable: number[]
  /** Each auditor's load afterwards (held before plus given now), by auditor id. */
  loads: Map<number, number>
}

/** Whether this auditor may review this case: never a case owned by their home agency. */
export function mayReview(auditor: { agencyId: number | null }, c: { owningAgencyId: number | null }): boolean {
  return c.owningAgencyId === null || auditor.agencyId === null || auditor.agencyId !== c.owningAgencyId
}

/**
 * Gives each case to an auditor who may review it, keeping loads (including cases held before) as
 * even as the exclusions allow.
 *
 * Cases with the fewest eligible auditors are placed first, each with the least-loaded eligible
 * auditor (lowest id on a tie). Then, while some case could move from its auditor to an eligible
 * one holding at least two fewer cases, it moves: each move lowers the sum of squared loads, so
 * this ends, and at the end no single move can make the loads more even. With no exclusions and
 * no earlier loads the counts differ by at most one.
 */
export function allocateToAuditors(
  cases: readonly AllocatableCase[],
  auditors: readonly AvailableAuditor[],
): AuditorAllocation {
  const people = [...auditors].sort((a, b) => a.id - b.id)
  const seen = new Set<number>()
  for (const a of people) {
    if (seen.has(a.id)) throw new RangeError(`auditor ${a.id} is listed twice`)
    if (!Number.isSafeInteger(a.load) || a.load < 0)
      throw new RangeError(`auditor ${a.id} has an invalid load ${a.load}`)
    seen.add(a.id)
  }
  const loads = new Map(people.map((a) => [a.id, a.load]))
  const load = (id: number) => loads.get(id) as number

  const sorted = [...cases].sort((a, b) => a.id - b.id)
  const caseIds = new Set<number>()
  for (const c of sorted) {
    if (caseIds.has(c.id)) throw new RangeError(`case ${c.id} is listed twice`)
    caseIds.add(c.id)
  }

  // Each case that someone may review, with who may, in case id order; holder[i] is filled below.
  const placeable: Placeable[] = []
  const unassignable: number[] = []
  for (const c of sorted) {
    const who = people.filter((a) => mayReview(a, c))
    if (who.length === 0) unassignable.push(c.id)
    else placeable.push({ c, who })
  }

  const holder: number[] = new Array<number>(placeable.length)
  const whoFor = (i: number) => (placeable[i] as Placeable).who
  const mostConstrainedFirst = placeable.map((_, i) => i).sort((i, j) => whoFor(i).length - whoFor(j).length || i - j)
  for (const i of mostConstrainedFirst) {
    const best = leastLoaded(whoFor(i), load)
    holder[i] = best.id
    loads.set(best.id, load(best.id) + 1)
  }

  // Greedy placement can leave a case with a busier auditor than it needs; move such cases.
  for (let moved = true; moved; ) {
    moved = false
    placeable.forEach(({ who }, i) => {
      const from = holder[i] as number
      const to = leastLoaded(who, load)
      if (load(to.id) <= load(from) - 2) {
        holder[i] = to.id
        loads.set(from, load(from) - 1)
        loads.set(to.id, load(to.id) + 1)
        moved = true
      }
    })
  }

  return {
    assignments: placeable.map(({ c }, i) => ({ caseId: c.id, auditorId: holder[i] as number })),
    unassignable,
    loads,
  }
}

interface Placeable {
  c: AllocatableCase
  who: AvailableAuditor[]
}

function leastLoaded(candidates: readonly AvailableAuditor[], load: (id: number) => number): AvailableAuditor {
  let best = candidates[0] as AvailableAuditor
  for (const a of candidates) if (load(a.id) < load(best.id)) best = a
  return best
}
