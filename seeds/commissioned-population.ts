// A commissioned-services population as CSV: one row per victim referred to one of Cumbria's
// commissioned services in a period, with the referral and (where it has happened) the closure.
// The service holding the file is the row's agency_ref, so each answer counts towards it. Seeded:
// the same options always give the same text.
import { addWorkingDays, compareIso } from '../audits/calendar.ts'
import type { OffenceGroup } from '../audits/case-facts.ts'
import { createRng, type Rng } from '../audits/seeded-random.ts'
import { districtKeys } from '../server/population/columns.ts'

export interface CommissionedService {
  /** The agency's short name, as the population file's agency_ref gives it. */
  agencyRef: string
  /** Case reference prefix. */
  prefix: string
  cases: number
  offences: ReadonlyArray<readonly [OffenceGroup, number]>
  /** Working days from the crime report to the referral, and from the referral to closure. */
  referralDelay: readonly [number, number]
  supportLength: readonly [number, number]
  domesticAbuse: number
}

/** Victim Support (with its IDVAs and ISVAs), the SARC and the restorative justice service. */
export const cumbriaServices: readonly CommissionedService[] = [
  {
    agencyRef: 'Victim Support',
    prefix: 'VS',
    cases: 150,
    offences: [
      ['violence', 6],
      ['theft', 3],
      ['criminal_damage_arson', 1],
      ['public_order', 1],
    ],
    referralDelay: [0, 6],
    supportLength: [15, 90],
    domesticAbuse: 0.4,
  },
  {
    agencyRef: 'Bridgeway',
    prefix: 'SARC',
    cases: 50,
    offences: [['sexual', 1]],
    referralDelay: [0, 3],
    supportLength: [20, 120],
    domesticAbuse: 0.25,
  },
  {
    agencyRef: 'Remedi',
    prefix: 'RJ',
    cases: 40,
    offences: [
      ['theft', 3],
      ['violence', 2],
      ['criminal_damage_arson', 2],
    ],
    referralDelay: [20, 120],
    supportLength: [20, 80],
    domesticAbuse: 0,
  },
]

export const commissionedColumns = [
  'case_ref',
  'reported_on',
  'offence_group',
  'district',
  'domestic_abuse',
  'agency_ref',
  'crime_recorded',
  'service_referral',
  'service_closed',
] as const

function between(rng: Rng, [low, high]: readonly [number, number]): number {
  return low + rng.nextInt(high - low + 1)
}

function pickWeighted<T>(rng: Rng, weights: ReadonlyArray<readonly [T, number]>): T {
  const total = weights.reduce((n, [, w]) => n + w, 0)
  let r = rng.next() * total
  for (const [value, w] of weights) {
    r -= w
    if (r < 0) return value
  }
  return (weights[weights.length - 1] as readonly [T, number])[0]
}

export interface CommissionedPopulationOptions {
  seed: string
  /** Crimes reported from and to (ISO dates), as the round's period; the extract is taken on `extractedOn`. */
  periodFrom: string
  periodTo: string
  extractedOn: string
  services?: readonly CommissionedService[]
}

/** The CSV text, header first, one line per referral, each line ending in a newline. */
export function commissionedPopulationCsv(options: CommissionedPopulationOptions): string {
  const rng = createRng(options.seed)
  const span = Math.round((Date.parse(options.periodTo) - Date.parse(options.periodFrom)) / 86_400_000)
  const lines: string[] = [commissionedColumns.join(',')]
  for (const service of options.services ?? cumbriaServices) {
    for (let i = 1; i <= service.cases; i++) {
      // Cases reported in the period (as every round's population is), referred on afterwards.
      const reported = addWorkingDays(options.periodFrom, Math.floor((rng.next() * span * 5) / 7))
      if (compareIso(reported, options.periodTo) > 0) continue
      const referred = addWorkingDays(reported, between(rng, service.referralDelay))
      if (compareIso(referred, options.extractedOn) > 0) continue
      const closed = addWorkingDays(referred, between(rng, service.supportLength))
      const offence = pickWeighted(rng, service.offences)
      const district = districtKeys[rng.nextInt(districtKeys.length)] as string
      const domesticAbuse = rng.next() < service.domesticAbuse ? 'yes' : 'no'
      lines.push(
        [
          `${service.prefix}-${reported.slice(2, 4)}-${String(i).padStart(4, '0')}`,
          reported,
          offence,
          district,
          domesticAbuse,
          service.agencyRef,
          reported,
          referred,
          compareIso(closed, options.extractedOn) <= 0 ? closed : '',
        ].join(','),
      )
    }
  }
  return `${lines.join('\n')}\n`
}
