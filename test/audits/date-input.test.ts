import t from 'tap'
import { datePartsOf, readDateParts } from '../../audits/date-input.ts'

const d = (day: string, month: string, year: string) => ({ day, month, year })

t.test('three blank fields are no date at all', async (t) => {
  t.same(readDateParts(d('', ' ', ''), 'Date'), { kind: 'empty' })
})

t.test('a partly typed date says which parts are missing, in GOV.UK wording', async (t) => {
  t.same(readDateParts(d('3', '', ''), 'Date of arrest'), {
    kind: 'incomplete',
    message: 'Date of arrest must include a month and year',
  })
  t.same(readDateParts(d('', '', '2024'), 'Date of arrest'), {
    kind: 'incomplete',
    message: 'Date of arrest must include a day and month',
  })
  t.same(readDateParts(d('3', '4', ''), 'Date of arrest'), {
    kind: 'incomplete',
    message: 'Date of arrest must include a year',
  })
})

t.test('a date that does not exist, or is not numbers, is refused', async (t) => {
  t.same(readDateParts(d('29', '2', '2023'), 'Date'), { kind: 'invalid', message: 'Date must be a real date' })
  t.same(readDateParts(d('1', '13', '2023'), 'Date'), { kind: 'invalid', message: 'Date must be a real date' })
  t.same(readDateParts(d('x', '1', '2023'), 'Date'), { kind: 'invalid', message: 'Date must be a real date' })
  t.same(readDateParts(d('1', '1', '20x3'), 'Date'), { kind: 'invalid', message: 'Date must be a real date' })
  t.same(readDateParts(d('1', '1', '23'), 'Date'), { kind: 'invalid', message: 'Year must include 4 numbers' })
})

t.test('a real date reads as ISO, with or without leading zeros and spaces', async (t) => {
  t.same(readDateParts(d('29', '2', '2024'), 'Date'), { kind: 'date', iso: '2024-02-29' })
  t.same(readDateParts(d(' 03 ', '09', '2021'), 'Date'), { kind: 'date', iso: '2021-09-03' })
})

t.test('stored dates go back into the three fields as people type them', async (t) => {
  t.same(datePartsOf('2023-03-08'), { day: '8', month: '3', year: '2023' })
  t.same(datePartsOf(null), { day: '', month: '', year: '' })
  t.same(datePartsOf('not a date'), { day: '', month: '', year: '' })
  const back = datePartsOf('2022-12-31')
  t.same(readDateParts(back, 'Date'), { kind: 'date', iso: '2022-12-31' }, 'round trip')
})
