import type { AgencyType, Role } from '../schema/index.ts'

export const roleLabels: Record<Role, string> = {
  admin: 'Administrator',
  auditor: 'Auditor',
  moderator: 'Moderator',
  agency: 'Agency lead',
  advocate: "Victims' Advocate",
  viewer: 'Viewer',
}

export const agencyTypeLabels: Record<AgencyType, string> = {
  police: 'Police',
  witness_care: 'Witness care',
  cps: 'Crown Prosecution Service',
  courts: 'Courts',
  probation: 'Probation',
  youth_justice: 'Youth justice',
  victim_services: 'Victim services',
  other: 'Other',
}

export const roundStatusLabels: Record<string, string> = {
  draft: 'Draft',
  sampling: 'Sampling',
  fieldwork: 'Fieldwork',
  moderation: 'Moderation',
  published: 'Published',
  archived: 'Archived',
}
