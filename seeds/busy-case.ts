import { caseFactsSchema, type CaseFacts } from '../audits/case-facts.ts'

// A violent offence taken to trial, with enough hearings and bail decisions for about 40
// obligations: the size of a real case file with court stages.
export function busyCaseFacts(): CaseFacts {
  const events = [
    ['crime_recorded', '2023-03-06'],
    ['statement_taken', '2023-03-06'],
    ['property_seized', '2023-03-06'],
    ['language_need', '2023-03-06'],
    ['suspect_arrested', '2023-03-08'],
    ['suspect_interviewed', '2023-03-08'],
    ['bailed', '2023-03-09'],
    ['bail_changed', '2023-03-30'],
    ['bail_changed', '2023-04-06'],
    ['bail_changed', '2023-04-13'],
    ['charged', '2023-04-20'],
    ['hearing_set', '2023-04-21'],
    ['hearing_held', '2023-05-10'],
    ['court_bail_decision', '2023-05-10'],
    ['not_guilty_plea', '2023-05-10'],
    ['witness_required', '2023-05-11'],
    ['hearing_set', '2023-05-11'],
    ['hearing_held', '2023-07-03'],
    ['court_bail_decision', '2023-07-03'],
    ['hearing_set', '2023-07-04'],
    ['hearing_held', '2023-08-01'],
    ['hearing_set', '2023-08-02'],
    ['hearing_held', '2023-09-04'],
    ['verdict', '2023-09-06'],
    ['hearing_set', '2023-09-07'],
    ['hearing_held', '2023-10-02'],
    ['sentence', '2023-10-02'],
    ['vcs_referral', '2023-10-16'],
    ['complaint_received', '2023-11-01'],
  ].map(([type, date]) => ({ type, date }))
  return caseFactsSchema.parse({
    reportedOn: '2023-03-06',
    offenceGroup: 'violence',
    under18: false,
    vulnerable: false,
    intimidated: false,
    persistentlyTargeted: false,
    bereaved: false,
    domesticAbuse: false,
    hateCrime: false,
    sentenceMonths: 30,
    specifiedOffence: true,
    events,
  })
}
