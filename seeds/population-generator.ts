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
import type { OffenceGroup } from '../audits/case-facts.ts'
import { CaseEvents, caseJourney, generatedEvents } from './case-journey.ts'

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

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
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
