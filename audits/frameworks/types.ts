// Shapes of a Code edition's auditable items, and the check every edition must pass at load.
import { z } from 'zod'
import { caseFlagKeys, eventTypeKeys, offenceGroupKeys, victimCharacteristicKeys } from '../case-facts.ts'
import type { CaseFlag, EventType, OffenceGroup, VictimCharacteristic } from '../case-facts.ts'

import { agencyTypes, editions, frameworkKinds } from '../vocabulary.ts'
import type { AgencyType, Edition, FrameworkKind } from '../vocabulary.ts'

export {
  agencyTypes,
  editions,
  frameworkKinds,
  type AgencyType,
  type Edition,
  type FrameworkKind,
} from '../vocabulary.ts'

export const themes = [
  { id: 'care_respect', name: 'Care and Respect' },
  { id: 'enhanced_support', name: 'Enhanced Support' },
  { id: 'communication_information', name: 'Communication and Information' },
  { id: 'engagement_collaboration', name: 'Engagement and Collaboration' },
] as const
export type ThemeId = (typeof themes)[number]['id']
const themeIds = themes.map((t) => t.id) as [ThemeId, ...ThemeId[]]

/** The five yes/no measures PCCs returned to the Ministry of Justice each quarter. */
export const mojMeasures = [
  { id: 'written_acknowledgement', name: 'Written acknowledgement of the crime report' },
  { id: 'support_referral', name: 'Referral to victim support services' },
  { id: 'timely_updates', name: 'Timely updates of adequate quality' },
  { id: 'vps_offered', name: 'Offered a Victim Personal Statement' },
  { id: 'release_information', name: "Told the offender's release date in advance" },
] as const
export type MojMeasureId = (typeof mojMeasures)[number]['id']
const mojMeasureIds = mojMeasures.map((m) => m.id) as [MojMeasureId, ...MojMeasureId[]]

/** How far the reference confirms the rule: its Chk column V, P or U. */
export const confirmations = ['confirmed', 'partly', 'unconfirmed'] as const
export type Confirmation = (typeof confirmations)[number]

export type Trigger = EventType | 'reported'
const triggerKeys = ['reported', ...eventTypeKeys] as [Trigger, ...Trigger[]]

/** Victims picked out by offence group or by any one of their characteristics. */
export interface VictimGroup {
  readonly offenceGroups: readonly OffenceGroup[]
  readonly characteristics: readonly VictimCharacteristic[]
  /** Case facts that bring the case in whoever the victim is (e.g. a CPS specified case). */
  readonly caseFlags: readonly CaseFlag[]
}

export interface ConsentRule {
  /**
   * opt_out: done unless the victim declines; opt_in: only once the victim agrees;
   * victim_choice: the duty is to offer, and taking it up is the victim's decision.
   */
  readonly mode: 'opt_out' | 'opt_in' | 'victim_choice'
  readonly rule: string
  /** Victims for whom an opt-out duty needs explicit consent instead. */
  readonly explicitFor: VictimGroup | null
}

export interface FrameworkItem {
  readonly id: string
  /** The Victims' Code, or the commissioned-services question set a dip sample is judged by. */
  readonly framework: FrameworkKind
  /**
   * The Code edition the item belongs to; a commissioned-services item names the edition whose
   * support Rights the services deliver (2020), which heads a commissioned round's scores.
   */
  readonly edition: Edition
  readonly title: string
  /** The question the auditor answers from the case file. */
  readonly question: string
  readonly agency: AgencyType
  /** Who in practice, where the reference names more than the agency type says. */
  readonly agencyNote: string | null
  readonly trigger: Trigger
  /** Further events that create the same obligation (e.g. bail set and bail changed). */
  readonly alsoTriggeredBy: readonly EventType[]
  /** 'first': one obligation at the earliest trigger; 'each': one per triggering event. */
  readonly occurrence: 'each' | 'first'
  /** Working days after the trigger; null where the Code sets no fixed limit. */
  readonly timeLimit: { readonly standard: number; readonly enhanced: number } | null
  /** The timing as the Code puts it, including limits that are not a count of days. */
  readonly timing: string
  readonly consent: ConsentRule | null
  readonly evidence: string
  readonly theme: ThemeId
  /** 2020 Right number (1–12); null for the 2015 Code. */
  readonly right: number | null
  /** The Right (2020) or topic (2015) the item is reported under. */
  readonly group: string
  readonly mojMeasure: MojMeasureId | null
  readonly confirmation: Confirmation
  /** The row of reference/victims-code.md the item is taken from, or where else it comes from. */
  readonly referenceRow: string
  /**
   * The reference flags the time limit itself U (unverified): a due date, or the absence of one,
   * rests on an assumed limit and the case page says so.
   */
  readonly limitUnconfirmed: boolean
  /** What is not confirmed, so a reviewer knows what to check against the Code. */
  readonly confirmationNote: string | null
  readonly appliesTo: {
    readonly enhancedOnly: boolean
    /** Only for these victims; null for all. */
    readonly victims: VictimGroup | null
    /** Only when the offender's sentence brings the victim into the Victim Contact Scheme. */
    readonly vcsOnly: boolean
    /** Only when the case also has this event at any date (e.g. the victim needed as a witness). */
    readonly requiresEvent: EventType | null
  }
}

