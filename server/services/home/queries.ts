import { eq, sql } from 'drizzle-orm'
import { agencies, rounds, sampleCases, users } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import type { Scope } from '../../scope.ts'

/** The few figures each role's home page opens with. */
export function homeSummary(db: Db, scope: Scope) {
  const agency = scope.agencyId
    ? db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, scope.agencyId)).get()
    : undefined
  const roundCounts = db
    .select({ status: rounds.status, n: sql<number>`count(*)` })
    .from(rounds)
    .groupBy(rounds.status)
    .all()
  const myCases = db
    .select({ status: sampleCases.status, n: sql<number>`count(*)` })
    .from(sampleCases)
    .where(eq(sampleCases.auditorId, scope.userId))
    .groupBy(sampleCases.status)
    .all()
  const counts = db
    .select({
      users: sql<number>`(select count(*) from ${users} where ${users.disabled} = 0)`,
      agencies: sql<number>`(select count(*) from ${agencies} where ${agencies.active} = 1)`,
    })
    .from(sql`(select 1)`)
    .get()
  return {
    agencyName: agency?.name ?? null,
    roundsByStatus: Object.fromEntries(roundCounts.map((r) => [r.status, r.n])) as Record<string, number>,
    myCasesByStatus: Object.fromEntries(myCases.map((r) => [r.status, r.n])) as Record<string, number>,
    activeUsers: counts?.users ?? 0,
    activeAgencies: counts?.agencies ?? 0,
  }
}
