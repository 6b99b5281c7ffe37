import t from 'tap'
import fc from 'fast-check'
import {
  addWorkingDays,
  bankHolidays,
  compareIso,
  formatDate,
  isIsoDate,
  isWorkingDay,
  todayIso,
  workingDaysBetween,
} from '../../audits/calendar.ts'

// Written out by hand from the published England and Wales lists, not generated from the rules.
const published: Record<number, string[]> = {
  2000: ['01-03', '04-21', '04-24', '05-01', '05-29', '08-28', '12-25', '12-26'],
  2002: ['01-01', '03-29', '04-01', '05-06', '06-03', '06-04', '08-26', '12-25', '12-26'],
  2011: ['01-03', '04-22', '04-25', '04-29', '05-02', '05-30', '08-29', '12-26', '12-27'],
  2012: ['01-02', '04-06', '04-09', '05-07', '06-04', '06-05', '08-27', '12-25', '12-26'],
  2015: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2016: ['01-01', '03-25', '03-28', '05-02', '05-30', '08-29', '12-26', '12-27'],
  2017: ['01-02', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26'],
  2018: ['01-01', '03-30', '04-02', '05-07', '05-28', '08-27', '12-25', '12-26'],
  2019: ['01-01', '04-19', '04-22', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2020: ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28'],
  2021: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28'],
  2022: ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27'],
  2023: ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26'],
  2024: ['01-01', '03-29', '04-01', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
  2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28'],
}

t.test('bank holidays match the published lists', async (t) => {
  for (const [year, days] of Object.entries(published)) {
    t.same(
      bankHolidays(Number(year)),
      days.map((d) => `${year}-${d}`),
      `${year}`,
    )
  }
})

t.test('each rule, with dated examples', async (t) => {
  const has = (date: string) => bankHolidays(Number(date.slice(0, 4))).includes(date)
  t.test("New Year's Day and its substitutes", async (t) => {
    t.ok(has('2019-01-01'), 'on a Tuesday')
    t.ok(has('2022-01-03') && !has('2022-01-01'), 'Saturday moves to Monday 3rd')
    t.ok(has('2017-01-02') && !has('2017-01-01'), 'Sunday moves to Monday 2nd')
    t.ok(has('2023-01-02'), '2023 Sunday, Monday 2nd')
  })
  t.test('Good Friday and Easter Monday', async (t) => {
    for (const [friday, monday] of [
      ['2019-04-19', '2019-04-22'],
      ['2024-03-29', '2024-04-01'],
      ['2025-04-18', '2025-04-21'],
      ['2026-04-03', '2026-04-06'],
      ['2027-03-26', '2027-03-29'],
      ['2016-03-25', '2016-03-28'],
    ] as const) {
      t.ok(has(friday), `Good Friday ${friday}`)
      t.ok(has(monday), `Easter Monday ${monday}`)
    }
  })
  t.test('May and August Mondays', async (t) => {
    t.ok(has('2025-05-05'), 'first Monday of May')
    t.ok(has('2025-05-26'), 'last Monday of May')
    t.ok(has('2025-08-25'), 'last Monday of August')
    t.ok(has('2016-08-29'), 'last Monday of August 2016')
    t.ok(has('2021-05-31'), 'last Monday of May on the 31st')
  })
  t.test('Christmas and Boxing Day spans', async (t) => {
    t.ok(has('2021-12-27') && has('2021-12-28'), '2021: Saturday and Sunday move to Monday and Tuesday')
    t.notOk(has('2021-12-25') || has('2021-12-26'), '2021: the weekend itself is not listed')
    t.ok(has('2022-12-26') && has('2022-12-27'), '2022: Christmas on Sunday, substitute on Tuesday')
    t.ok(has('2016-12-26') && has('2016-12-27'), '2016: Christmas on Sunday, substitute on Tuesday')
    t.ok(has('2020-12-25') && has('2020-12-28'), '2020: Boxing Day on Saturday moves to Monday')
    t.ok(has('2015-12-28'), '2015: Boxing Day on Saturday moves to Monday')
    t.ok(has('2024-12-25') && has('2024-12-26'), '2024: both on weekdays')
    t.equal(addWorkingDays('2021-12-24', 1), '2021-12-29', 'Christmas 2021 span skips four days')
    t.equal(addWorkingDays('2022-12-23', 1), '2022-12-28', 'Christmas 2022 span')
    t.equal(addWorkingDays('2021-12-31', 1), '2022-01-04', 'New Year 2022 span (1 January on Saturday)')
  })
  t.test('one-off changes', async (t) => {
    t.ok(has('2020-05-08') && !has('2020-05-04'), '2020 VE Day moved the early May holiday')
    t.ok(has('2022-06-02') && has('2022-06-03') && !has('2022-05-30'), '2022 Platinum Jubilee')
    t.ok(has('2022-09-19'), '2022 state funeral')
    t.ok(has('2023-05-01') && has('2023-05-08'), '2023 coronation added a day')
    t.ok(has('2002-06-03') && has('2002-06-04') && !has('2002-05-27'), '2002 Golden Jubilee')
    t.ok(has('2011-04-29'), '2011 royal wedding')
    t.ok(has('2012-06-04') && has('2012-06-05') && !has('2012-05-28'), '2012 Diamond Jubilee')
    t.ok(isWorkingDay('2020-05-04'), 'the displaced day is a working day again')
  })
  t.test('leap days', async (t) => {
    t.ok(isWorkingDay('2016-02-29'), '2016-02-29 was a Monday')
    t.ok(isWorkingDay('2024-02-29'), '2024-02-29 was a Thursday')
    t.equal(addWorkingDays('2024-02-28', 1), '2024-02-29')
    t.equal(addWorkingDays('2023-02-28', 1), '2023-03-01')
    t.equal(workingDaysBetween('2024-02-26', '2024-03-04'), 5)
  })
})

t.test('isWorkingDay', async (t) => {
  t.equal(isWorkingDay('2025-03-03'), true, 'Monday')
  t.equal(isWorkingDay('2025-03-01'), false, 'Saturday')
  t.equal(isWorkingDay('2025-03-02'), false, 'Sunday')
  t.equal(isWorkingDay('2025-12-25'), false, 'Christmas Day')
})

t.test('addWorkingDays', async (t) => {
  t.equal(addWorkingDays('2025-03-03', 0), '2025-03-03', 'zero days leaves the date alone')
  t.equal(addWorkingDays('2025-03-01', 0), '2025-03-01', 'even on a weekend')
  t.equal(addWorkingDays('2025-03-03', 1), '2025-03-04')
  t.equal(addWorkingDays('2025-03-07', 1), '2025-03-10', 'Friday to Monday')
  t.equal(addWorkingDays('2025-03-08', 1), '2025-03-10', 'from a Saturday')
  t.equal(addWorkingDays('2025-03-03', 5), '2025-03-10', 'a week')
  // Thursday 17 April 2025 + 5: Good Friday and Easter Monday are skipped: 22, 23, 24, 25, 28.
  t.equal(addWorkingDays('2025-04-17', 5), '2025-04-28', 'across Easter')
  t.equal(addWorkingDays('2025-04-18', 1), '2025-04-22', 'from Good Friday itself')
  t.equal(addWorkingDays('2025-03-03', 40), '2025-04-30', '40 working days across Easter')
  t.equal(addWorkingDays('2000-01-01', 1), '2000-01-04', 'first supported date')
  t.equal(
    addWorkingDays('2024-12-31', 262 * 10),
    addWorkingDays(addWorkingDays('2024-12-31', 262 * 5), 262 * 5),
    'long spans compose',
  )
})

t.test('workingDaysBetween', async (t) => {
  t.equal(workingDaysBetween('2025-03-03', '2025-03-03'), 0)
  t.equal(workingDaysBetween('2025-03-03', '2025-03-10'), 5)
  t.equal(workingDaysBetween('2025-03-10', '2025-03-03'), -5)
  t.equal(workingDaysBetween('2025-03-07', '2025-03-09'), 0, 'Friday to Sunday')
  t.equal(workingDaysBetween('2025-04-17', '2025-04-28'), 5, 'across Easter')
  t.equal(workingDaysBetween('2024-01-01', '2025-01-01'), 254, '2024: 262 weekdays less 8 holidays')
  t.equal(workingDaysBetween('2022-01-01', '2023-01-01'), 250, '2022: 260 weekdays less 10 holidays')
  t.equal(workingDaysBetween('2100-12-31', '2000-01-01'), -workingDaysBetween('2000-01-01', '2100-12-31'))
})

t.test('helpers', async (t) => {
  t.equal(formatDate('2025-03-03'), '3 March 2025')
  t.equal(formatDate('2024-12-25'), '25 December 2024')
  t.equal(formatDate('2021-01-09'), '9 January 2021')
  t.equal(isIsoDate('2024-02-29'), true)
  t.equal(isIsoDate('2023-02-29'), false)
  t.equal(isIsoDate('2023-2-28'), false)
  t.equal(isIsoDate(20230228), false)
  t.equal(isIsoDate('1999-12-31'), true, 'a real date, though outside the calendar range')
  t.equal(compareIso('2025-01-01', '2025-01-02'), -1)
  t.equal(compareIso('2025-01-02', '2025-01-01'), 1)
  t.equal(compareIso('2025-01-01', '2025-01-01'), 0)
  t.same(['2025-03-01', '2024-12-31', '2025-01-15'].sort(compareIso), ['2024-12-31', '2025-01-15', '2025-03-01'])
  t.equal(todayIso(new Date('2025-03-03T12:00:00Z')), '2025-03-03')
  t.equal(todayIso(new Date('2025-06-30T23:30:00Z')), '2025-07-01', 'British Summer Time is an hour ahead of UTC')
  t.equal(todayIso(new Date('2025-12-31T23:30:00Z')), '2025-12-31', 'GMT in winter')
  t.match(todayIso(), /^\d{4}-\d{2}-\d{2}$/)
})

t.test('bad input throws a RangeError naming the value', async (t) => {
  const cases: Array<[() => unknown, RegExp]> = [
    [() => isWorkingDay('2023-02-29'), /2023-02-29/],
    [() => isWorkingDay('3 March 2025'), /3 March 2025/],
    [() => isWorkingDay('1999-12-31'), /1999-12-31.*2000–2100/],
    [() => addWorkingDays('2025-13-01', 1), /2025-13-01/],
    [() => addWorkingDays('2025-03-03', -1), /-1/],
    [() => addWorkingDays('2025-03-03', 1.5), /1\.5/],
    [() => addWorkingDays('2025-03-03', Number.NaN), /NaN/],
    [() => addWorkingDays('2100-12-20', 30), /2100-12-20 plus 30/],
    [() => workingDaysBetween('2025-03-03', '2025-02-30'), /2025-02-30/],
    [() => workingDaysBetween('2101-01-01', '2025-02-03'), /2101-01-01/],
    [() => bankHolidays(1999), /1999/],
    [() => bankHolidays(2101), /2101/],
    [() => bankHolidays(2020.5), /2020\.5/],
    [() => formatDate('2025-00-10'), /2025-00-10/],
    [() => compareIso('2025-01-01', 'tomorrow'), /tomorrow/],
    [() => todayIso(new Date('nonsense')), /Invalid Date/],
  ]
  for (const [fn, message] of cases) t.throws(fn, { name: 'RangeError', message })
})

function dayBetween(min: string, max: string) {
  return fc
    .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))
}
// Leaves room for the largest step the properties take without running past 2100.
const dayArb = dayBetween('2000-01-01', '2095-12-31')

/** Slow but obviously right: step one day at a time. */
function naiveBetween(from: string, to: string): number {
  const [a, b, sign] = from <= to ? [from, to, 1] : [to, from, -1]
  let count = 0
  const d = new Date(`${a}T00:00:00Z`)
  const end = new Date(`${b}T00:00:00Z`)
  for (d.setUTCDate(d.getUTCDate() + 1); d <= end; d.setUTCDate(d.getUTCDate() + 1)) {
    if (isWorkingDay(d.toISOString().slice(0, 10))) count++
  }
  return sign * count
}

t.test('properties', async (t) => {
  t.test('addWorkingDays lands on a working day after from, and is the first such', async () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 1, max: 800 }), (from, n) => {
        const due = addWorkingDays(from, n)
        return (
          isWorkingDay(due) &&
          due > from &&
          workingDaysBetween(from, due) === n &&
          workingDaysBetween(from, addCalendarDays(due, -1)) === n - 1
        )
      }),
    )
  })
  t.test('workingDaysBetween(from, addWorkingDays(from, n)) === n', async () => {
    fc.assert(
      fc.property(
        dayArb,
        fc.integer({ min: 0, max: 1200 }),
        (from, n) => workingDaysBetween(from, addWorkingDays(from, n)) === n,
      ),
    )
  })
  t.test('reversing the arguments negates the count', async () => {
    fc.assert(fc.property(dayArb, dayArb, (a, b) => workingDaysBetween(a, b) === -workingDaysBetween(b, a)))
  })
  t.test('the fast count agrees with counting day by day', async () => {
    const near = fc
      .tuple(dayBetween('2001-01-01', '2095-12-31'), fc.integer({ min: -120, max: 120 }))
      .map(([d, k]) => [d, addCalendarDays(d, k)] as const)
    fc.assert(
      fc.property(near, ([a, b]) => workingDaysBetween(a, b) === naiveBetween(a, b)),
      { numRuns: 300 },
    )
  })
  t.test('counts add up over consecutive spans', async () => {
    fc.assert(
      fc.property(
        dayArb,
        dayArb,
        dayArb,
        (a, b, c) => workingDaysBetween(a, b) + workingDaysBetween(b, c) === workingDaysBetween(a, c),
      ),
    )
  })
})

function addCalendarDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

t.test('spans of decades are fast', async (t) => {
  const start = performance.now()
  for (let i = 0; i < 2_000; i++) workingDaysBetween('2001-01-01', '2090-06-30')
  // About 40 ms on a laptop; the bound only catches a slide back to day-by-day counting.
  t.ok(performance.now() - start < 2000, '2,000 ninety-year counts within two seconds')
})
