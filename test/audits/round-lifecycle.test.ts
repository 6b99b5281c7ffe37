import t from 'tap'
import {
  changeAllowed,
  changeRefusal,
  isReadOnly,
  isRoundStage,
  nextStage,
  roundStages,
  stageName,
  transitionProblems,
  type RoundFacts,
} from '../../audits/round-lifecycle.ts'

const ready: RoundFacts = { populationCases: 100, sampleDrawn: true, activeCases: 20, unallocatedCases: 0 }

t.test('rounds move one stage forward at a time, and never back', async (t) => {
  t.same(
    roundStages.map((s) => nextStage(s)),
    ['sampling', 'fieldwork', 'moderation', 'published', 'archived', null],
  )
  for (const from of roundStages) {
    for (const to of roundStages) {
      const allowed = transitionProblems(from, to, ready).length === 0
      t.equal(allowed, nextStage(from) === to, `${from} → ${to}`)
    }
  }
  t.match(transitionProblems('fieldwork', 'sampling', ready)[0], /cannot move from Fieldwork to Sampling/)
})

t.test('sampling needs a population; fieldwork needs a drawn, fully allocated sample', async (t) => {
  t.match(transitionProblems('draft', 'sampling', { ...ready, populationCases: 0 }), [/Import the population/])
  t.match(transitionProblems('sampling', 'fieldwork', { ...ready, sampleDrawn: false, activeCases: 0 }), [
    /Draw the sample/,
  ])
  t.match(transitionProblems('sampling', 'fieldwork', { ...ready, unallocatedCases: 1 }), [/1 case is not allocated/])
  t.match(transitionProblems('sampling', 'fieldwork', { ...ready, unallocatedCases: 3 }), [/3 cases are not allocated/])
  t.same(
    transitionProblems('fieldwork', 'moderation', { ...ready, unallocatedCases: 3 }),
    [],
    'later steps do not look at allocation',
  )
})

t.test('published and archived rounds are read-only; each change has its stages', async (t) => {
  t.same(roundStages.filter(isReadOnly), ['published', 'archived'])
  t.same(
    roundStages.filter((s) => changeAllowed('editDetails', s)),
    ['draft'],
  )
  t.same(
    roundStages.filter((s) => changeAllowed('editOverrides', s)),
    ['draft', 'sampling'],
  )
  t.same(
    roundStages.filter((s) => changeAllowed('drawSample', s)),
    ['sampling'],
  )
  for (const c of ['replaceCase', 'extendSample', 'allocateCases'] as const)
    t.same(
      roundStages.filter((s) => changeAllowed(c, s)),
      ['sampling', 'fieldwork'],
      c,
    )
  t.equal(changeRefusal('drawSample', 'sampling'), null)
  t.equal(
    changeRefusal('drawSample', 'fieldwork'),
    'You can only change the sample draw while the round is in sampling. This round is in fieldwork',
  )
  t.equal(changeRefusal('editDetails', 'published'), 'This round is published, so it cannot be changed')
  t.equal(changeRefusal('allocateCases', 'archived'), 'This round is archived, so it cannot be changed')
})

t.test('stage names from requests are checked', async (t) => {
  t.ok(isRoundStage('fieldwork'))
  for (const bad of ['Fieldwork', 'closed', '', null, 3, undefined]) t.notOk(isRoundStage(bad), String(bad))
  t.equal(stageName('moderation'), 'Moderation')
})
