import { sql } from 'drizzle-orm'
import { agencies, users } from '../schema/index.ts'
import type { Db } from '../schema/database.ts'
import { recordAudit } from '../server/audit-log.ts'
import { hashPassword } from '../server/passwords.ts'
import { cumbriaAgencies, demoUsers, DEMO_PASSWORD } from './cumbria.ts'
import { loadDemoRounds } from './demo-rounds.ts'
import { loadDemoFindings } from './demo-findings.ts'
import { loadDemoReportedFigures } from './demo-reported-figures.ts'
import { loadDemoCommissioned } from './demo-commissioned.ts'
import { todayIso } from '../audits/calendar.ts'
import { loadDemoObservations } from './demo-observations.ts'

let demoHash: Promise<string> | undefined

/**
 * Fills a new database with the Cumbria partnership and one account per role, and (with `rounds`)
 * the demo audit rounds and the commissioned-services dip sample. Does nothing when the database already has users, so restarts never
 * duplicate or overwrite anything.
 */
export async function loadDemoData(db: Db, options: { rounds?: boolean } = {}): Promise<boolean> {
  const existing = db.select({ n: sql<number>`count(*)` }).from(users).get()
  if ((existing?.n ?? 0) > 0) return false
  // One hash for all demo accounts (same password): seeding stays quick in every test.
  demoHash ??= hashPassword(DEMO_PASSWORD)
  const passwordHash = await demoHash
  const now = new Date().toISOString()
  db.transaction((tx) => {
    const ids = new Map<string, number>()
    for (const a of cumbriaAgencies) {
      const row = tx.insert(agencies).values(a).onConflictDoNothing().returning({ id: agencies.id }).get()
      if (row) ids.set(a.name, row.id)
    }
    for (const u of demoUsers) {
      tx.insert(users)
        .values({
          email: u.email,
          displayName: u.displayName,
          role: u.role,
          agencyId: u.agency ? (ids.get(u.agency) ?? null) : null,
          passwordHash,
          createdAt: now,
          updatedAt: now,
        })
        .run()
    }
    recordAudit(db, {
      actor: null,
      action: 'demo_data_loaded',
      entity: 'database',
      after: { agencies: cumbriaAgencies.length, users: demoUsers.length },
    })
  })
  if (options.rounds) {
    await loadDemoRounds(db)
    loadDemoFindings(db)
    loadDemoReportedFigures(db, todayIso())
    await loadDemoCommissioned(db)
    loadDemoObservations(db)
  }
  return true
}
