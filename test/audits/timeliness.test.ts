import t from 'tap'
import fc from 'fast-check'
import { addWorkingDays } from '../../audits/calendar.ts'
import { judgeTimeliness } from '../../audits/timeliness.ts'

t.test('judgeTimeliness', async (t) => {
  t.same(judgeTimeliness(null, '2025-03-03'), { status: 'no_time_limit' })
  t.same(judgeTimeliness(null, null), { status: 'no_time_limit' })
  t.same(judgeTimeliness('2025-03-10', null), { status: 'not_evidenced' })
  t.same(judgeTimeliness('2025-03-10', '2025-03-10'), { status: 'on_time' }, 'on the due date')
  t.same(judgeTimeliness('2025-03-10', '2025-03-03'), { status: 'on_time' }, 'early')
  t.same(judgeTimeliness('2025-03-10', '2025-03-11'), { status: 'late', workingDaysLate: 1 })
  t.same(judgeTimeliness('2025-03-10', '2025-03-17'), { status: 'late', workingDaysLate: 5 })
  // Due Thursday 17 April 2025; done Tuesday 22nd after the Easter holidays: one working day late.
  t.same(judgeTimeliness('2025-04-17', '2025-04-22'), { status: 'late', workingDaysLate: 1 })
  t.same(
    judgeTimeliness('2025-03-07', '2025-03-08'),
    { status: 'late', workingDaysLate: 1 },
    'a Saturday after a Friday deadline',
  )
  t.same(judgeTimeliness('2025-03-07', '2025-03-10'), { status: 'late', workingDaysLate: 1 }, 'the Monday after')
  t.throws(() => judgeTimeliness('2025-02-30', '2025-03-01'), { name: 'RangeError', message: /2025-02-30/ })
})

t.test('properties', async () => {
  const day = fc
    .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))
  fc.assert(
    fc.property(day, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 60 }), (trigger, limit, taken) => {
      const due = addWorkingDays(trigger, limit)
      const done = addWorkingDays(trigger, taken)
      const verdict = judgeTimeliness(due, done)
      return taken <= limit
        ? verdict.status === 'on_time'
        : verdict.status === 'late' && verdict.workingDaysLate === taken - limit
    }),
  )
})
