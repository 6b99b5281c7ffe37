// How the figures were made, in plain words: shown on the report, the dashboard and in the
// spreadsheet's Method sheet, built from the round's actual design so it never drifts from it.
import { formatDate } from '../../view-helpers.ts'
import { SMALL_SAMPLE } from '../../../audits/scoring.ts'
import { formatMargin } from '../../../audits/sample-plan.ts'
import { stratumLabel } from '../rounds/labels.ts'
import type { RoundModel } from '../../services/scores/round-model.ts'
import type { TimeLimitOverride } from '../../services/scores/rounds-queries.ts'

export interface MethodSection {
  heading: string
  paragraphs: string[]
}

const stratifyLabels: Record<string, string> = {
  none: 'not stratified',
  district: 'stratified by district',
  offence_group: 'stratified by offence group',
  offenceGroup: 'stratified by offence group',
  agency: 'stratified by agency',
}

export function methodSections(model: RoundModel, overrides: readonly TimeLimitOverride[]): MethodSection[] {
  const { round, design, cases } = model
  const sections: MethodSection[] = []

  const sample: string[] = []
  if (design) {
    const strat = stratifyLabels[design.stratifyBy] ?? `stratified by ${design.stratifyBy}`
    sample.push(
      `The cases were a seeded random sample of the round's population, ` +
        `${strat}${design.stratifyBy === 'none' ? '' : ` with ${design.allocation} allocation`}, planned for a ` +
        `margin of error of ${formatMargin(design.marginOfError)} percentage points at ${design.confidence}% ` +
        `confidence. The draw was made on ${formatDate(design.drawnAt)}.`,
    )
    // Strata can be named after agencies, so agency users (who see no partnership block) get no list.
    if (design.weighted && model.partnership) {
      sample.push(
        `Strata and their populations: ${design.strata
          .map((s) => `${stratumLabel(design.stratifyBy, s.key)} (${s.population.toLocaleString('en-GB')} cases)`)
          .join(', ')}.`,
      )
    }
  } else {
    sample.push('No sample draw is recorded for this round, so the figures describe the audited cases only.')
  }
  sample.push(
    `${cases.counted.toLocaleString('en-GB')} sampled cases count (${cases.answered.toLocaleString('en-GB')} ` +
      `with answers, ${cases.complete.toLocaleString('en-GB')} complete). Cases replaced (${cases.replaced}) or ` +
      `found unusable (${cases.unusable}) are left out; their replacements count instead.`,
  )
  sections.push({ heading: 'The sample', paragraphs: sample })

  sections.push({
    heading: 'What is counted',
    paragraphs: [
      'Every answered obligation of a counted case is included, whether or not the auditor has finished the ' +
        'whole case: a figure for a round still in fieldwork can therefore still move. Obligations not yet ' +
        'answered are left out, as are answers not attributed to an agency.',
      'Strict compliance is the share of applicable obligations that were met: met ÷ (met + partially met + not ' +
        'met + not evidenced). Lenient compliance also counts partially met as met. "Not applicable" answers are ' +
        'outside the denominator; "not evidenced" counts as not met, because the file must show the duty was ' +
        'done. n is the denominator.',
      'Answers count towards the agency responsible for the entitlement in this round. The partnership-wide ' +
        "figure pools every agency's answers.",
    ],
  })

  sections.push({
    heading: 'Uncertainty',
    paragraphs: [
      'Each rate carries a 95% Wilson score interval, which stays sensible at 0% and 100% where the simpler ' +
        "normal interval collapses. The interval treats a figure's obligations as independent; answers within " +
        'one case tend to go together, so the true uncertainty is somewhat wider.',
      `Every figure resting on fewer than ${SMALL_SAMPLE} applicable obligations (or, for timeliness, fewer than ` +
        `${SMALL_SAMPLE} time-limited obligations) is marked "small sample", in every column where it appears: ` +
        `read them as indications only. Where there is nothing to count the figure reads "No applicable ` +
        `cases", never 0%.`,
    ],
  })

  if (design?.weighted) {
    sections.push({
      heading: 'Weighted for the sample design',
      paragraphs: [
        'Because strata were sampled at different rates, a pooled percentage over-represents the strata sampled ' +
          'more heavily. The weighted estimate corrects for this. Compliance is a share of obligations, not of ' +
          "cases, so each stratum's rate (met ÷ applicable obligations found in its audited cases) is weighted " +
          "by the estimated number of obligations in that stratum's population: its population of cases " +
          'times the obligations found per audited case. When every stratum is sampled at the same rate ' +
          'this equals the pooled figure.',
        'Its 95% interval is a Wilson score interval on the effective sample size (the Korn and Graubard ' +
          'approach): the variance comes from the stratified formula, with the obligations as the sample size ' +
          "and the share of the stratum's cases audited as the finite population correction, and is turned " +
          'into the number of independent obligations that would give that variance (never more than the ' +
          'obligations actually audited). Unlike the simpler normal interval, this does not shrink to a ' +
          'single point when every audited obligation was met, or none was: there the effective size is ' +
          'the number of obligations audited, as for the unweighted rate. It is still an approximation: it ' +
          'ignores the clustering of obligations within cases, so the interval is likely to be too narrow. ' +
          'Strata with no audited case yet are left out and the others re-weighted.',
      ],
    })
  }

  sections.push({
    heading: 'Moderation',
    paragraphs: [
      'A share of cases is second-marked by a moderator. Where a moderator has answered an obligation, the ' +
        "moderator's answer counts instead of the first auditor's: moderation resolves disagreements. Both " +
        'answers are kept in the case record.',
    ],
  })

  const timing = [
    'Timeliness covers obligations with a time limit and an evidence date (the date the duty was done). An ' +
      'obligation is on time when it was done within its limit in working days (England and Wales bank holidays ' +
      'excluded), or when the auditor recorded an override with a reason. The median and 90th percentile of ' +
      'working days late are taken among the late obligations only (linear interpolation between values, as ' +
      "in a spreadsheet's PERCENTILE.INC).",
  ]
  if (overrides.length > 0) {
    timing.push(
      `Local time limits agreed for this round: ${overrides
        .map(
          (o) =>
            `${o.itemId}${o.title ? ` ${o.title}` : ''}: ${o.standardDays ?? 'no'} working days (standard), ` +
            `${o.enhancedDays ?? 'no'} (enhanced), because ${o.reason}`,
        )
        .join('; ')}.`,
    )
  } else {
    timing.push("No local changes to the Code's time limits were agreed for this round.")
  }
  sections.push({ heading: 'Timeliness', paragraphs: timing })

  sections.push({
    heading: 'Red, amber and green',
    paragraphs: [
      `Bands are set on the strict rate: green at ${round.ragGreen}% or above, amber from ${round.ragAmber}% up ` +
        `to ${round.ragGreen}%, red below ${round.ragAmber}%. Each band is written out in words beside the colour.`,
      'The Ministry of Justice measures count as "yes" the obligations met (strict), out of all applicable ' +
        'obligations for the items that make up the measure.',
    ],
  })
  return sections
}
