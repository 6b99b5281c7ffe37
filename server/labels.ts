// Labels for the templates: the domain's words come from audits/vocabulary.ts, declared once there.
export {
  agencyTypeLabels,
  caseStatusLabels,
  observationKindLabels,
  observationRatingLabels,
  observationSettingLabels,
  outcomeLabels,
  roleLabels,
  roundStageLabels as roundStatusLabels,
  unusableReasonLabels,
} from '../audits/vocabulary.ts'