export interface Framework {
  readonly framework: FrameworkKind
  readonly edition: Edition
  readonly version: string
  readonly title: string
  readonly inForce: { readonly from: string | null; readonly to: string | null }
  readonly items: readonly FrameworkItem[]
}

export interface CrosswalkEntry {
  readonly from2015: string
  readonly to2020: string
  /** 'equivalent' items can be trended as one series; 'partial' ones only with a caveat. */
  readonly match: 'equivalent' | 'partial'
  readonly note: string | null
}

export interface FrameworkData {
  readonly frameworks: Readonly<Record<Edition, Framework>>
  readonly crosswalk: readonly CrosswalkEntry[]
  /** The commissioned-services question set, checked by the same rules as the Code editions. */
  readonly commissioned?: Framework
}

const positiveDays = z.number().int().positive().max(250)
const text = z.string().trim().min(1)

const victimGroupSchema = z
  .object({
    offenceGroups: z.array(z.enum(offenceGroupKeys)),
    characteristics: z.array(z.enum(victimCharacteristicKeys)),
    caseFlags: z.array(z.enum(caseFlagKeys)),
  })
  .refine((g) => g.offenceGroups.length + g.characteristics.length + g.caseFlags.length > 0, {
    message: 'a victim group must name at least one offence group or characteristic',
  })

const itemSchema = z
  .object({
    id: text,
    framework: z.enum(frameworkKinds),
    edition: z.enum(editions),
    title: text,
    question: text.refine((q) => q.endsWith('?'), { message: 'question must end with "?"' }),
    agency: z.enum(agencyTypes),
    agencyNote: text.nullable(),
    trigger: z.enum(triggerKeys),
    alsoTriggeredBy: z.array(z.enum(eventTypeKeys)),
    occurrence: z.enum(['each', 'first']),
    timeLimit: z
      .object({ standard: positiveDays, enhanced: positiveDays })
      .refine((l) => l.enhanced <= l.standard, { message: 'enhanced limit must not exceed the standard one' })
      .nullable(),
    timing: text,
    consent: z
      .object({
        mode: z.enum(['opt_out', 'opt_in', 'victim_choice']),
        rule: text,
        explicitFor: victimGroupSchema.nullable(),
      })
      .nullable(),
    evidence: text,
    theme: z.enum(themeIds),
    right: z.number().int().min(1).max(12).nullable(),
    group: text,
    mojMeasure: z.enum(mojMeasureIds).nullable(),
    confirmation: z.enum(confirmations),
    referenceRow: text,
    limitUnconfirmed: z.boolean(),
    confirmationNote: text.nullable(),
    appliesTo: z.object({
      enhancedOnly: z.boolean(),
      victims: victimGroupSchema.nullable(),
      vcsOnly: z.boolean(),
      requiresEvent: z.enum(eventTypeKeys).nullable(),
    }),
  })
  .superRefine((item, ctx) => {
    if (item.framework === 'commissioned_services') {
      if (!/^CS\d{1,2}$/.test(item.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['id'],
          message: `commissioned-services ids look like CS1, got ${item.id}`,
        })
      }
      if (item.right !== null) {
        ctx.addIssue({ code: 'custom', path: ['right'], message: 'commissioned-services items have no Right' })
      }
    } else if (item.edition === '2015') {
      if (!/^V15-[A-Z]\d{2}$/.test(item.id)) {
        ctx.addIssue({ code: 'custom', path: ['id'], message: `2015 ids look like V15-P01, got ${item.id}` })
      }
      if (item.right !== null) ctx.addIssue({ code: 'custom', path: ['right'], message: '2015 items have no Right' })
    } else {
      const match = /^R(\d{1,2})\.\d{1,2}$/.exec(item.id)
      if (!match || Number(match[1]) !== item.right) {
        ctx.addIssue({ code: 'custom', path: ['id'], message: `2020 id ${item.id} must be R<right>.<n>` })
      }
    }
    if (item.alsoTriggeredBy.includes(item.trigger as EventType)) {
      ctx.addIssue({ code: 'custom', path: ['alsoTriggeredBy'], message: 'repeats the main trigger' })
    }
  })

