import t from 'tap'
import { ownershipResolver } from '../../audits/case-ownership.ts'

const agencies = [
  { id: 1, name: 'Cumbria Constabulary', shortName: 'Constabulary', type: 'police' },
  { id: 2, name: 'Crown Prosecution Service North West', shortName: 'CPS', type: 'cps' },
  { id: 3, name: 'Bridgeway sexual assault referral centre', shortName: 'Bridgeway', type: 'other' },
  { id: 4, name: 'Remedi restorative justice', shortName: 'Remedi', type: 'other' },
]

t.test('a case’s agency reference matches a short name, a name or a type, ignoring case', async (t) => {
  const owner = ownershipResolver(agencies)
  t.equal(owner('police'), 1)
  t.equal(owner(' POLICE '), 1)
  t.equal(owner('cps'), 2)
  t.equal(owner('Crown Prosecution Service North West'), 2)
  t.equal(owner('bridgeway'), 3)
  t.equal(owner('other'), null, 'two agencies of that type: no guess')
  t.equal(owner('probation'), null, 'not an agency in scope')
  t.equal(owner(''), null)
  t.equal(owner(null), null)
  t.equal(owner(undefined), null)
})

t.test('a name wins over another agency’s type', async (t) => {
  const owner = ownershipResolver([
    { id: 1, name: 'Police and Crime Commissioner', shortName: 'police', type: 'other' },
    { id: 2, name: 'Cumbria Constabulary', shortName: 'Constabulary', type: 'police' },
  ])
  t.equal(owner('police'), 1)
})

t.test('blank names match nothing', async (t) => {
  const owner = ownershipResolver([{ id: 1, name: 'Agency without a short name', shortName: ' ', type: 'courts' }])
  t.equal(owner(' '), null)
  t.equal(owner('courts'), 1)
})
