// The Victims' Advocate's observations as each user may read them, and the writes that change
// them (each in one transaction with its audit-log entry). Who reads what is decided once, in
// observationReach (server/access.ts), and applied here in SQL: an agency user is confined to
// shared observations of their own agency, and anything else is simply not found.
import { and, desc, eq, gte, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import { agencies, observations, users } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import type { ThemeId } from '../../../audits/frameworks/types.ts'
import type { ObservationKind, ObservationRating, ObservationSetting } from '../../../audits/vocabulary.ts'
import { insertRecorded, updateRecorded } from '../../audit-log.ts'
import { observationReach } from '../../access.ts'
import type { Scope } from '../../scope.ts'

/** The observations a user may read, as a condition for a query's where. */
export function visibleObservations(scope: Scope): SQL {
  const reach = observationReach(scope)
  const own = reach.authorId === null ? undefined : eq(observations.authorId, reach.authorId)
  const shared = !reach.shared
    ? undefined
    : and(
        isNotNull(observations.sharedAt),
        reach.agencyId === null ? undefined : eq(observations.agencyId, reach.agencyId),
      )
  return or(own, shared) ?? sql`0`
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

const rowColumns = {
  id: observations.id,
  authorId: observations.authorId,
  authorName: users.displayName,
  observedOn: observations.observedOn,
  agencyId: observations.agencyId,
  agencyName: agencies.name,
  setting: observations.setting,
  kind: observations.kind,
  themes: observations.themes,
  rights: observations.rights,
  rating: observations.rating,
  sharedAt: observations.sharedAt,
  findingId: observations.findingId,
  createdAt: observations.createdAt,
  updatedAt: observations.updatedAt,
}

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

function filterConditions(f: ObservationFilter): SQL | undefined {
  return and(
    f.authorId ? eq(observations.authorId, f.authorId) : undefined,
    f.findingId ? eq(observations.findingId, f.findingId) : undefined,
    f.agencyId ? eq(observations.agencyId, f.agencyId) : undefined,
    f.theme ? sql`EXISTS (SELECT 1 FROM json_each(${observations.themes}) t WHERE t.value = ${f.theme})` : undefined,
    f.rating ? eq(observations.rating, f.rating) : undefined,
    f.unshared ? isNull(observations.sharedAt) : undefined,
    f.from ? gte(observations.observedOn, f.from) : undefined,
    f.to ? lte(observations.observedOn, f.to) : undefined,
  )
}

export function listObservations(db: Db, scope: Scope, filter: ObservationFilter = {}): ObservationRow[] {
  const query = db
    .select(rowColumns)
    .from(observations)
    .innerJoin(agencies, eq(agencies.id, observations.agencyId))
    .innerJoin(users, eq(users.id, observations.authorId))
    .where(and(visibleObservations(scope), filterConditions(filter)))
    .orderBy(desc(observations.observedOn), desc(observations.id))
    .$dynamic()
  return (filter.limit ? query.limit(filter.limit) : query).all().map(parsed)
}

export function getObservation(db: Db, scope: Scope, id: number): ObservationDetail | undefined {
  const row = db
    .select({
      ...rowColumns,
      wentWell: observations.wentWell,
      couldImprove: observations.couldImprove,
      followUp: observations.followUp,
    })
    .from(observations)
    .innerJoin(agencies, eq(agencies.id, observations.agencyId))
    .innerJoin(users, eq(users.id, observations.authorId))
    .where(and(eq(observations.id, id), visibleObservations(scope)))
    .get()
  return row && parsed(row)
}

type ObservationRecord = typeof observations.$inferSelect

function record(db: Db, id: number): ObservationRecord | undefined {
  return db.select().from(observations).where(eq(observations.id, id)).get()
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
  return db
    .select({ id: agencies.id, name: agencies.name, type: agencies.type })
    .from(agencies)
    .where(or(eq(agencies.active, true), eq(agencies.id, keep ?? -1)))
    .orderBy(agencies.name)
    .all()
}

/** The date of the latest observation this user reads (shared ones only, if asked), or null. */
export function latestObservedOn(db: Db, scope: Scope, { sharedOnly = false } = {}): string | null {
  const row = db
    .select({ latest: sql<string | null>`max(${observations.observedOn})` })
    .from(observations)
    .where(and(visibleObservations(scope), sharedOnly ? isNotNull(observations.sharedAt) : undefined))
    .get()
  return row?.latest ?? null
}

/** How many observations this user reads (for the home page). */
/** How many observations the user may see, of those the filter keeps (its limit aside). */
export function countObservations(db: Db, scope: Scope, filter: ObservationFilter = {}): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(observations)
    .where(and(visibleObservations(scope), filterConditions(filter)))
    .get()
  return row?.n ?? 0
}
