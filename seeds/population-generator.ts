// A synthetic, Cumbria-shaped case population for tests, the demo and benchmarks. Pure: it
// yields CSV text and never touches a file, so the caller decides where a million rows go and
// none of them need to be held at once.
//
// Shape (shared reference cumbria.md): offence groups in proportion to the 2018/19 recorded
// volumes, districts roughly by population, victim flags at plausible rates, and each case's
// events in the order a case moves through the system (reported → arrested → interviewed →
// charged → hearing → verdict → sentence), with most cases leaving that path early (no suspect,
// no further action, out-of-court disposal) and recent cases still open at the extract date.
import { createRng, type Rng } from '../audits/seeded-random.ts'
import type { EventType, OffenceGroup } from '../audits/case-facts.ts'

export interface PopulationGeneratorOptions {
  cases: number
  seed: string | number
  /** First and last day a case may be reported (ISO dates); default the year to 31 March 2024. */
  periodFrom?: string
  periodTo?: string
}

/** Victim-based crimes recorded in Cumbria, April 2018 – March 2019; "other" is a small remainder. */
const offenceWeights: ReadonlyArray<readonly [OffenceGroup, number]> = [
  ['violence', 14242],
  ['sexual', 1667],
  ['robbery', 142],
  ['theft', 9758],
  ['criminal_damage_arson', 5580],
  ['public_order', 3294],
  ['other', 700],
]

const districtWeights: ReadonlyArray<readonly [string, number, string]> = [
  ['carlisle', 22, 'CA'],
  ['allerdale', 19, 'AL'],
  ['south_lakeland', 21, 'SL'],
  ['barrow', 14, 'BA'],
  ['copeland', 14, 'CO'],
  ['eden', 10, 'ED'],
]

const generatedEvents = [
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
type GeneratedEvent = (typeof generatedEvents)[number]

const flagColumns = [
  'under_18',
  'vulnerable',
  'intimidated',
  'persistently_targeted',
  'bereaved',
  'domestic_abuse',
  'hate_crime',
] as const

/** The header the generator writes, in its order (an import accepts any order). */
export const generatedColumns: readonly string[] = [
  'case_ref',
  'reported_on',
  'offence_group',
  'district',
  ...flagColumns,
  'outcome',
  'agency_ref',
  ...generatedEvents,
]

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

const domesticAbuseRate: Record<OffenceGroup, number> = {
  violence: 0.25,
  sexual: 0.2,
  robbery: 0.02,
  theft: 0.02,
  criminal_damage_arson: 0.1,
  public_order: 0.05,
  other: 0.05,
}

const hateCrimeRate: Record<OffenceGroup, number> = {
  violence: 0.03,
  sexual: 0.005,
  robbery: 0.01,
  theft: 0.004,
  criminal_damage_arson: 0.02,
  public_order: 0.12,
  other: 0.005,
}

const MS_PER_DAY = 86_400_000

function dayOf(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) throw new RangeError(`not an ISO date: ${iso}`)
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY
  if (new Date(day * MS_PER_DAY).toISOString().slice(0, 10) !== iso) throw new RangeError(`not a real date: ${iso}`)
  return day
}

function pickWeighted<T extends readonly [string, number, ...unknown[]]>(
  rng: Rng,
  table: readonly T[],
  total: number,
): T {
  let x = rng.next() * total
  for (const row of table) {
    x -= row[1]
    if (x < 0) return row
  }
  return table[table.length - 1] as T
}

function between(rng: Rng, min: number, max: number): number {
  return min + rng.nextInt(max - min + 1)
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

class CaseEvents {
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

type Flag = boolean | null

interface GeneratedCase {
  offence: OffenceGroup
  flags: Record<(typeof flagColumns)[number], Flag>
  events: CaseEvents
  outcome: string
  agencyRef: string
}

function flag(rng: Rng, rate: number, unknownRate = 0.04): Flag {
  if (rng.next() < unknownRate) return null
  return rng.next() < rate
}

/** Walks one case through the system; returns its outcome text. */
function caseJourney(rng: Rng, offence: OffenceGroup, reported: number, ev: CaseEvents): string {
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

function generateCase(rng: Rng, offence: OffenceGroup, reported: number, extractDay: number): GeneratedCase {
  const domesticAbuse = flag(rng, domesticAbuseRate[offence], 0.02)
  const da = domesticAbuse === true
  const flags = {
    under_18: flag(rng, offence === 'sexual' ? 0.35 : 0.11),
    vulnerable: flag(rng, da ? 0.3 : 0.14),
    intimidated: flag(rng, da ? 0.35 : 0.08),
    persistently_targeted: flag(rng, da ? 0.15 : 0.03),
    bereaved: flag(rng, offence === 'violence' ? 0.003 : 0, 0.01),
    domestic_abuse: domesticAbuse,
    hate_crime: flag(rng, hateCrimeRate[offence], 0.02),
  }
  const events = new CaseEvents(extractDay)
  const outcome = caseJourney(rng, offence, reported, events)
  const a = rng.next()
  // Most files belong to the police and say nothing; a few name their owner.
  const agencyRef =
    a < 0.03 ? 'police' : a < 0.05 && events.dates.has('charged') ? 'cps' : a < 0.06 ? 'victim_services' : ''
  return { offence, flags, events, outcome, agencyRef }
}

/**
 * The population as CSV text: the header line first, then chunks of up to `linesPerChunk`
 * lines, each ending in a newline. The same options always give the same text.
 */
export function* generatePopulationCsv(options: PopulationGeneratorOptions, linesPerChunk = 1000): Generator<string> {
  const { cases, seed } = options
  if (!Number.isSafeInteger(cases) || cases < 0)
    throw new RangeError(`cases must be a whole number of 0 or more, got ${cases}`)
  const from = dayOf(options.periodFrom ?? '2023-04-01')
  const to = dayOf(options.periodTo ?? '2024-03-31')
  if (to < from) throw new RangeError('periodTo is before periodFrom')
  // The file is an extract taken three months after the period: later events have not happened yet.
  const extractDay = to + 90

  const isoCache = new Map<number, string>()
  const iso = (day: number): string => {
    let s = isoCache.get(day)
    if (s === undefined) {
      s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
      isoCache.set(day, s)
    }
    return s
  }
  const flagText = (f: Flag): string => (f === null ? '' : f ? 'yes' : 'no')
  const offenceTotal = offenceWeights.reduce((n, [, w]) => n + w, 0)
  const districtTotal = districtWeights.reduce((n, [, w]) => n + w, 0)
  const width = Math.max(6, String(cases).length)
  const rng = createRng(seed)

  yield generatedColumns.join(',') + '\n'
  let lines: string[] = []
  for (let i = 1; i <= cases; i++) {
    const [offence] = pickWeighted(rng, offenceWeights, offenceTotal)
    const [district, , code] = pickWeighted(rng, districtWeights, districtTotal)
    const reported = from + rng.nextInt(to - from + 1)
    const c = generateCase(rng, offence, reported, extractDay)
    const year = iso(reported).slice(2, 4)
    const cells = [
      `${code}-${year}-${String(i).padStart(width, '0')}`,
      iso(reported),
      offence,
      district,
      ...flagColumns.map((f) => flagText(c.flags[f])),
      csvField(c.outcome),
      c.agencyRef,
      ...generatedEvents.map((type) => (c.events.dates.get(type) ?? []).map(iso).join(';')),
    ]
    lines.push(cells.join(','))
    if (lines.length >= linesPerChunk) {
      yield lines.join('\n') + '\n'
      lines = []
    }
  }
  if (lines.length > 0) yield lines.join('\n') + '\n'
}
