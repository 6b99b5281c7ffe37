// Whether a victim was entitled to enhanced services (reference §2), and how that compares with the
// flag the agency recorded, case by case and over a set of cases.
import { seriousOffences, victimCharacteristics } from './case-facts.ts'
import type { CaseFacts, VictimCharacteristic } from './case-facts.ts'
import { editionInForce } from './frameworks/index.ts'
import type { Edition } from './frameworks/index.ts'

export interface EnhancedEligibility {
  eligible: boolean
  /** Why, in words shown to the auditor: the groups the victim is in, or why there is no tier. */
  reasons: string[]
  /** Characteristics the case facts leave unknown, which could have made the victim eligible. */
  unknown: string[]
  /** The edition the judgement was made under; null before any Code was in force. */
  edition: Edition | null
}

export type FlagCheckStatus = 'agrees' | 'not_identified' | 'flagged_not_eligible' | 'not_recorded'

/** The agency's recorded enhanced flag set against the status worked out from the facts. */
export interface FlagCheck {
  recorded: boolean | null
  computed: boolean
  status: FlagCheckStatus
  /** A sentence for the case page; null when the two agree. */
  message: string | null
}

export const BUSINESS_REASON = 'A business: businesses have their own entitlements and no enhanced tier'
export const AGE_UNCLEAR_REASON = 'Age unclear: presumed under 18'
export const NO_CODE_REASON = 'Before 16 November 2015, when the 2015 Code came into force: no Code obligation'

// Order and wording of the reasons the auditor sees (reference §2). Sexual-offence and
// trafficking complainants count as intimidated whatever the flags say.
const reasonChecks: ReadonlyArray<[test: (facts: CaseFacts) => boolean, reason: (facts: CaseFacts) => string]> = [
  [(f) => f.under18 === true, () => victimCharacteristics.under18],
  [(f) => f.ageUnclear && f.under18 === null, () => AGE_UNCLEAR_REASON],
  [(f) => f.domesticAbuse === true, () => victimCharacteristics.domesticAbuse],
  [(f) => f.offenceGroup === 'sexual', () => 'Sexual offence complainant (intimidated automatically)'],
  [(f) => f.seriousOffence === 'trafficking', () => 'Human trafficking complainant (intimidated automatically)'],
  [
    (f) => f.seriousOffence !== null && f.seriousOffence !== 'none' && f.seriousOffence !== 'trafficking',
    (f) => `Most serious crime: ${seriousOffences[f.seriousOffence as keyof typeof seriousOffences]}`,
  ],
  [(f) => f.bereaved === true, () => victimCharacteristics.bereaved],
  [(f) => f.persistentlyTargeted === true, () => victimCharacteristics.persistentlyTargeted],
  [(f) => f.vulnerable === true, () => victimCharacteristics.vulnerable],
  [(f) => f.intimidated === true, () => victimCharacteristics.intimidated],
  [(f) => f.hateCrime === true, () => victimCharacteristics.hateCrime],
]

/**
 * Whether the victim qualified for enhanced entitlements (2015) or Enhanced Rights (2020) on a
 * date; the report date when none is given. The three groups are the same in both editions [S6].
 */
export function enhancedEligibility(facts: CaseFacts, onDate: string = facts.reportedOn): EnhancedEligibility {
  const edition = editionInForce(onDate)
  if (edition === null) return { eligible: false, reasons: [NO_CODE_REASON], unknown: [], edition }
  if (facts.victimType === 'business') return { eligible: false, reasons: [BUSINESS_REASON], unknown: [], edition }
  const reasons = reasonChecks.filter(([test]) => test(facts)).map(([, reason]) => reason(facts))
  const unknown: string[] = (Object.keys(victimCharacteristics) as VictimCharacteristic[])
    .filter((key) => facts[key] === null && !(key === 'under18' && facts.ageUnclear))
    .map((key) => victimCharacteristics[key])
  if (facts.seriousOffence === null) unknown.push('Offence of the most serious crime')
  return { eligible: reasons.length > 0, reasons, unknown, edition }
}

/**
 * The agency's enhanced flag against the status worked out for the report date, when the police
 * decide it at the needs assessment (reference §2: "compare it with the recorded flag, and report
 * mismatches").
 */
export function enhancedFlagCheck(facts: CaseFacts, computed = enhancedEligibility(facts).eligible): FlagCheck {
  const recorded = facts.recordedEnhanced
  if (recorded === null) {
    return {
      recorded,
      computed,
      status: 'not_recorded',
      message: 'The file does not show whether the agency flagged the victim as enhanced',
    }
  }
  if (recorded === computed) return { recorded, computed, status: 'agrees', message: null }
  return recorded
    ? {
        recorded,
        computed,
        status: 'flagged_not_eligible',
        message: 'Flagged as enhanced by the agency, but the case facts show no enhanced group',
      }
    : {
        recorded,
        computed,
        status: 'not_identified',
        message: 'Entitled to enhanced services, but the agency did not flag the victim as enhanced',
      }
}

export interface FlagTally {
  /** Cases whose facts say whether the agency flagged the victim. */
  recorded: number
  /** Entitled to enhanced services but not flagged: the QAF's "victims not identified as vulnerable". */
  notIdentified: number
  flaggedNotEligible: number
  /** Cases whose file does not show the agency's flag. */
  notRecorded: number
}

/** Counts of the recorded-flag check over a set of cases, for the scores. */
export function tallyFlagChecks(cases: readonly CaseFacts[]): FlagTally {
  const tally: FlagTally = { recorded: 0, notIdentified: 0, flaggedNotEligible: 0, notRecorded: 0 }
  for (const facts of cases) {
    const { status } = enhancedFlagCheck(facts)
    if (status === 'not_recorded') tally.notRecorded++
    else tally.recorded++
    if (status === 'not_identified') tally.notIdentified++
    if (status === 'flagged_not_eligible') tally.flaggedNotEligible++
  }
  return tally
}
