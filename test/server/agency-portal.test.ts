// An agency lead's home: the latest published round's scores by Right with intervals and RAG, the
// trend, findings and actions due, downloads, and the anonymised comparison, whose letters are
// the same for every reader within a round and are reshuffled between rounds.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { signedIn } from '../fixtures/app.ts'
import { buildPortalApp, TEST_SECRET } from '../fixtures/reconciliation.ts'
import { comparisonFor, lettersSeed } from '../../server/services/agency-portal/home-model.ts'
import { comparisonLetters } from '../../audits/comparison-letters.ts'
import { roundRollup } from '../../server/services/scores/rollup-queries.ts'
import { visibleRounds } from '../../server/services/scores/rounds-queries.ts'

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

/** The comparison table's rows: label and strict rate text. */
function comparison(html: string): { kind: string; label: string; figure: string }[] {
  return [
    ...html.matchAll(
      /data-qa="comparison-row" data-kind="([a-z]+)">\s*<th[^>]*>([^<]*)<\/th>\s*<td[^>]*>\s*<span class="app-scores-rate app-numeric">([^<]*)<\/span>/g,
    ),
  ].map((m) => ({ kind: m[1] ?? '', label: m[2] ?? '', figure: m[3] ?? '' }))
}

t.test("the police lead's home answers how they are doing, what is due and how they compare", async (t) => {
  const { app } = await buildPortalApp(t)
  const police = await signedIn(app, 'police@qaf.example')
  const res = await police.get('/')
  t.equal(res.statusCode, 200)
  const body = res.body
  t.match(body, /How you are doing: Winter 2024\/25 audit/, 'the latest published round')
  t.notMatch(body, /Summer 2025 audit/, 'not the round still in moderation')
  const rights = [...body.matchAll(/data-qa="home-right"/g)].length
  t.ok(rights >= 3, `${rights} Rights`)
  t.match(
    text(body.slice(body.indexOf('data-qa="home-rights"'))),
    /Overall \d+\.\d% \(n = \d+\) 95% interval \d+\.\d% to \d+\.\d% (Green|Amber|Red)/,
  )
  t.equal(
    [...body.matchAll(/<tr class="govuk-table__row">\s*<th scope="row" class="govuk-table__header">Winter 20/g)].length,
    2,
    'a trend row per published round',
  )
  t.match(body, /data-qa="home-findings"/, 'findings and actions')
  t.match(body, /data-qa="actions-due"|action/, 'actions with what is due')
  t.match(body, /href="\/scores\/rounds\/2\/export\.csv"/, 'own figures as CSV')
  t.match(body, /href="\/scores\/rounds\/2\/export\.xlsx"/, 'and XLSX')
  t.match(body, /data-qa="home-comparison-chart"[\s\S]*?<svg[^>]*role="img"/, 'the comparison chart')
  const rows = comparison(body)
  t.equal(rows[0]?.label, 'All agencies (partnership)')
  t.match(rows[1]?.label, /^Your agency \(Agency [A-Z]\)$/, 'own row, with its letter')
  const others = rows.filter((r) => r.kind === 'other')
  t.ok(others.length >= 3, `${others.length} other agencies`)
  t.ok(
    others.every((r) => /^Agency [A-Z]$/.test(r.label)),
    'each other agency by letter only',
  )
  t.same(
    others.map((r) => r.label),
    [...others.map((r) => r.label)].sort(),
    'in letter order, so the order says nothing about who they are',
  )
  t.match(body, /5 reported figures: the audit does not support 1/)
})

t.test('letters are stable within a round, for every reader, and reshuffled between rounds', async (t) => {
  const { app, db } = await buildPortalApp(t)
  const police = await signedIn(app, 'police@qaf.example')
  const cps = await signedIn(app, 'cps@qaf.example')
  const first = comparison((await police.get('/')).body)
  const again = comparison((await police.get('/')).body)
  t.same(again, first, 'the same letters and figures on every visit')
  const fromCps = comparison((await cps.get('/')).body)
  const own = (rows: typeof first) => rows.find((r) => r.kind === 'own')
  const letters = (rows: typeof first) => rows.filter((r) => r.kind === 'other').map((r) => r.label)
  // The police's letter is the one missing from their own list; the CPS lead sees it with the police's figure.
  const policeLetter = letters(fromCps).find((l) => !letters(first).includes(l))
  const cpsLetter = letters(first).find((l) => !letters(fromCps).includes(l))
  t.ok(policeLetter && cpsLetter, `police are ${policeLetter}, CPS ${cpsLetter}`)
  t.equal(own(first)?.label, `Your agency (${policeLetter})`, 'the police are told their own letter')
  t.equal(own(fromCps)?.label, `Your agency (${cpsLetter})`)
  t.equal(
    fromCps.find((r) => r.label === policeLetter)?.figure,
    own(first)?.figure,
    "the police's figure under their letter",
  )
  t.equal(first.find((r) => r.label === cpsLetter)?.figure, own(fromCps)?.figure, "the CPS's figure under theirs")
  for (const l of letters(first).filter((x) => x !== cpsLetter))
    t.equal(fromCps.find((r) => r.label === l)?.figure, first.find((r) => r.label === l)?.figure, `${l} is one agency`)

  const police_ = db.get<{ id: number; agency_id: number }>(
    sql`SELECT id, agency_id FROM users WHERE email = 'police@qaf.example'`,
  )
  const scope = {
    userId: police_?.id ?? 0,
    email: 'police@qaf.example',
    displayName: '',
    role: 'agency' as const,
    agencyId: police_?.agency_id ?? 0,
  }
  const [older, newer] = visibleRounds(db, scope)
  if (!older || !newer) throw new Error('two published rounds expected')
  const now = comparisonFor(db, scope.agencyId, newer, TEST_SECRET)
  t.same(
    now.map((r) => r.label),
    first.map((r) => r.label),
    'the model gives the page its letters',
  )
  // Which agency stands behind each letter, in each round: letters must not follow an agency.
  const lettersOf = (round: typeof older) =>
    comparisonLetters(roundRollup(db, round.id, null, ['agency']).agencyIds(), lettersSeed(TEST_SECRET, round.id))
  const a = lettersOf(older)
  const b = lettersOf(newer)
  const both = [...a.keys()].filter((id) => b.has(id))
  t.ok(both.length >= 3, `${both.length} agencies in both rounds`)
  t.ok(
    both.some((id) => a.get(id) !== b.get(id)),
    'some agency has a different letter in the two rounds',
  )
  t.not(
    JSON.stringify(comparisonFor(db, scope.agencyId, newer, 'another-secret').map((r) => r.label + r.figure.n)),
    JSON.stringify(now.map((r) => r.label + r.figure.n)),
    'the letters depend on the secret, so they cannot be worked out from the round alone',
  )
})
