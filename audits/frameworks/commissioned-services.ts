// The commissioned-services question set: what the Victims' Advocate checks when dip-sampling the
// case files of the services the Police and Crime Commissioner commissions (victim support,
// ISVA/IDVA, the sexual assault referral centre, restorative justice). Each service's own case
// starts with a referral and ends with closure; the questions follow it from one to the other.
//
// Targets are the QAF's defaults, in working days after the referral: first contact within 2
// (1 for a victim entitled to enhanced services), needs assessed within 5, support plan agreed
// within 10. A contract with other targets is set for its round as a time-limit override, as for
// the Code items, so the due dates say which target was applied.
import { days, defineItem } from './define.ts'
import type { ItemSpec } from './define.ts'
import type { Framework, FrameworkItem } from './types.ts'

/** The sections a commissioned round's scores are reported under, in the order a case runs. */
export const commissionedGroups = ['Contact and assessment', 'Support', 'Closure'] as const
type Group = (typeof commissionedGroups)[number]

const DEFAULT_TARGET =
  "The QAF's default target; where the service's contract sets another, the round's time-limit overrides carry it"
const SOURCE = "Commissioned-services question set (the partnership's contract standards for victim services)"

/** The items are judged under the 2020 Code, whose Right 4 the services deliver. */
function section(group: Group, spec: ItemSpec): FrameworkItem {
  return defineItem('2020', group, null, 'commissioned_services')({ referenceRow: SOURCE, ...spec })
}

export const commissionedServices: Framework = {
  framework: 'commissioned_services',
  edition: '2020',
  version: '2025.1',
  title: 'Dip sample of commissioned victim services',
  inForce: { from: '2021-04-01', to: null },
  items: [
    section('Contact and assessment', {
      id: 'CS1',
      title: "First contact within the service's target",
      question: 'Did the service first contact the victim within its target after the referral was received?',
      agency: 'victim_services',
      trigger: 'service_referral',
      timeLimit: { standard: 2, enhanced: 1 },
      evidence: "Date of the first call, letter or visit in the service's case record",
      theme: 'communication_information',
      confirmation: 'confirmed',
      limitUnconfirmed: true,
      confirmationNote: DEFAULT_TARGET,
    }),
    section('Contact and assessment', {
      id: 'CS2',
      title: 'Needs assessment done',
      question: "Did the service assess the victim's needs and record the assessment?",
      agency: 'victim_services',
      trigger: 'service_referral',
      timeLimit: days(5),
      evidence: "Completed needs assessment on the service's case record",
      theme: 'enhanced_support',
      confirmation: 'confirmed',
      limitUnconfirmed: true,
      confirmationNote: DEFAULT_TARGET,
    }),
    section('Contact and assessment', {
      id: 'CS3',
      title: 'Consent to the referral recorded',
      question: 'Does the file record that the victim agreed to be referred to the service, or referred themselves?',
      agency: 'victim_services',
      trigger: 'service_referral',
      timeLimit: null,
      timing: 'At referral',
      evidence: 'Consent noted on the referral, or a self-referral',
      theme: 'engagement_collaboration',
      confirmation: 'confirmed',
    }),
    section('Support', {
      id: 'CS4',
      title: 'Support plan agreed',
      question: 'Was a support plan agreed with the victim, saying what support they would receive?',
      agency: 'victim_services',
      trigger: 'service_referral',
      timeLimit: days(10),
      evidence: 'Support plan on the file, with the victim’s agreement noted',
      theme: 'enhanced_support',
      confirmation: 'confirmed',
      limitUnconfirmed: true,
      confirmationNote: DEFAULT_TARGET,
    }),
    section('Closure', {
      id: 'CS5',
      title: "Closure with the victim's agreement",
      question: 'Was the case closed with the victim’s agreement?',
      agency: 'victim_services',
      trigger: 'service_closed',
      timeLimit: null,
      timing: 'At closure',
      evidence: 'Closure note recording that the victim agreed, or the attempts made to reach them',
      theme: 'care_respect',
      confirmation: 'confirmed',
    }),
    section('Closure', {
      id: 'CS6',
      title: 'Satisfaction asked',
      question: 'Was the victim asked how satisfied they were with the support they received?',
      agency: 'victim_services',
      trigger: 'service_closed',
      timeLimit: null,
      timing: 'At or after closure',
      evidence: 'Satisfaction survey or feedback call recorded on the file',
      theme: 'engagement_collaboration',
      confirmation: 'confirmed',
    }),
  ],
}
