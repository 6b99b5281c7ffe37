import { asc, eq, sql } from 'drizzle-orm'
import { agencies, users, type Role } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import { endAllSessions } from '../../plugins/auth.ts'
import { userColumns } from '../../user-columns.ts'

export function listUsers(db: Db) {
  return db
    .select({ ...userColumns, agencyName: agencies.shortName })
    .from(users)
    .leftJoin(agencies, eq(users.agencyId, agencies.id))
    .orderBy(asc(users.disabled), asc(users.displayName))
    .all()
}

export function getUser(db: Queryable, id: number) {
  return db.select(userColumns).from(users).where(eq(users.id, id)).get()
}

export function emailTaken(db: Db, email: string, exceptId?: number): boolean {
  const row = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()
  return row !== undefined && row.id !== exceptId
}

export interface UserInput {
  email: string
  displayName: string
  role: Role
  agencyId: number | null
}

export function createUser(db: Db, scope: Scope, input: UserInput, passwordHash: string): number {
  return db.transaction((tx) => {
    const now = new Date().toISOString()
    const row = tx
      .insert(users)
      .values({ ...input, passwordHash, createdAt: now, updatedAt: now })
      .returning({ id: users.id })
      .get()
    recordAudit(db, { actor: actorOf(scope), action: 'user_created', entity: 'user', entityId: row.id, after: input })
    return row.id
  })
}

export function updateUser(db: Db, scope: Scope, id: number, input: UserInput): void {
  db.transaction((tx) => {
    const before = getUser(tx, id)
    tx.update(users)
      .set({ ...input, updatedAt: new Date().toISOString() })
      .where(eq(users.id, id))
      .run()
    // A token must not keep opening what the old role or agency could.
    if (before && (before.role !== input.role || before.agencyId !== input.agencyId)) endAllSessions(tx, id)
    recordAudit(db, {
      actor: actorOf(scope),
      action: 'user_updated',
      entity: 'user',
      entityId: id,
      before,
      after: input,
    })
  })
}

export function setUserDisabled(db: Db, scope: Scope, id: number, disabled: boolean): void {
  db.transaction((tx) => {
    tx.update(users).set({ disabled, updatedAt: new Date().toISOString() }).where(eq(users.id, id)).run()
    // Enabling again must not bring back a cookie from before the account was disabled.
    endAllSessions(tx, id)
    recordAudit(db, {
      actor: actorOf(scope),
      action: disabled ? 'user_disabled' : 'user_enabled',
      entity: 'user',
      entityId: id,
      before: { disabled: !disabled },
      after: { disabled },
    })
  })
}

export function setUserPassword(db: Db, scope: Scope, id: number, passwordHash: string): void {
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash, updatedAt: new Date().toISOString() }).where(eq(users.id, id)).run()
    endAllSessions(tx, id)
    // The hash itself never goes into the log.
    recordAudit(db, { actor: actorOf(scope), action: 'user_password_reset', entity: 'user', entityId: id })
  })
}

export function listAgencies(db: Db) {
  return db
    .select({
      id: agencies.id,
      name: agencies.name,
      shortName: agencies.shortName,
      type: agencies.type,
      active: agencies.active,
      users: sql<number>`(select count(*) from ${users} where ${users.agencyId} = ${agencies.id})`,
    })
    .from(agencies)
    .orderBy(asc(agencies.name))
    .all()
}

export function agencyOptions(db: Db) {
  return db
    .select({ id: agencies.id, name: agencies.name })
    .from(agencies)
    .where(eq(agencies.active, true))
    .orderBy(asc(agencies.name))
    .all()
}

/** The whole user row for an email address (signing in checks its password hash). */
export function userByEmail(db: Db, email: string) {
  return db.select().from(users).where(eq(users.email, email)).get()
}

/** The scope a user acts with, found by email: for the demo seeds and tests that act as a user. */
export function scopeOfUser(db: Db, email: string): Scope {
  const u = userByEmail(db, email)
  if (!u) throw new Error(`no user ${email}`)
  return { userId: u.id, email: u.email, displayName: u.displayName, role: u.role, agencyId: u.agencyId }
}
