// The rules of an audit round's life: which way it may move, what must be true before it moves,
// and which changes each stage still allows. Pure: the caller gathers the facts from the database.

import { roundStages, type RoundStage } from './vocabulary.ts'

export { roundStages, type RoundStage } from './vocabulary.ts'

/** Each stage's one successor. Rounds never go back: a published figure must not be reopened. */
const successor: Readonly<Record<RoundStage, RoundStage | null>> = {
  draft: 'sampling',
  sampling: 'fieldwork',
  fieldwork: 'moderation',
  moderation: 'published',
  published: 'archived',
  archived: null,
}

export function isRoundStage(value: unknown): value is RoundStage {
  return typeof value === 'string' && (roundStages as readonly string[]).includes(value)
}

export function nextStage(stage: RoundStage): RoundStage | null {
  return successor[stage]
}

/** Published and archived rounds are the record of what was found: nothing in them changes. */
export function isReadOnly(stage: RoundStage): boolean {
  return stage === 'published' || stage === 'archived'
}

/** What is known about a round when deciding whether it may move on. */
export interface RoundFacts {
  /** Cases in the imported population. */
  populationCases: number
  sampleDrawn: boolean
  /** Sampled cases still in the sample (not replaced). */
  activeCases: number
  /** Active cases with no auditor, or with an auditor who can no longer work (disabled). */
  unallocatedCases: number
}

/**
 * Why the round may not move from `from` to `to`; an empty list means it may. Only the next stage
 * is ever allowed, and fieldwork needs a drawn sample that is fully shared out, since auditors
 * start work the moment it begins.
 */
export function transitionProblems(from: RoundStage, to: RoundStage, facts: RoundFacts): string[] {
  if (successor[from] !== to) return [`A round cannot move from ${stageName(from)} to ${stageName(to)}`]
  const problems: string[] = []
  if (to === 'sampling' && facts.populationCases === 0) {
    problems.push('Import the population before sampling starts: there are no cases to sample from')
  }
  if (to === 'fieldwork') {
    if (!facts.sampleDrawn || facts.activeCases === 0) {
      problems.push('Draw the sample before fieldwork starts')
    } else if (facts.unallocatedCases > 0) {
      problems.push(
        `Allocate every sampled case to an auditor before fieldwork starts: ${facts.unallocatedCases} ${facts.unallocatedCases === 1 ? 'case is' : 'cases are'} not allocated`,
      )
    }
  }
  return problems
}

/** The changes an admin makes to a round, each allowed only at some stages. */
export type RoundChange =
  | 'editDetails'
  | 'editOverrides'
  | 'drawSample'
  | 'replaceCase'
  | 'extendSample'
  | 'allocateCases'

const allowedStages: Readonly<Record<RoundChange, readonly RoundStage[]>> = {
  // Scope and period decide the population and who owns each case, so they freeze once sampling starts.
  editDetails: ['draft'],
  editOverrides: ['draft', 'sampling'],
  // A redraw after fieldwork starts would silently swap cases auditors are already reviewing.
  drawSample: ['sampling'],
  replaceCase: ['sampling', 'fieldwork'],
  extendSample: ['sampling', 'fieldwork'],
  allocateCases: ['sampling', 'fieldwork'],
}

const changeNames: Readonly<Record<RoundChange, string>> = {
  editDetails: 'the round’s details',
  editOverrides: 'time limit overrides',
  drawSample: 'the sample draw',
  replaceCase: 'sampled cases',
  extendSample: 'the sample size',
  allocateCases: 'who reviews each case',
}

export function changeAllowed(change: RoundChange, stage: RoundStage): boolean {
  return allowedStages[change].includes(stage)
}

/** The message shown when a change is refused at this stage, or null when it is allowed. */
export function changeRefusal(change: RoundChange, stage: RoundStage): string | null {
  if (changeAllowed(change, stage)) return null
  if (isReadOnly(stage)) return `This round is ${stageName(stage).toLowerCase()}, so it cannot be changed`
  const when = allowedStages[change].map((s) => stageName(s).toLowerCase()).join(' or ')
  return `You can only change ${changeNames[change]} while the round is in ${when}. This round is in ${stageName(stage).toLowerCase()}`
}

export function stageName(stage: RoundStage): string {
  return stage.charAt(0).toUpperCase() + stage.slice(1)
}
