// The guard on the Victims' Advocate's free text: observations must never hold a victim's contact
// details, so text that looks like an e-mail address, a UK phone number or a full UK postcode is
// refused. The patterns lean towards refusing: a false alarm costs the advocate a rewording, a miss
// puts a victim's details in a record the agencies read.

export const personalDataKinds = ['email', 'phone', 'postcode'] as const
export type PersonalDataKind = (typeof personalDataKinds)[number]

export const personalDataLabels: Readonly<Record<PersonalDataKind, string>> = {
  email: 'an e-mail address',
  phone: 'a phone number',
  postcode: 'a postcode',
}

export interface PersonalDataHit {
  kind: PersonalDataKind
  /** The text as typed that triggered the guard, so the advocate can find it. */
  match: string
}

const EMAIL = /[^\s@<>()[\]"',;:]+\s?@\s?[^\s@<>()[\]"',;:]+\.[A-Za-z]{2,}/

// A national number after +44 / 0044 (optionally "(0)"), or after a leading 0: nine or ten more
// digits whatever the spacing, hyphens or brackets round the area code. Not part of a longer
// number or reference (no digit, letter or hyphen either side).
const SEP = String.raw`[\s.-]?\)?[\s.-]?`
const PHONE = new RegExp(
  String.raw`(?<![\w+-])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)[1-9](?:${SEP}\d){8,9}(?![\d-]|\.\d)`,
)

// Every postcode area in the United Kingdom, so that "Q1 2nd" or "R4 1st" are not taken for one.
const AREAS =
  'AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE'
// Outward code (area, district, optional sub-district letter or digit), optional space, inward
// code (a digit and two letters from the set Royal Mail uses).
const POSTCODE = new RegExp(String.raw`\b(?:${AREAS.split(' ').join('|')})\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b`, 'i')

const patterns: readonly [PersonalDataKind, RegExp][] = [
  ['email', EMAIL],
  ['phone', PHONE],
  ['postcode', POSTCODE],
]

/** The first thing in `text` that looks like contact details, or null when there is none. */
export function findPersonalData(text: string): PersonalDataHit | null {
  let first: (PersonalDataHit & { at: number }) | null = null
  for (const [kind, pattern] of patterns) {
    const m = pattern.exec(text)
    if (m && (first === null || m.index < first.at)) first = { kind, match: m[0].trim(), at: m.index }
  }
  return first && { kind: first.kind, match: first.match }
}

/** The message a form shows beside a field the guard refused. */
export function personalDataMessage(fieldLabel: string, hit: PersonalDataHit): string {
  return `${fieldLabel} contains what looks like ${personalDataLabels[hit.kind]} (${hit.match}): remove it. Never record a victim's name or contact details`
}
