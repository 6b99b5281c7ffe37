// The Victims' Advocate's observations as each user may read them, and the writes that change
// them (each in one transaction with its audit-log entry). Who reads what is decided once, in
// observationReach (server/access.ts), and applied here in SQL: an agency user is confined to
// shared observations of their own agency, and anything else is simply not found.
import { sql, type SQL } from 'drizzle-orm'
import { observations } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import type { ThemeId } from '../../../audits/frameworks/types.ts'
import type { ObservationKind, ObservationRating, ObservationSetting } from '../../../audits/vocabulary.ts'
import { insertRecorded, updateRecorded } from '../../audit-log.ts'
import { observationReach } from '../../access.ts'
import type { Scope } from '../../scope.ts'

/** The observations (alias o) a user may read, as a SQL condition. */
export function visibleObservations(scope: Scope): SQL {
  const reach = observationReach(scope)
  const own = reach.authorId === null ? sql`0` : sql`o.author_id = ${reach.authorId}`
  const shared = !reach.shared
    ? sql`0`
    : reach.agencyId === null
      ? sql`o.shared_at IS NOT NULL`
      : sql`(o.shared_at IS NOT NULL AND o.agency_id = ${reach.agencyId})`
  return sql`(${own} OR ${shared})`
}

export interface ObservationInput {
  observedOn: string
  agencyId: number
  setting: ObservationSetting
  kind: ObservationKind
  themes: ThemeId[]
  rights: number[]
  wentWell: string
  couldImprove: string
  rating: ObservationRating
  followUp: string
}

export interface ObservationRow {
  id: number
  authorId: number
  authorName: string
  observedOn: string
  agencyId: number
  agencyName: string
  setting: ObservationSetting
  kind: ObservationKind
  themes: ThemeId[]
  rights: number[]
  rating: ObservationRating
  sharedAt: string | null
  findingId: number | null
  createdAt: string
  updatedAt: string
}

export interface ObservationDetail extends ObservationRow {
  wentWell: string
  couldImprove: string
  followUp: string
}

const rowColumns = sql`o.id, o.author_id AS authorId, u.display_name AS authorName, o.observed_on AS observedOn,
  o.agency_id AS agencyId, a.name AS agencyName, o.setting, o.kind, o.themes, o.rights, o.rating,
  o.shared_at AS sharedAt, o.finding_id AS findingId, o.created_at AS createdAt, o.updated_at AS updatedAt`
const fromTables = sql`observations o JOIN agencies a ON a.id = o.agency_id JOIN users u ON u.id = o.author_id`

type Raw<T> = Omit<T, 'themes' | 'rights'> & { themes: string; rights: string }

function parsed<T extends ObservationRow>(row: Raw<T>): T {
  return { ...row, themes: JSON.parse(row.themes) as ThemeId[], rights: JSON.parse(row.rights) as number[] } as T
}

export interface ObservationFilter {
  authorId?: number | null
  /** Only those linked to this finding as its evidence. */
  findingId?: number | null
  agencyId?: number | null
  theme?: ThemeId | null
  rating?: ObservationRating | null
  /** Only observations not yet shared (the advocate's own drafts). */
  unshared?: boolean
  from?: string | null
  to?: string | null
  limit?: number
}

function filterSql(f: ObservationFilter): SQL {
  const parts: SQL[] = []
  if (f.authorId) parts.push(sql`o.author_id = ${f.authorId}`)
  if (f.findingId) parts.push(sql`o.finding_id = ${f.findingId}`)
  if (f.agencyId) parts.push(sql`o.agency_id = ${f.agencyId}`)
  if (f.theme) parts.push(sql`EXISTS (SELECT 1 FROM json_each(o.themes) t WHERE t.value = ${f.theme})`)
  if (f.rating) parts.push(sql`o.rating = ${f.rating}`)
  if (f.unshared) parts.push(sql`o.shared_at IS NULL`)
  if (f.from) parts.push(sql`o.observed_on >= ${f.from}`)
  if (f.to) parts.push(sql`o.observed_on <= ${f.to}`)
  return parts.length === 0 ? sql`` : sql` AND ${sql.join(parts, sql` AND `)}`
}

