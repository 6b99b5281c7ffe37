import t from 'tap'
import {
  caseProgress,
  caseStatuses,
  completionBlocker,
  describeUnusable,
  isEditableStatus,
  isOpenRound,
  statusAfterEdit,
} from '../../audits/case-progress.ts'

t.test('only fieldwork and moderation rounds are open for review', async (t) => {
  t.same(['draft', 'sampling', 'fieldwork', 'moderation', 'published', 'archived'].filter(isOpenRound), [
    'fieldwork',
    'moderation',
  ])
})

t.test('editing starts a case, takes a returned one back into progress, and refuses closed ones', async (t) => {
  t.equal(statusAfterEdit('not_started'), 'in_progress')
  t.equal(statusAfterEdit('in_progress'), 'in_progress')
  t.equal(statusAfterEdit('returned'), 'in_progress')
  for (const closed of ['complete', 'unusable', 'replaced'] as const) {
    t.notOk(isEditableStatus(closed), `${closed} is not editable`)
    t.throws(() => statusAfterEdit(closed), RangeError)
  }
  t.same(caseStatuses.filter(isEditableStatus), ['not_started', 'in_progress', 'returned'])
})

t.test('progress counts applicable obligations with an outcome, and ignores other answers', async (t) => {
  const p = caseProgress(['a', 'b', 'c'], new Set(['b', 'zz']))
  t.same(p, { applicable: 3, answered: 1, missing: ['a', 'c'] })
  t.same(caseProgress([], new Set()), { applicable: 0, answered: 0, missing: [] })
})

t.test('a case can be completed only when every obligation has an outcome', async (t) => {
  t.equal(completionBlocker('in_progress', caseProgress(['a'], new Set(['a']))), null)
  t.equal(completionBlocker('returned', caseProgress(['a'], new Set(['a']))), null)
  t.match(completionBlocker('in_progress', caseProgress(['a', 'b'], new Set(['a']))), /1 has none yet/)
  t.match(completionBlocker('in_progress', caseProgress(['a', 'b'], new Set())), /2 have none yet/)
  t.match(completionBlocker('in_progress', caseProgress([], new Set())), /No obligations apply/)
  t.match(completionBlocker('complete', caseProgress(['a'], new Set(['a']))), /is complete/)
})

t.test('the unusable reason is kept in words, with any details', async (t) => {
  t.equal(describeUnusable('file_missing', '  '), 'Case file missing')
  t.equal(describeUnusable('other', ' Sealed by court order '), 'Other: Sealed by court order')
})
