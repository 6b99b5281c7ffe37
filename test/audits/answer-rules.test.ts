import t from 'tap'
import { checkAnswer, daysLateFor, describeTimeliness, isBlankAnswer, sameAnswer } from '../../audits/answer-rules.ts'
import type { AnswerContext, AnswerInput, AnswerValue } from '../../audits/answer-rules.ts'

// R6.2 for an adult victim: arrest on Wednesday 8 March 2023, due in 5 working days.
const ctx: AnswerContext = {
  triggerDate: '2023-03-08',
  triggerText: 'suspect arrested',
  dueDate: '2023-03-15',
  today: '2024-01-10',
  mode: 'save',
}
const blank = { day: '', month: '', year: '' }

function input(a: Partial<AnswerInput>): AnswerInput {
  return { outcome: '', evidence: blank, note: '', override: '', overrideReason: '', ...a }
}

function errorsOf(a: Partial<AnswerInput>, c: Partial<AnswerContext> = {}) {
  const r = checkAnswer(input(a), { ...ctx, ...c })
  return r.ok ? {} : r.errors
}

t.test('a met answer on time is stored with 0 days late and the due date', async (t) => {
  const r = checkAnswer(
    input({ outcome: 'met', evidence: { day: '15', month: '3', year: '2023' }, note: '  Letter on file  ' }),
    ctx,
  )
  t.same(r, {
    ok: true,
    answer: {
      outcome: 'met',
      evidenceDate: '2023-03-15',
      note: 'Letter on file',
      timelinessOverride: null,
      overrideReason: null,
      dueDate: '2023-03-15',
      daysLate: 0,
    },
  })
})

t.test('late evidence counts working days late; no date or no limit stores null', async (t) => {
  const late = checkAnswer(input({ outcome: 'met', evidence: { day: '20', month: '3', year: '2023' } }), ctx)
  t.equal(late.ok && late.answer.daysLate, 3, 'Wed 15 to Mon 20 March: Thu, Fri, Mon')
  const undated = checkAnswer(input({ outcome: 'not_met' }), ctx)
  t.equal(undated.ok && undated.answer.daysLate, null)
  const noLimit = checkAnswer(input({ outcome: 'met', evidence: { day: '9', month: '3', year: '2023' } }), {
    ...ctx,
    dueDate: null,
  })
  t.equal(noLimit.ok && noLimit.answer.daysLate, null)
  t.equal(daysLateFor('2023-03-17', '2023-03-18'), 1, 'Saturday after a Friday deadline is still late')
})

t.test('the outcome must be one of the five', async (t) => {
  t.same(errorsOf({ outcome: 'sort_of' }), { outcome: 'Select whether the obligation was met' })
})

t.test('partly met and not applicable need a note', async (t) => {
  t.match(errorsOf({ outcome: 'partially_met' }).note, /what was done and what was missing/)
  t.match(errorsOf({ outcome: 'not_applicable', note: '   ' }).note, /why this did not apply/)
  t.same(errorsOf({ outcome: 'partially_met', note: 'Told by phone, no letter' }), {})
  t.same(errorsOf({ outcome: 'not_met' }), {}, 'other outcomes do not')
})

t.test('notes and reasons have a length limit', async (t) => {
  t.match(errorsOf({ outcome: 'met', note: 'x'.repeat(2001) }).note, /2,000 characters or fewer/)
  t.match(errorsOf({ override: 'late', overrideReason: 'x'.repeat(501) }).reason, /500 characters or fewer/)
})

t.test('the evidence date must be real, not before the trigger and not in the future', async (t) => {
  t.same(errorsOf({ evidence: { day: '31', month: '2', year: '2023' } }), {
    evidence: 'The date the file shows this was done must be a real date',
  })
  t.same(errorsOf({ evidence: { day: '7', month: '3', year: '2023' } }), {
    evidence:
      'The date the file shows this was done must be on or after the trigger date, 8 March 2023 (suspect arrested)',
  })
  t.same(errorsOf({ evidence: { day: '11', month: '1', year: '2024' } }), {
    evidence: 'The date the file shows this was done must be today or in the past',
  })
  t.same(errorsOf({ evidence: { day: '10', month: '1', year: '2024' } }), {}, 'today is fine')
  t.same(errorsOf({ evidence: { day: '8', month: '3', year: '2023' } }), {}, 'the trigger day itself is fine')
})

t.test('a dated record contradicts "not evidenced"', async (t) => {
  t.match(
    errorsOf({ outcome: 'not_evidenced', evidence: { day: '9', month: '3', year: '2023' } }).evidence,
    /other than not evidenced/,
  )
})

