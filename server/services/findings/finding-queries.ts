// Findings as each user may see them: the list, one finding in full, and the sets built from them
// (exports, a round's report, the summary's open findings). Their actions are action-queries.ts,
// the scores a finding rests on evidence.ts, the writes writes.ts.
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import { agencies, findings, populationCases, rounds, sampleCases, users } from '../../../schema/index.ts'
import { agencyMaySee, type FindingStatus, type Severity } from '../../../audits/findings.ts'
import type { Scope } from '../../scope.ts'
import type { EvidenceFigure } from './evidence.ts'
import type { ScoreRound } from '../scores/rounds-queries.ts'
import { visible } from './visibility.ts'
import { actionsOf, type ActionRow } from './action-queries.ts'

export interface FindingRow {
  id: number
  roundId: number
  roundName: string
  agencyId: number
  agencyName: string
  title: string
  severity: Severity
  status: FindingStatus
  createdAt: string
  updatedAt: string
  actions: number
  openActions: number
}

const rowColumns = {
  id: findings.id,
  roundId: findings.roundId,
  roundName: rounds.name,
  agencyId: findings.agencyId,
  agencyName: agencies.name,
  title: findings.title,
  severity: findings.severity,
  status: findings.status,
  createdAt: findings.createdAt,
  updatedAt: findings.updatedAt,
  actions: sql<number>`(SELECT count(*) FROM finding_actions x WHERE x.finding_id = ${findings.id})`,
  openActions: sql<number>`(SELECT count(*) FROM finding_actions x WHERE x.finding_id = ${findings.id}
    AND x.status <> 'closed')`,
}

/** Findings with their round and agency: what every finding query reads from. */
function findingsFrom(db: Db, columns: typeof rowColumns) {
  return db
    .select(columns)
    .from(findings)
    .innerJoin(rounds, eq(rounds.id, findings.roundId))
    .innerJoin(agencies, eq(agencies.id, findings.agencyId))
}

export interface ListFilter {
  status?: FindingStatus | null
  roundId?: number | null
}

export function listFindings(db: Db, scope: Scope, filter: ListFilter = {}): FindingRow[] {
  return findingsFrom(db, rowColumns)
    .where(
      and(
        visible(scope),
        filter.status ? eq(findings.status, filter.status) : undefined,
        filter.roundId ? eq(findings.roundId, filter.roundId) : undefined,
      ),
    )
    .orderBy(
      sql`CASE ${findings.status} WHEN 'closed' THEN 1 WHEN 'declined' THEN 1 ELSE 0 END`,
      desc(findings.updatedAt),
      desc(findings.id),
    )
    .all()
}

export interface FindingDetail extends FindingRow {
  roundEdition: ScoreRound['edition']
  roundStatus: string
  roundPeriodTo: string
  itemIds: string[]
  evidence: EvidenceFigure[]
  caseRefs: string[]
  recommendation: string
  declineReason: string | null
  returnReason: string | null
  response: string | null
  respondedAt: string | null
  raisedByName: string | null
}

function parseList<T>(json: string): T[] {
  const v: unknown = JSON.parse(json)
  return Array.isArray(v) ? (v as T[]) : []
}

export function getFinding(db: Db, scope: Scope, id: number): FindingDetail | undefined {
  const row = db
    .select({
      ...rowColumns,
      roundEdition: rounds.edition,
      roundStatus: rounds.status,
      roundPeriodTo: rounds.periodTo,
      itemIds: findings.itemIds,
      evidence: findings.evidence,
      caseRefs: findings.caseRefs,
      recommendation: findings.recommendation,
      declineReason: findings.declineReason,
      returnReason: findings.returnReason,
      response: findings.response,
      respondedAt: findings.respondedAt,
      raisedByName: users.displayName,
    })
    .from(findings)
    .innerJoin(rounds, eq(rounds.id, findings.roundId))
    .innerJoin(agencies, eq(agencies.id, findings.agencyId))
    .leftJoin(users, eq(users.id, findings.raisedBy))
    .where(and(eq(findings.id, id), visible(scope)))
    .get()
  if (!row) return undefined
  return {
    ...row,
    itemIds: parseList<string>(row.itemIds),
    evidence: parseList<EvidenceFigure>(row.evidence),
    caseRefs: parseList<string>(row.caseRefs),
  }
}

/** The case references of a round's sample: the cases a finding may point to. */
export function sampledCaseRefs(db: Db, roundId: number): Set<string> {
  const rows = db
    .select({ ref: populationCases.caseRef })
    .from(sampleCases)
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .where(eq(sampleCases.roundId, roundId))
    .all()
  return new Set(rows.map((r) => r.ref))
}

/** For exports: every visible finding with its actions, in list order. */
export function exportRows(db: Db, scope: Scope, today: string) {
  return listFindings(db, scope).map((row) => {
    const detail = getFinding(db, scope, row.id)
    return { finding: detail as FindingDetail, actions: actionsOf(db, scope, row.id, today) }
  })
}

/** A round's findings as its printed report shows them: issued or later, with their actions. */
export function reportFindings(
  db: Db,
  scope: Scope,
  roundId: number,
  today: string,
): { finding: FindingDetail; actions: ActionRow[] }[] {
  return listFindings(db, scope, { roundId })
    .filter((f) => agencyMaySee(f.status))
    .flatMap((row) => {
      const finding = getFinding(db, scope, row.id)
      return finding ? [{ finding, actions: actionsOf(db, scope, row.id, today) }] : []
    })
}

/** Findings not yet closed (issued, responded or accepted), newest first: the summary's block. */
export function openFindings(db: Db, scope: Scope): FindingRow[] {
  return listFindings(db, scope).filter(
    (f) => f.status === 'issued' || f.status === 'responded' || f.status === 'accepted',
  )
}
