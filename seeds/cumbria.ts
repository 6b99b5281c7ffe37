import type { AgencyType, Role } from '../schema/index.ts'

// The Cumbria partnership's agencies (see shared reference: cumbria.md).
export const cumbriaAgencies: { name: string; shortName: string; type: AgencyType }[] = [
  { name: 'Cumbria Constabulary', shortName: 'Constabulary', type: 'police' },
  { name: 'Cumbria Witness Care Unit', shortName: 'Witness Care', type: 'witness_care' },
  { name: 'Crown Prosecution Service North West', shortName: 'CPS', type: 'cps' },
  { name: 'HM Courts & Tribunals Service (Cumbria courts)', shortName: 'HMCTS', type: 'courts' },
  { name: 'National Probation Service (Cumbria)', shortName: 'Probation', type: 'probation' },
  { name: 'Cumbria Youth Offending Service', shortName: 'YOS', type: 'youth_justice' },
  { name: 'Victim Support (Cumbria integrated victim service)', shortName: 'Victim Support', type: 'victim_services' },
  { name: 'Bridgeway sexual assault referral centre', shortName: 'Bridgeway', type: 'other' },
  { name: 'Remedi restorative justice', shortName: 'Remedi', type: 'other' },
]

export const DEMO_PASSWORD = 'demo-password'

export const demoUsers: { email: string; displayName: string; role: Role; agency: string | null }[] = [
  { email: 'admin@qaf.example', displayName: 'Alex Admin', role: 'admin', agency: null },
  {
    email: 'auditor@qaf.example',
    displayName: 'Ash Auditor',
    role: 'auditor',
    agency: 'Victim Support (Cumbria integrated victim service)',
  },
  {
    email: 'auditor2@qaf.example',
    displayName: 'Sam Second-Auditor',
    role: 'auditor',
    agency: 'HM Courts & Tribunals Service (Cumbria courts)',
  },
  { email: 'moderator@qaf.example', displayName: 'Morgan Moderator', role: 'moderator', agency: null },
  { email: 'police@qaf.example', displayName: 'Pat Police-Lead', role: 'agency', agency: 'Cumbria Constabulary' },
  {
    email: 'cps@qaf.example',
    displayName: 'Chris CPS-Lead',
    role: 'agency',
    agency: 'Crown Prosecution Service North West',
  },
  { email: 'advocate@qaf.example', displayName: 'Val Advocate', role: 'advocate', agency: null },
  { email: 'viewer@qaf.example', displayName: 'Vic Viewer', role: 'viewer', agency: null },
]
