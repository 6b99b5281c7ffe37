// The national-scale data of scores.bench.ts, in two parts: a seeded generator of rounds as plain
// data (`syntheticRounds`), and the bulk SQL that writes such rounds (`writeRoundsBulk`) in place
// of the import, draw, allocation, review and lifecycle code paths, which would take hours for ten
// million answers. test/server/bench-scale-equal.test.ts writes the demo rounds (built through
// those real paths) again with `writeRoundsBulk` and checks that the score queries read the same.
import { isNotNull, asc } from 'drizzle-orm'
import { openDatabase, type Db } from '../schema/database.ts'
import { sampleCases } from '../schema/index.ts'
import { loadDemoData } from '../seeds/demo.ts'
import { frameworks } from '../audits/frameworks/index.ts'
import type { Edition } from '../audits/frameworks/index.ts'

/** One answer row, in the columns the score queries read. */
export interface AnswerRow {
  marker: 'primary' | 'second' | 'moderator'
  obligationKey: string
  itemId: string
  agencyId: number | null
  outcome: string | null
  evidenceDate: string | null
  dueDate: string | null
  daysLate: number | null
  timelinessOverride: 'on_time' | 'late' | null
}

/** One sampled case with its population row (only the drawn cases' rows are written). */
export interface CaseRow {
  caseRef: string
  reportedOn: string
  offenceGroup: string
  district: string
  stratum: string
  drawPosition: number
  status: string
  /** The case facts as the review saves them (JSON), read by the dashboard's enhanced-flag check. */
  facts: string | null
  answers: AnswerRow[]
}

export interface DrawRow {
  seed: string
  stratifyBy: string
  allocation: string
  marginOfError: number
  confidence: number
  minimumPerStratum: number
  populationSha256: string
  /** JSON list of { key, population, take }, as the draw stores it. */
  strata: string
}

export interface RoundPlan {
  name: string
  framework: string
  edition: Edition
  periodFrom: string
  periodTo: string
  status: string
  ragGreen: number
  ragAmber: number
  moderationShare: number
  agencyIds: number[]
  draw: DrawRow | null
  cases: CaseRow[]
}

/**
 * Writes the rounds by bulk SQL, one transaction per round (so the WAL is checkpointed as the
 * file grows). The data_version triggers would fire once per answer; they are set aside while
 * writing, and each written round's version is moved once afterwards, as they would have left it
 * (moved). Returns the ids of the rounds written, in order, and the number of answers.
 */
