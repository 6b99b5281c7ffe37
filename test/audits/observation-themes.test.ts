import t from 'tap'
import {
  financialYear,
  financialYearOf,
  isPoor,
  quarterLabel,
  RECURRING_MIN,
  recurringIssues,
} from '../../audits/observation-themes.ts'

t.test('poor means requires improvement or inadequate', async (t) => {
  t.equal(isPoor('good'), false)
  t.equal(isPoor('requires_improvement'), true)
  t.equal(isPoor('inadequate'), true)
})

t.test('a theme rated poorly in three or more observations is a recurring issue', async (t) => {
  t.equal(RECURRING_MIN, 3)
  const tallies = [
    { key: 'care_respect', total: 10, poor: 2 },
    { key: 'enhanced_support', total: 3, poor: 3 },
    { key: 'communication_information', total: 9, poor: 5 },
    { key: 'engagement_collaboration', total: 0, poor: 0 },
  ]
  t.same(
    recurringIssues(tallies).map((x) => x.key),
    ['communication_information', 'enhanced_support'],
    'at the threshold counts; most poorly rated first',
  )
  t.same(recurringIssues([{ key: 'x', total: 50, poor: 2 }]), [], 'many observations, two poor: not recurring')
})

t.test('financial years run April to March', async (t) => {
  t.same(financialYear(2025), { from: '2025-04-01', to: '2026-03-31', label: '2025/26' })
  t.same(financialYear(2099), { from: '2099-04-01', to: '2100-03-31', label: '2099/00' })
  t.equal(financialYearOf('2025-03-31'), 2024)
  t.equal(financialYearOf('2025-04-01'), 2025)
  t.equal(financialYearOf('2026-01-15'), 2025)
})

t.test('quarters read as months', async (t) => {
  t.equal(quarterLabel('2025-Q1'), 'January to March 2025')
  t.equal(quarterLabel('2025-Q4'), 'October to December 2025')
  t.equal(quarterLabel('nonsense'), 'nonsense')
})