t.test('a half-typed date is an error when the page is saved, and "not yet" for autosave', async (t) => {
  t.same(errorsOf({ evidence: { day: '9', month: '', year: '' } }), {
    evidence: 'The date the file shows this was done must include a month and year',
  })
  const r = checkAnswer(input({ outcome: 'met', evidence: { day: '9', month: '3', year: '' } }), {
    ...ctx,
    mode: 'autosave',
  })
  t.same(r, { ok: false, pending: 'the date the file shows this was done is not finished', errors: {} })
  const worse = checkAnswer(input({ outcome: 'partially_met', evidence: { day: '9', month: '', year: '' } }), {
    ...ctx,
    mode: 'autosave',
  })
  t.same(worse.ok ? null : worse.pending, null, 'a real error wins over "not yet"')
})

t.test('changing the timeliness judgement needs a reason and a time limit', async (t) => {
  t.same(errorsOf({ override: 'on_time' }), { reason: 'Enter why you changed the timeliness judgement' })
  t.same(errorsOf({ override: 'whenever', overrideReason: 'x' }), {
    override: 'Select how timely the file shows this was',
  })
  t.match(errorsOf({ override: 'late', overrideReason: 'x' }, { dueDate: null }).override, /no time limit/)
  const r = checkAnswer(
    input({ outcome: 'met', override: 'on_time', overrideReason: ' Contact log shows a call on the 15th ' }),
    ctx,
  )
  t.same(r.ok && [r.answer.timelinessOverride, r.answer.overrideReason], [
    'on_time',
    'Contact log shows a call on the 15th',
  ])
  const ignored = checkAnswer(input({ outcome: 'met', overrideReason: 'left over' }), ctx)
  t.same(
    ignored.ok && [ignored.answer.timelinessOverride, ignored.answer.overrideReason],
    [null, null],
    'a reason without a change is not kept',
  )
})

t.test('several problems are reported together', async (t) => {
  t.same(
    Object.keys(
      errorsOf({ outcome: 'partially_met', evidence: { day: '1', month: '1', year: '2020' }, override: 'late' }),
    ).sort(),
    ['evidence', 'note', 'reason'],
  )
})

t.test('saving what is stored is no change; a blank answer over nothing is no change', async (t) => {
  const a: AnswerValue = {
    outcome: 'met',
    evidenceDate: '2023-03-10',
    note: null,
    timelinessOverride: null,
    overrideReason: null,
    dueDate: '2023-03-15',
    daysLate: 0,
  }
  t.ok(sameAnswer(a, { ...a }))
  t.notOk(sameAnswer(a, { ...a, outcome: 'not_met' }))
  t.notOk(sameAnswer(a, { ...a, dueDate: '2023-03-09', daysLate: 1 }), 'a new due date is a change')
  const none: AnswerValue = {
    outcome: null,
    evidenceDate: null,
    note: null,
    timelinessOverride: null,
    overrideReason: null,
    dueDate: '2023-03-15',
    daysLate: null,
  }
  t.ok(isBlankAnswer(none))
  t.ok(sameAnswer(null, none))
  t.notOk(sameAnswer(null, a))
})

t.test('the timeliness shown: worked out, or changed by the auditor with the worked-out one beside it', async (t) => {
  t.same(describeTimeliness(null, '2023-03-10', null), { kind: 'none' })
  t.same(describeTimeliness('2023-03-15', '2023-03-10', null), {
    kind: 'judged',
    status: 'on_time',
    text: 'On time',
    automatic: null,
  })
  t.same(describeTimeliness('2023-03-15', '2023-03-16', null), {
    kind: 'judged',
    status: 'late',
    text: 'Late by 1 working day',
    automatic: null,
  })
  t.same(describeTimeliness('2023-03-15', '2023-03-20', null), {
    kind: 'judged',
    status: 'late',
    text: 'Late by 3 working days',
    automatic: null,
  })
  t.same(describeTimeliness('2023-03-15', null, null), {
    kind: 'judged',
    status: 'not_evidenced',
    text: 'Not evidenced',
    automatic: null,
  })
  t.same(describeTimeliness('2023-03-15', '2023-03-20', 'on_time'), {
    kind: 'judged',
    status: 'on_time',
    text: 'On time (changed by the auditor)',
    automatic: 'Late by 3 working days',
  })
  t.same(describeTimeliness('2023-03-15', '2023-03-10', 'late'), {
    kind: 'judged',
    status: 'late',
    text: 'Late (changed by the auditor)',
    automatic: 'On time',
  })
  t.same(describeTimeliness('2023-03-15', null, 'late').kind, 'judged')
})
