// The guard on the advocate's free text: what it takes for contact details (a table of the ways
// people write them) and what it leaves alone (dates, times, case references, Code references),
// then the same by generated examples.
import t from 'tap'
import fc from 'fast-check'
import { findPersonalData, personalDataMessage, type PersonalDataKind } from '../../audits/personal-data.ts'

const refused: [string, PersonalDataKind, string][] = [
  ['write to jo.bloggs@example.com today', 'email', 'jo.bloggs@example.com'],
  ['JO_B+court@mail.example.co.uk', 'email', 'JO_B+court@mail.example.co.uk'],
  ['jo @ example.org', 'email', 'jo @ example.org'],
  ['ring 07700 900123', 'phone', '07700 900123'],
  ['ring 07700900123', 'phone', '07700900123'],
  ['ring 077-0090-0123', 'phone', '077-0090-0123'],
  ['landline 01768 123456.', 'phone', '01768 123456'],
  ['(01228) 603 123', 'phone', '(01228) 603 123'],
  ['020 7946 0018', 'phone', '020 7946 0018'],
  ['+44 7700 900123', 'phone', '+44 7700 900123'],
  ['+447700900123', 'phone', '+447700900123'],
  ['0044 1768 123456', 'phone', '0044 1768 123456'],
  ['+44 (0)1768 123456', 'phone', '+44 (0)1768 123456'],
  ['0800 123 4567', 'phone', '0800 123 4567'],
  ['lives at CA1 2AB', 'postcode', 'CA1 2AB'],
  ['lives at ca12ab', 'postcode', 'ca12ab'],
  ['LA9 4ND', 'postcode', 'LA9 4ND'],
  ['SW1A 1AA', 'postcode', 'SW1A 1AA'],
  ['M1 1AE', 'postcode', 'M1 1AE'],
  ['EC1A 1BB', 'postcode', 'EC1A 1BB'],
  ['B33 8TH', 'postcode', 'B33 8TH'],
]

const allowed = [
  'Seen on 3 March 2025 at 10:30, and again on 2025-03-10.',
  'Case CUM-2025-000123 and case A-0001 were dip-sampled.',
  'Right 6 (R6.1, R6.2) and V15-P01 were not met in 12 of 40 cases.',
  'Q1 2nd hearing; Q3 2025 figures; 45% met; 1,234 victims referred.',
  'The victim was kept informed @ every stage.',
  'Crime reference 0123/45/2025 was quoted.',
  'Grade 7 officer; 2 hours; 10 working days.',
  'Referral made within 2 days of 5 April.',
  'Amount paid: 01234.',
  'The ISVA met the victim at the SARC in Carlisle.',
  'Room R4 1st floor, court 2.',
]

t.test('text that looks like contact details is found, and says what it looks like', async (t) => {
  for (const [text, kind, match] of refused) t.same(findPersonalData(text), { kind, match }, text)
})

t.test('ordinary observation text passes', async (t) => {
  for (const text of allowed) t.equal(findPersonalData(text), null, text)
})

t.test('the first of several is named', async (t) => {
  t.same(findPersonalData('CA1 2AB then jo@example.com'), { kind: 'postcode', match: 'CA1 2AB' })
  t.same(findPersonalData('jo@example.com then CA1 2AB'), { kind: 'email', match: 'jo@example.com' })
})

t.test('the message names the field, what it looks like and the rule', async (t) => {
  t.equal(
    personalDataMessage('What went well', { kind: 'phone', match: '07700 900123' }),
    "What went well contains what looks like a phone number (07700 900123): remove it. Never record a victim's name or contact details",
  )
})

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''))
const words = fc.array(fc.constantFrom('the', 'victim', 'was', 'told', 'court', 'and', 'late', 'officer', 'update'), {
  maxLength: 6,
})

t.test('generated: any UK mobile number, however spaced, is found', async () => {
  fc.assert(
    fc.property(
      digits(9),
      fc.constantFrom('0', '+44 ', '+44', '0044 ', '+44 (0)'),
      fc.constantFrom(' ', '', '-'),
      words,
      words,
      (rest, prefix, sep, before, after) => {
        const number = `${prefix}7${rest.slice(0, 3)}${sep}${rest.slice(3)}`
        const text = [...before, number, ...after].join(' ')
        return findPersonalData(text)?.kind === 'phone'
      },
    ),
  )
})

t.test('generated: any e-mail address is found', async () => {
  const part = fc.stringMatching(/^[a-z][a-z0-9._-]{0,12}[a-z0-9]$/)
  fc.assert(
    fc.property(
      part,
      part,
      fc.constantFrom('com', 'org', 'co.uk', 'gov.uk', 'net'),
      words,
      (user, domain, tld, before) => {
        const text = [...before, `${user}@${domain}.${tld}`].join(' ')
        return findPersonalData(text)?.kind === 'email'
      },
    ),
  )
})

t.test('generated: any postcode of a real area is found, in either case, with or without its space', async () => {
  fc.assert(
    fc.property(
      fc.constantFrom('CA', 'LA', 'M', 'B', 'SW', 'NE', 'EH', 'BT'),
      fc.integer({ min: 1, max: 99 }),
      fc.integer({ min: 0, max: 9 }),
      fc.constantFrom('AB', 'ND', 'XY', 'HJ', 'TU'),
      fc.constantFrom(' ', ''),
      fc.boolean(),
      (area, district, sector, unit, space, lower) => {
        const code = `${area}${district}${space}${sector}${unit}`
        return findPersonalData(`near ${lower ? code.toLowerCase() : code} today`)?.kind === 'postcode'
      },
    ),
  )
})

t.test('generated: words, dates and counts are never taken for contact details', async () => {
  const date = fc.date({ min: new Date('2015-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  fc.assert(
    fc.property(words, date, fc.integer({ min: 0, max: 99_999 }), words, (before, d, n, after) => {
      const iso = d.toISOString().slice(0, 10)
      const text = [
        ...before,
        `on ${iso}`,
        `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`,
        String(n),
        ...after,
      ].join(' ')
      return findPersonalData(text) === null
    }),
  )
})
