// A year of the Victims' Advocate's observations (financial year 2025/26, four a month) across
// every service and theme, made through the same writes the screens use. The ratings are laid out
// so the themes page has something to say: Communication and Information is rated poorly again
// and again (a recurring issue), Enhanced Support just reaches the threshold, Care and Respect
// and Engagement and Collaboration do not. The last few stay private to the advocate; one police
// observation is linked to a published finding. Every demo database gets the same observations.
import { agencies } from '../schema/index.ts'
import type { Db } from '../schema/database.ts'
import type { ThemeId } from '../audits/frameworks/types.ts'
import type { AgencyType, ObservationKind, ObservationRating, ObservationSetting } from '../audits/vocabulary.ts'
import { listFindings } from '../server/services/findings/finding-queries.ts'
import { scopeOfUser, userByEmail } from '../server/services/admin/users-queries.ts'
import {
  createObservation,
  linkObservation,
  shareObservation,
  type ObservationInput,
} from '../server/services/advocate/observations.ts'

const THEMES: ThemeId[] = ['care_respect', 'enhanced_support', 'communication_information', 'engagement_collaboration']

/** Which observations of each theme (by their place among that theme's twelve) were rated poorly, and how. */
const POOR: Record<ThemeId, Record<number, ObservationRating>> = {
  care_respect: { 4: 'requires_improvement', 8: 'requires_improvement' },
  enhanced_support: { 2: 'requires_improvement', 6: 'requires_improvement', 10: 'inadequate' },
  communication_information: {
    1: 'requires_improvement',
    3: 'inadequate',
    5: 'requires_improvement',
    7: 'requires_improvement',
    9: 'inadequate',
  },
  engagement_collaboration: { 5: 'requires_improvement' },
}

/** What went well and what could improve, by theme, for a good observation and a poor one. */
const TEXT: Record<ThemeId, { good: [string, string]; poor: [string, string] }> = {
  care_respect: {
    good: [
      'Staff introduced themselves, explained each step and checked the victim was comfortable before going on.',
      "The waiting area was shared with the defendant's family for a few minutes; a separate room was found quickly.",
    ],
    poor: [
      'The officer was courteous once the conversation started.',
      'The victim waited over an hour with no explanation, in sight of the defendant. Staff did not check on them.',
    ],
  },
  enhanced_support: {
    good: [
      'The victim was identified as eligible for enhanced support at first contact and offered special measures early.',
      'The needs assessment was recorded but the plan was not reviewed when the trial date moved.',
    ],
    poor: [
      'A referral to the independent sexual violence adviser was made.',
      'No needs assessment was done, so the victim was not offered the enhanced entitlements they were due.',
    ],
  },
  communication_information: {
    good: [
      "Updates were given within the Code's time limits and in plain language, with a named contact.",
      'Letters still use legal terms the victim had to ask about.',
    ],
    poor: [
      'The victim was given the leaflet about the Code when they reported.',
      'The victim learned of the charging decision from the local paper. No one told them of the bail conditions.',
    ],
  },
  engagement_collaboration: {
    good: [
      'Police, witness care and the victim service shared one plan, so the victim told their story once.',
      'The handover between witness care and the court took two days longer than agreed.',
    ],
    poor: [
      'Each agency was helpful on its own.',
      'The victim was passed between three agencies, each asking the same questions; no one owned the case.',
    ],
  },
}

const SETTING: Record<string, ObservationSetting> = {
  police: 'police_station',
  witness_care: 'court',
  cps: 'court',
  courts: 'court',
  probation: 'other',
  youth_justice: 'other',
  victim_services: 'victim_service',
}

/** Rights an observation of each kind of agency typically touches (2020 Code numbers). */
const RIGHTS: Record<AgencyType, number[]> = {
  police: [2, 3, 4, 6],
  witness_care: [8, 6],
  cps: [6, 7, 9],
  courts: [8, 7],
  probation: [11],
  youth_justice: [11, 12],
  victim_services: [4, 1],
  other: [4, 1],
}

/** Day of the month for each of the four observations a month. */
const DAYS = ['04', '11', '18', '25']
const PRIVATE_AT_END = 3

function settingFor(name: string, type: AgencyType): ObservationSetting {
  if (/sexual assault referral/i.test(name)) return 'sarc'
  if (/restorative/i.test(name)) return 'restorative_justice'
  return SETTING[type] ?? 'other'
}

function kindFor(commissioned: boolean, i: number): ObservationKind {
  const kinds: ObservationKind[] = commissioned
    ? ['dip_sample', 'victim_meeting', 'panel_feedback', 'service_delivery']
    : ['service_delivery', 'victim_meeting', 'service_delivery', 'panel_feedback']
  return kinds[i % kinds.length] as ObservationKind
}

/** The demo year's observations, in date order, for the given agencies. */
export function demoObservationInputs(services: readonly { id: number; name: string; type: AgencyType }[]) {
  const out: ObservationInput[] = []
  for (let i = 0; i < 48; i++) {
    const month = (3 + Math.floor(i / 4)) % 12
    const year = month >= 3 ? 2025 : 2026
    const service = services[i % services.length]
    if (!service) break
    const theme = THEMES[i % 4] as ThemeId
    const place = Math.floor(i / 4)
    const rating: ObservationRating = POOR[theme][place] ?? 'good'
    const poor = rating !== 'good'
    // Good observations often touch a second theme; poor ones are kept to one, so the counts of
    // poor ratings per theme are exactly those in POOR.
    const themes = !poor && i % 3 === 0 ? [theme, THEMES[(i + 1) % 4] as ThemeId] : [theme]
    const rights = RIGHTS[service.type]
    const commissioned = service.type === 'victim_services' || service.type === 'other'
    const [wentWell, couldImprove] = TEXT[theme][poor ? 'poor' : 'good']
    out.push({
      observedOn: `${year}-${String(month + 1).padStart(2, '0')}-${DAYS[i % 4]}`,
      agencyId: service.id,
      setting: settingFor(service.name, service.type),
      kind: kindFor(commissioned, i),
      themes,
      rights: [rights[i % rights.length] as number],
      wentWell,
      couldImprove,
      rating,
      followUp: poor ? 'Raised with the service manager; to look at again in three months.' : '',
    })
  }
  return out
}

export function loadDemoObservations(db: Db): void {
  if (!userByEmail(db, 'advocate@qaf.example')) return
  const advocate = scopeOfUser(db, 'advocate@qaf.example')
  const services = db
    .select({ id: agencies.id, name: agencies.name, type: agencies.type })
    .from(agencies)
    .orderBy(agencies.id)
    .all()
  const inputs = demoObservationInputs(services)
  const ids: number[] = []
  inputs.forEach((input, i) => {
    const id = createObservation(db, advocate, input, `${input.observedOn}T16:00:00.000Z`)
    ids.push(id)
    if (i < inputs.length - PRIVATE_AT_END) shareObservation(db, advocate, id, `${input.observedOn}T17:30:00.000Z`)
  })
  // The first poorly rated police observation is evidence for a published police finding.
  const police = services.find((s) => s.type === 'police')
  const finding = listFindings(db, advocate).find((f) => f.agencyId === police?.id && f.status !== 'proposed')
  const at = inputs.findIndex((o) => o.agencyId === police?.id && o.rating !== 'good')
  const observationId = ids[at]
  if (finding && observationId !== undefined) linkObservation(db, advocate, observationId, finding.id)
}