export function writeRoundsBulk(
  db: Db,
  plans: Iterable<RoundPlan>,
  onRound: (written: number) => void = () => {},
): { roundIds: number[]; answers: number } {
  const sqlite = db.$client
  const now = new Date().toISOString()
  const insRound = sqlite.prepare(
    `INSERT INTO rounds (name, framework, edition, period_from, period_to, status, rag_green, rag_amber, moderation_share, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insRoundAgency = sqlite.prepare('INSERT INTO round_agencies (round_id, agency_id) VALUES (?, ?)')
  const insDraw = sqlite.prepare(
    `INSERT INTO sample_draws (round_id, seed, stratify_by, allocation, margin_of_error, confidence, minimum_per_stratum, population_sha256, strata, drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insPop = sqlite.prepare(
    `INSERT INTO population_cases (round_id, case_ref, reported_on, offence_group, district) VALUES (?, ?, ?, ?, ?)`,
  )
  const insCase = sqlite.prepare(
    `INSERT INTO sample_cases (round_id, population_case_id, stratum, draw_position, status, facts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const insAnswer = sqlite.prepare(
    `INSERT INTO answers (sample_case_id, marker, obligation_key, item_id, agency_id, outcome, evidence_date, due_date, days_late, timeliness_override, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  let answers = 0
  const roundIds: number[] = []
  const triggers = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_bump_round_%'`)
    .all() as Array<{ name: string; sql: string }>
  for (const t of triggers) sqlite.exec(`DROP TRIGGER ${t.name}`)
  try {
    const oneRound = sqlite.transaction((p: RoundPlan) => {
      const roundId = Number(
        insRound.run(
          p.name,
          p.framework,
          p.edition,
          p.periodFrom,
          p.periodTo,
          p.status,
          p.ragGreen,
          p.ragAmber,
          p.moderationShare,
          now,
        ).lastInsertRowid,
      )
      roundIds.push(roundId)
      for (const a of p.agencyIds) insRoundAgency.run(roundId, a)
      for (const c of p.cases) {
        const popId = Number(insPop.run(roundId, c.caseRef, c.reportedOn, c.offenceGroup, c.district).lastInsertRowid)
        const caseId = Number(
          insCase.run(roundId, popId, c.stratum, c.drawPosition, c.status, c.facts, now).lastInsertRowid,
        )
        for (const a of c.answers) {
          insAnswer.run(
            caseId,
            a.marker,
            a.obligationKey,
            a.itemId,
            a.agencyId,
            a.outcome,
            a.evidenceDate,
            a.dueDate,
            a.daysLate,
            a.timelinessOverride,
            now,
          )
          answers++
        }
      }
      const d = p.draw
      if (d)
        insDraw.run(
          roundId,
          d.seed,
          d.stratifyBy,
          d.allocation,
          d.marginOfError,
          d.confidence,
          d.minimumPerStratum,
          d.populationSha256,
          d.strata,
          now,
        )
    })
    for (const p of plans) {
      oneRound(p)
      onRound(roundIds.length)
    }
  } finally {
    for (const t of triggers) sqlite.exec(t.sql)
  }
  const bump = sqlite.prepare('UPDATE rounds SET data_version = data_version + 1 WHERE id = ?')
  sqlite.transaction(() => {
    for (const id of roundIds) bump.run(id)
  })()
  return { roundIds, answers }
}

export const ROUNDS_PER_AREA = 12
const MODERATED_SHARE = 0.1
const MODERATED_ANSWERS = 4
const DISTRICTS = ['Allerdale', 'Barrow-in-Furness', 'Carlisle', 'Copeland', 'Eden', 'South Lakeland']
const OUTCOMES = [
  'met',
  'met',
  'met',
  'met',
  'met',
  'met',
  'partially_met',
  'not_met',
  'not_applicable',
  'not_evidenced',
] as const

// A fixed generator so every run measures the same data.
function rng(seed: number) {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x / 2 ** 32
  }
}

/**
 * The bench's synthetic rounds: each area's quarterly rounds over three years from 2020 (the
 * 2020 Code from April 2021, so trends cross editions), `cases` sampled cases each with `answers`
 * answers on items picked at random, a tenth of cases moderated (4 moderator answers). `facts`
 * are case facts as the review saves them, given to the cases in turn (the dashboard checks the
 * agencies' enhanced flags against them).
 */
export function* syntheticRounds(o: {
  rounds: number
  cases: number
  answers: number
  agencyByType: ReadonlyMap<string, number>
  agencyIds: number[]
  facts: readonly string[]
}): Generator<RoundPlan> {
  const random = rng(20240401)
  for (let n = 0; n < o.rounds; n++) {
    const area = Math.floor(n / ROUNDS_PER_AREA)
    const r = n % ROUNDS_PER_AREA
    const year = 2020 + Math.floor(r / 4)
    const quarter = r % 4
    const from = `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`
    const to = `${year}-${String(quarter * 3 + 3).padStart(2, '0')}-28`
    const edition: Edition = from >= '2021-04-01' ? '2020' : '2015'
    const items = frameworks[edition].items
    const strata = DISTRICTS.map((d, i) => ({ key: d, population: 800 + i * 400, take: 0 }))
    const cases: CaseRow[] = []
    for (let c = 0; c < o.cases; c++) {
      const district = DISTRICTS[c % DISTRICTS.length] as string
      const stratum = strata.find((s) => s.key === district)
      if (stratum) stratum.take++
      const status = c % 50 === 49 ? 'replaced' : c % 10 === 0 ? 'in_progress' : 'complete'
      const answers: AnswerRow[] = []
      const moderated = random() < MODERATED_SHARE
      const primaries = moderated ? o.answers - MODERATED_ANSWERS : o.answers
      for (let k = 0; k < primaries; k++) {
        const item = items[Math.floor(random() * items.length)] ?? items[0]
        if (!item) continue
        const outcome = random() < 0.03 ? null : (OUTCOMES[Math.floor(random() * OUTCOMES.length)] ?? 'met')
        const timed =
          item.timeLimit !== null && outcome !== null && outcome !== 'not_applicable' && outcome !== 'not_evidenced'
        const late = timed ? (random() < 0.7 ? 0 : 1 + Math.floor(random() * 15)) : null
        const answer: AnswerRow = {
          marker: 'primary',
          obligationKey: `${item.id}#${k}`,
          itemId: item.id,
          agencyId: o.agencyByType.get(item.agency) ?? null,
          outcome,
          evidenceDate: timed ? from : null,
          dueDate: timed ? from : null,
          daysLate: late,
          timelinessOverride: null,
        }
        answers.push(answer)
        if (moderated && k < MODERATED_ANSWERS) answers.push({ ...answer, marker: 'moderator', outcome: 'met' })
      }
      cases.push({
        caseRef: `A${area}-${year}-${r}-${String(c).padStart(5, '0')}`,
        reportedOn: from,
        offenceGroup: 'violence',
        district,
        stratum: district,
        drawPosition: c,
        status,
        facts: o.facts.length > 0 ? (o.facts[c % o.facts.length] ?? null) : null,
        answers,
      })
    }
    yield {
      name: `Area ${area + 1} round ${r + 1} (${year} Q${quarter + 1})`,
      framework: 'victims_code',
      edition,
      periodFrom: from,
      periodTo: to,
      status: 'published',
      ragGreen: 95,
      ragAmber: 80,
      moderationShare: 0.1,
      agencyIds: o.agencyIds,
      draw: {
        seed: 'bench',
        stratifyBy: 'district',
        allocation: 'proportional',
        marginOfError: 5,
        confidence: 95,
        minimumPerStratum: 5,
        populationSha256: '0'.repeat(64),
        strata: JSON.stringify(strata),
      },
      cases,
    }
  }
}

/**
 * Case facts as the review saves them, from the demo rounds (built through the real paths in a
 * database of their own): the real paths never save answers without the case's facts, and the
 * round dashboard checks the agencies' enhanced flags against them.
 */
export async function demoCaseFacts(): Promise<string[]> {
  const db = openDatabase(':memory:')
  try {
    await loadDemoData(db, { rounds: true })
    return db
      .select({ facts: sampleCases.facts })
      .from(sampleCases)
      .where(isNotNull(sampleCases.facts))
      .orderBy(asc(sampleCases.id))
      .all()
      .map((r) => r.facts as string)
  } finally {
    db.$client.close()
  }
}
