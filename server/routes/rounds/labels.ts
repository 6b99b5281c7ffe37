// Words for the codes rounds pages show: strata, designs, case statuses and tag colours.
import { offenceGroups } from '../../../audits/case-facts.ts'
import { NO_AGENCY_STRATUM, WHOLE_POPULATION, type Stratification } from '../../../audits/sample-plan.ts'
import type { AllocationMethod } from '../../../audits/sample-allocation.ts'
import { caseStatusLabels } from '../../../audits/case-progress.ts'
import type { CaseStatus, RoundStatus } from '../../../schema/index.ts'
import { districts } from '../../population/columns.ts'

export const stratificationLabels: Record<Stratification, string> = {
  district: 'District',
  offence_group: 'Offence group',
  agency: 'Agency holding the case file (each commissioned service, for a dip sample)',
  none: 'None: one simple random sample',
}

export const allocationLabels: Record<AllocationMethod, string> = {
  proportional: 'Proportional: each stratum in proportion to its size',
  neyman: 'Neyman: more cases where results are expected to vary most',
  equal: 'Equal: the same number from each stratum',
}

export const allocationShortLabels: Record<AllocationMethod, string> = {
  proportional: 'Proportional',
  neyman: 'Neyman',
  equal: 'Equal',
}

/** A stratum key as people say it; an unknown key is shown as it was imported. */
export function stratumLabel(stratifyBy: string, key: string): string {
  if (key === WHOLE_POPULATION && stratifyBy === 'none') return 'All cases'
  if (stratifyBy === 'district') return (districts as Record<string, string>)[key] ?? key
  if (stratifyBy === 'offence_group') return (offenceGroups as Record<string, string>)[key] ?? key
  if (stratifyBy === 'agency' && key === NO_AGENCY_STRATUM) return 'No agency named'
  return key
}

const caseStatusTags: Record<CaseStatus, string> = {
  not_started: 'govuk-tag--grey',
  in_progress: 'govuk-tag--blue',
  complete: 'govuk-tag--green',
  returned: 'govuk-tag--orange',
  unusable: 'govuk-tag--red',
  replaced: 'govuk-tag--purple',
}

const roundStatusTags: Record<RoundStatus, string> = {
  draft: 'govuk-tag--grey',
  sampling: 'govuk-tag--light-blue',
  fieldwork: 'govuk-tag--blue',
  moderation: 'govuk-tag--purple',
  published: 'govuk-tag--green',
  archived: 'govuk-tag--grey',
}

/** Everything the rounds templates need to name codes, passed to each render. */
export const roundLabels = {
  stratification: stratificationLabels,
  allocation: allocationLabels,
  allocationShort: allocationShortLabels,
  caseStatus: caseStatusLabels,
  caseStatusTag: caseStatusTags,
  roundStatusTag: roundStatusTags,
  stratum: stratumLabel,
}
