// Which of a round's agencies owns a case, from the free-form agency reference in the population
// file (a short name such as "CPS", a full name, or an agency type such as "police").

export interface ScopedAgency {
  id: number
  name: string
  shortName: string
  type: string
}

/**
 * A resolver from a case's agency reference to one of the given agencies' ids, or null.
 * Matching ignores case and surrounding spaces. A short name or full name wins over a type, and a
 * reference that fits more than one agency equally (two agencies of type "other") resolves to
 * none: guessing would let an auditor review their own agency's case.
 */
export function ownershipResolver(
  agencies: readonly ScopedAgency[],
): (agencyRef: string | null | undefined) => number | null {
  const byName = new Map<string, number | null>()
  const byType = new Map<string, number | null>()
  const put = (map: Map<string, number | null>, key: string, id: number) => {
    const k = key.trim().toLowerCase()
    if (!k) return
    const had = map.get(k)
    map.set(k, had === undefined || had === id ? id : null)
  }
  for (const a of agencies) {
    put(byName, a.shortName, a.id)
    put(byName, a.name, a.id)
    put(byType, a.type, a.id)
  }
  return (agencyRef) => {
    const k = agencyRef?.trim().toLowerCase()
    if (!k) return null
    const named = byName.get(k)
    if (named !== undefined) return named
    return byType.get(k) ?? null
  }
}
