// The publish gate's refusal in words: what moderation work is still outstanding.
import type { Outstanding } from './queries.ts'

const cases = (n: number) => `${n} ${n === 1 ? 'case' : 'cases'}`

export function publishProblems(o: Outstanding): string[] {
  const problems: string[] = []
  if (o.toMark.length > 0)
    problems.push(
      `Second-mark every case chosen for moderation: ${cases(o.toMark.length)} ` +
        `${o.toMark.length === 1 ? 'is' : 'are'} not second-marked yet`,
    )
  if (o.toResolve.length > 0)
    problems.push(
      `Resolve every disagreement: ${cases(o.toResolve.length)} ${o.toResolve.length === 1 ? 'has' : 'have'} ` +
        `disagreements not yet resolved`,
    )
  return problems
}
