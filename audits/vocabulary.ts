// The words of the domain, declared once: the codes the database stores and the labels every
// screen shows for them. schema/ builds its column enums from these lists, and views, forms and
// exports take their wording from here, so two screens cannot name one thing two ways.

export const roles = ['admin', 'auditor', 'moderator', 'agency', 'advocate', 'viewer'] as const
export type Role = (typeof roles)[number]

export const roleLabels: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  auditor: 'Auditor',
  moderator: 'Moderator',
  agency: 'Agency lead',
  advocate: "Victims' Advocate",
  viewer: 'Viewer',
}

export const agencyTypes = [
  'police',
  'witness_care',
  'cps',
  'courts',
  'probation',
  'youth_justice',
  'victim_services',
  'other',
] as const
export type AgencyType = (typeof agencyTypes)[number]

export const agencyTypeLabels: Readonly<Record<AgencyType, string>> = {
  police: 'Police',
  witness_care: 'Witness Care Unit',
  cps: 'Crown Prosecution Service',
  courts: 'HM Courts and Tribunals Service',
  probation: 'Probation Service',
  youth_justice: 'Youth justice service',
  victim_services: 'Victim services',
  other: 'Other',
}

/** Editions of the Victims' Code a round can audit against. */
export const editions = ['2015', '2020'] as const
export type Edition = (typeof editions)[number]

/**
 * What a round audits: case files against the Victims' Code, or a dip sample of commissioned
 * services' case files against the commissioned-services question set. Both run through the same
 * import, draw, allocation, review and scoring; only the items differ.
 */
export const frameworkKinds = ['victims_code', 'commissioned_services'] as const
export type FrameworkKind = (typeof frameworkKinds)[number]

export const frameworkKindLabels: Readonly<Record<FrameworkKind, string>> = {
  victims_code: "Victims' Code",
  commissioned_services: 'Commissioned services',
}

/** Who is allocated a round's cases: auditors for the Code, the Victims' Advocate for a dip sample. */
export const reviewerRoles: Readonly<Record<FrameworkKind, Role>> = {
  victims_code: 'auditor',
  commissioned_services: 'advocate',
}

export const roundStages = ['draft', 'sampling', 'fieldwork', 'moderation', 'published', 'archived'] as const
export type RoundStage = (typeof roundStages)[number]

export const roundStageLabels: Readonly<Record<RoundStage, string>> = {
  draft: 'Draft',
  sampling: 'Sampling',
  fieldwork: 'Fieldwork',
  moderation: 'Moderation',
  published: 'Published',
  archived: 'Archived',
}

export const caseStatuses = ['not_started', 'in_progress', 'complete', 'returned', 'unusable', 'replaced'] as const
export type CaseStatus = (typeof caseStatuses)[number]

export const caseStatusLabels: Readonly<Record<CaseStatus, string>> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  complete: 'Complete',
  returned: 'Returned',
  unusable: 'Unusable',
  replaced: 'Replaced',
}

export const outcomes = ['met', 'partially_met', 'not_met', 'not_applicable', 'not_evidenced'] as const
export type Outcome = (typeof outcomes)[number]

export const outcomeLabels: Readonly<Record<Outcome, string>> = {
  met: 'Met',
  partially_met: 'Partially met',
  not_met: 'Not met',
  not_applicable: 'Not applicable',
  not_evidenced: 'Not evidenced',
}

/** Why a sampled case cannot be audited: reported by its auditor, or given when an admin replaces it. */
export const unusableReasons = ['file_missing', 'out_of_scope', 'duplicate', 'other'] as const
export type UnusableReason = (typeof unusableReasons)[number]

export const unusableReasonLabels: Readonly<Record<UnusableReason, string>> = {
  file_missing: 'Case file missing',
  out_of_scope: 'Out of scope',
  duplicate: 'Duplicate of another case',
  other: 'Other',
}

/** Longest reason anyone may give for a decision (unusable case, replacement, override). */
export const REASON_MAX = 500

/** Where the Victims' Advocate saw the service they record an observation of. */
export const observationSettings = [
  'court',
  'police_station',
  'victim_service',
  'sarc',
  'restorative_justice',
  'other',
] as const
export type ObservationSetting = (typeof observationSettings)[number]

export const observationSettingLabels: Readonly<Record<ObservationSetting, string>> = {
  court: 'Court',
  police_station: 'Police station',
  victim_service: 'Victim service',
  sarc: 'Sexual assault referral centre (SARC)',
  restorative_justice: 'Restorative justice',
  other: 'Other',
}

/** How the advocate came to the observation. */
export const observationKinds = ['service_delivery', 'dip_sample', 'victim_meeting', 'panel_feedback'] as const
export type ObservationKind = (typeof observationKinds)[number]

export const observationKindLabels: Readonly<Record<ObservationKind, string>> = {
  service_delivery: 'Observation of service delivery',
  dip_sample: "Dip sample of a commissioned service's case",
  victim_meeting: 'Meeting with a victim',
  panel_feedback: "Feedback from a victims' panel",
}

/** The advocate's overall judgement, in the inspectorates' words. */
export const observationRatings = ['good', 'requires_improvement', 'inadequate'] as const
export type ObservationRating = (typeof observationRatings)[number]

export const observationRatingLabels: Readonly<Record<ObservationRating, string>> = {
  good: 'Good',
  requires_improvement: 'Requires improvement',
  inadequate: 'Inadequate',
}
