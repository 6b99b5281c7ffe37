// One synthetic case's way through the system (reported → arrested → interviewed → charged →
// hearing → verdict → sentence), with most cases leaving that path early and events beyond the
// extract date not yet happened. Part of the population generator (population-generator.ts).
import type { Rng } from '../audits/seeded-random.ts'
import type { EventType, OffenceGroup } from '../audits/case-facts.ts'

export const generatedEvents = [
  'crime_recorded',
  'needs_assessment',
  'statement_taken',
  'not_investigated',
  'suspect_arrested',
  'suspect_interviewed',
  'released_under_investigation',
  'bailed',
  'no_further_action',
  'out_of_court_disposal',
  'charged',
  'cps_discontinued',
  'hearing_set',
  'hearing_held',
  'guilty_plea',
  'not_guilty_plea',
  'witness_required',
  'verdict',
  'sentence',
  'vcs_referral',
] as const satisfies readonly EventType[]
export type GeneratedEvent = (typeof generatedEvents)[number]

// Chance that a suspect is identified, by offence group.
const suspectRate: Record<OffenceGroup, number> = {
  violence: 0.62,
  sexual: 0.5,
  robbery: 0.45,
  theft: 0.2,
  criminal_damage_arson: 0.22,
  public_order: 0.55,
  other: 0.4,
}

function between(rng: Rng, min: number, max: number): number {
  return min + rng.nextInt(max - min + 1)
}

export class CaseEvents {
  readonly dates = new Map<GeneratedEvent, number[]>()
  /** False once an event would fall after the extract date: the case is still open there. */
  open = true
  stoppedAt: GeneratedEvent | null = null

  constructor(private readonly extractDay: number) {}

  /** Records the event unless it lies beyond the extract; returns whether it happened. */
  add(type: GeneratedEvent, day: number): boolean {
    if (!this.open) return false
    if (day > this.extractDay) {
      this.open = false
      this.stoppedAt = type
      return false
    }
    const list = this.dates.get(type)
    if (list) list.push(day)
    else this.dates.set(type, [day])
    return true
  }
}

/** Walks one case through the system; returns its outcome text. */
export function caseJourney(rng: Rng, offence: OffenceGroup, reported: number, ev: CaseEvents): string {
  ev.add('crime_recorded', reported + (rng.next() < 0.85 ? 0 : between(rng, 1, 3)))
  const serious = offence === 'violence' || offence === 'sexual' || offence === 'robbery'
  if (rng.next() < (serious ? 0.85 : 0.6)) ev.add('needs_assessment', reported + between(rng, 0, 7))
  if (rng.next() < (serious ? 0.75 : 0.45)) ev.add('statement_taken', reported + between(rng, 0, 14))

  if (rng.next() >= suspectRate[offence]) {
    const volume = offence === 'theft' || offence === 'criminal_damage_arson' || offence === 'other'
    if (volume && rng.next() < 0.5) {
      ev.add('not_investigated', reported + between(rng, 0, 3))
      return 'Not investigated further'
    }
    return 'Investigation complete, no suspect identified'
  }

  let interviewDay: number
  if (rng.next() < 0.75) {
    // Most arrests follow within days; a tail takes weeks.
    const arrest = reported + (rng.next() < 0.6 ? between(rng, 0, 2) : between(rng, 3, 60))
    if (!ev.add('suspect_arrested', arrest)) return 'Under investigation'
    interviewDay = arrest + (rng.next() < 0.8 ? 0 : 1)
  } else {
    interviewDay = reported + between(rng, 3, 45)
  }
  if (rng.next() < 0.1) return 'Suspect not interviewed'
  if (!ev.add('suspect_interviewed', interviewDay)) return 'Under investigation'

  const branch = rng.next()
  let chargeDay: number
  if (branch < 0.38) {
    if (rng.next() < 0.5) {
      chargeDay = interviewDay
    } else {
      ev.add(rng.next() < 0.5 ? 'bailed' : 'released_under_investigation', interviewDay)
      chargeDay = interviewDay + between(rng, 20, 180)
    }
    if (!ev.add('charged', chargeDay)) return 'Under investigation'
  } else if (branch < 0.72) {
    if (rng.next() < 0.4) ev.add('released_under_investigation', interviewDay)
    if (!ev.add('no_further_action', interviewDay + between(rng, 0, 120))) return 'Under investigation'
    return rng.next() < 0.6
      ? 'No further action - evidential difficulties'
      : 'No further action - victim does not support'
  } else if (branch < 0.84) {
    if (!ev.add('out_of_court_disposal', interviewDay + between(rng, 0, 30))) return 'Under investigation'
    return 'Out-of-court disposal'
  } else {
    ev.add('released_under_investigation', interviewDay)
    return 'Under investigation'
  }

  ev.add('hearing_set', chargeDay + between(rng, 1, 7))
  const firstHearing = chargeDay + between(rng, 7, 28)
  if (!ev.add('hearing_held', firstHearing)) return 'Awaiting first hearing'
  if (rng.next() < 0.08) {
    ev.add('cps_discontinued', firstHearing + between(rng, 0, 60))
    return 'Discontinued'
  }
  let sentenceDay: number
  if (rng.next() < 0.65) {
    ev.add('guilty_plea', firstHearing)
    sentenceDay = rng.next() < 0.4 ? firstHearing : firstHearing + between(rng, 21, 42)
    if (!ev.add('sentence', sentenceDay)) return 'Awaiting sentence'
    maybeVictimContact(rng, offence, sentenceDay, ev)
    return 'Convicted, guilty plea'
  }
  ev.add('not_guilty_plea', firstHearing)
  ev.add('witness_required', firstHearing + between(rng, 1, 14))
  ev.add('hearing_set', firstHearing + between(rng, 0, 3))
  const trial = firstHearing + between(rng, 60, 300)
  if (!ev.add('hearing_held', trial)) return 'Awaiting trial'
  ev.add('verdict', trial)
  if (rng.next() >= 0.6) return 'Acquitted'
  sentenceDay = trial + between(rng, 0, 42)
  if (!ev.add('sentence', sentenceDay)) return 'Awaiting sentence'
  maybeVictimContact(rng, offence, sentenceDay, ev)
  return 'Convicted after trial'
}

// Violent and sexual offenders sentenced to 12 months or more bring the Victim Contact Scheme in.
function maybeVictimContact(rng: Rng, offence: OffenceGroup, sentenceDay: number, ev: CaseEvents): void {
  if ((offence === 'violence' || offence === 'sexual') && rng.next() < 0.3)
    ev.add('vcs_referral', sentenceDay + between(rng, 0, 20))
}