export function listObservations(db: Db, scope: Scope, filter: ObservationFilter = {}): ObservationRow[] {
  const limit = filter.limit ? sql` LIMIT ${filter.limit}` : sql``
  return db
    .all<Raw<ObservationRow>>(sql`SELECT ${rowColumns} FROM ${fromTables}
      WHERE ${visibleObservations(scope)}${filterSql(filter)}
      ORDER BY o.observed_on DESC, o.id DESC${limit}`)
    .map(parsed)
}

export function getObservation(db: Db, scope: Scope, id: number): ObservationDetail | undefined {
  const row = db.get<Raw<ObservationDetail> | undefined>(sql`SELECT ${rowColumns}, o.went_well AS wentWell,
      o.could_improve AS couldImprove, o.follow_up AS followUp
    FROM ${fromTables}
    WHERE o.id = ${id} AND ${visibleObservations(scope)}`)
  return row && parsed(row)
}

type ObservationRecord = typeof observations.$inferSelect

function record(db: Db, id: number): ObservationRecord | undefined {
  return db.select().from(observations).where(sql`${observations.id} = ${id}`).get()
}

function columns(input: ObservationInput) {
  return {
    observedOn: input.observedOn,
    agencyId: input.agencyId,
    setting: input.setting,
    kind: input.kind,
    themes: JSON.stringify(input.themes),
    rights: JSON.stringify([...input.rights].sort((a, b) => a - b)),
    wentWell: input.wentWell,
    couldImprove: input.couldImprove,
    rating: input.rating,
    followUp: input.followUp,
  }
}

export function createObservation(
  db: Db,
  scope: Scope,
  input: ObservationInput,
  now = new Date().toISOString(),
): number {
  const values = { ...columns(input), authorId: scope.userId, createdAt: now, updatedAt: now }
  const log = { action: 'observation_recorded', entity: 'observation' }
  return db.transaction(() => insertRecorded(db, scope, observations, values, log, now).id)
}

export function updateObservation(
  db: Db,
  scope: Scope,
  id: number,
  input: ObservationInput,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    const changes = { ...columns(input), updatedAt: now }
    updateRecorded(db, scope, observations, id, changes, { action: 'observation_changed', entity: 'observation' }, now)
  })
}

/** Shares an observation with the partnership and the agency observed; sharing is not undone. */
export function shareObservation(db: Db, scope: Scope, id: number, now = new Date().toISOString()): void {
  db.transaction(() => {
    if (record(db, id)?.sharedAt !== null) return
    const changes = { sharedAt: now, updatedAt: now }
    updateRecorded(db, scope, observations, id, changes, { action: 'observation_shared', entity: 'observation' }, now)
  })
}

/** Records the finding an observation is evidence for (null to unlink). */
export function linkObservation(
  db: Db,
  scope: Scope,
  id: number,
  findingId: number | null,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    const action = findingId === null ? 'observation_unlinked' : 'observation_linked'
    updateRecorded(db, scope, observations, id, { findingId, updatedAt: now }, { action, entity: 'observation' }, now)
  })
}

export interface ServiceOption {
  id: number
  name: string
  type: string
}

/** Services an observation can be of: the active agencies, and `keep` (an observation's own) even if not. */
export function serviceOptions(db: Db, keep: number | null = null): ServiceOption[] {
  return db.all<ServiceOption>(
    sql`SELECT id, name, type FROM agencies WHERE active = 1 OR id = ${keep ?? -1} ORDER BY name`,
  )
}

/** The date of the latest observation this user reads (shared ones only, if asked), or null. */
export function latestObservedOn(db: Db, scope: Scope, { sharedOnly = false } = {}): string | null {
  const shared = sharedOnly ? sql` AND o.shared_at IS NOT NULL` : sql``
  return (
    db.get<{ latest: string | null }>(
      sql`SELECT max(o.observed_on) AS latest FROM observations o WHERE ${visibleObservations(scope)}${shared}`,
    )?.latest ?? null
  )
}

/** How many observations this user reads (for the home page). */
export function countObservations(db: Db, scope: Scope): number {
  return (
    db.get<{ n: number }>(sql`SELECT count(*) AS n FROM observations o WHERE ${visibleObservations(scope)}`)?.n ?? 0
  )
}