const frameworkSchema = z.object({
  framework: z.enum(frameworkKinds),
  edition: z.enum(editions),
  version: z.string().regex(/^\d{4}\.\d+$/),
  title: text,
  inForce: z.object({ from: z.iso.date().nullable(), to: z.iso.date().nullable() }),
  items: z.array(itemSchema).min(1),
})

const crosswalkSchema = z.array(
  z.object({
    from2015: text,
    to2020: text,
    match: z.enum(['equivalent', 'partial']),
    note: text.nullable(),
  }),
)

/** Problems that zod's per-field checks cannot see: duplicates and references across lists. */
function crossChecks(data: FrameworkData): string[] {
  const problems: string[] = []
  const editionOf = new Map<string, Edition>()
  for (const edition of editions) {
    const framework = data.frameworks[edition]
    if (framework.edition !== edition) problems.push(`framework filed under ${edition} says ${framework.edition}`)
    if (framework.framework !== 'victims_code') problems.push(`the ${edition} Code is filed as ${framework.framework}`)
    for (const item of framework.items) {
      if (item.edition !== edition) problems.push(`${item.id} is filed under ${edition} but says ${item.edition}`)
      if (item.framework !== 'victims_code')
        problems.push(`${item.id} is filed under the Code but says ${item.framework}`)
      if (editionOf.has(item.id)) problems.push(`duplicate item id ${item.id}`)
      editionOf.set(item.id, edition)
    }
  }
  const commissioned = data.commissioned
  if (commissioned) {
    if (commissioned.framework !== 'commissioned_services') {
      problems.push(`the commissioned-services set is filed as ${commissioned.framework}`)
    }
    const seen = new Set<string>()
    for (const item of commissioned.items) {
      if (item.framework !== 'commissioned_services') problems.push(`${item.id} is not a commissioned-services item`)
      if (editionOf.has(item.id) || seen.has(item.id)) problems.push(`duplicate item id ${item.id}`)
      seen.add(item.id)
    }
  }
  const pairs = new Set<string>()
  for (const entry of data.crosswalk) {
    if (editionOf.get(entry.from2015) !== '2015') problems.push(`crosswalk: ${entry.from2015} is not a 2015 item`)
    if (editionOf.get(entry.to2020) !== '2020') problems.push(`crosswalk: ${entry.to2020} is not a 2020 item`)
    const pair = `${entry.from2015}>${entry.to2020}`
    if (pairs.has(pair)) problems.push(`crosswalk: ${pair} listed twice`)
    pairs.add(pair)
  }
  return problems
}

/**
 * Check framework data and return it unchanged, or throw listing every problem. Runs when the
 * frameworks module loads, so broken data stops the application rather than skewing an audit.
 */
export function validateFrameworkData(data: FrameworkData): FrameworkData {
  const problems: string[] = []
  const sets: Array<[name: string, framework: Framework]> = editions.map((e) => [e, data.frameworks[e]])
  if (data.commissioned) sets.push(['commissioned', data.commissioned])
  for (const [name, framework] of sets) {
    const parsed = frameworkSchema.safeParse(framework)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`${name} ${issue.path.join('.')}: ${issue.message}`)
      }
    }
  }
  const crosswalk = crosswalkSchema.safeParse(data.crosswalk)
  if (!crosswalk.success) {
    for (const issue of crosswalk.error.issues) problems.push(`crosswalk ${issue.path.join('.')}: ${issue.message}`)
  }
  if (problems.length === 0) problems.push(...crossChecks(data))
  if (problems.length > 0) throw new Error(`Invalid framework data:\n- ${problems.join('\n- ')}`)
  return data
}
