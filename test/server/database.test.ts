import t from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../../schema/database.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import { agencies, users } from '../../schema/index.ts'

t.test('migrations build every table on an empty database', async (t) => {
  const db = openDatabase(':memory:')
  const tables = db
    .all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name`,
    )
    .map((r) => r.name)
  t.same(tables, [
    'action_updates',
    'agencies',
    'answers',
    'audit_log',
    'finding_actions',
    'findings',
    'framework_items',
    'kept_figures',
    'moderation_cases',
    'observations',
    'population_cases',
    'population_imports',
    'reported_figures',
    'round_agencies',
    'rounds',
    'sample_cases',
    'sample_draws',
    'time_limit_overrides',
    'users',
  ])
  t.equal(db.get<{ foreign_keys: number }>(sql`pragma foreign_keys`)?.foreign_keys, 1)
})

t.test('a file database uses WAL, and a second start keeps data without duplicating demo data', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'qaf-db-')), 'qaf.sqlite')
  const first = openDatabase(file)
  t.equal(first.get<{ journal_mode: string }>(sql`pragma journal_mode`)?.journal_mode, 'wal')
  t.equal(await loadDemoData(first), true)
  const counts = (db: typeof first) => ({
    users: db.get<{ n: number }>(sql`select count(*) n from ${users}`)?.n,
    agencies: db.get<{ n: number }>(sql`select count(*) n from ${agencies}`)?.n,
  })
  const before = counts(first)
  first.$client.close()
  const second = openDatabase(file)
  t.equal(await loadDemoData(second), false)
  t.same(counts(second), before)
  second.$client.close()
})

t.test('the app copies every framework item into the database for score queries', async (t) => {
  const { buildTestApp } = await import('../fixtures/app.ts')
  const { allItems, frameworks } = await import('../../audits/frameworks/index.ts')
  const { frameworkItems } = await import('../../schema/index.ts')
  const { db } = await buildTestApp(t)
  const expected = Object.values(frameworks).reduce((n, f) => n + f.items.length, 0)
  t.equal(
    db.select().from(frameworkItems).all().length,
    expected + 6,
    'both Code editions and the six commissioned-services questions',
  )
  t.equal(allItems.length, expected + 6)
  const cs1 = db
    .select()
    .from(frameworkItems)
    .all()
    .find((r) => r.id === 'CS1')
  t.match(cs1, { framework: 'commissioned_services', grp: 'Contact and assessment', hasTimeLimit: true })
  const r62 = db
    .select()
    .from(frameworkItems)
    .all()
    .find((r) => r.id === 'R6.2')
  t.equal(r62?.agencyType, 'police')
  t.equal(r62?.hasTimeLimit, true)
})
