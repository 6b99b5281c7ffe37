import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core'
import { agencies } from './agencies.ts'
import { rounds } from './rounds.ts'
import { users } from './users.ts'

// The lists live in the domain core (audits/findings.ts), which owns the rules about them.
import { actionStatuses, findingStatuses, severities } from '../audits/findings.ts'

/**
 * A finding: what an audit round showed about one agency, the evidence it rests on (a snapshot
 * of the scores when it was raised, and the sampled cases by pseudonymised reference) and what
 * the agency should do about it.
 */
export const findings = sqliteTable(
  'findings',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    roundId: integer()
      .notNull()
      .references(() => rounds.id),
    agencyId: integer()
      .notNull()
      .references(() => agencies.id),
    title: text().notNull(),
    /** JSON array of framework item ids (the items, and through them the Rights, concerned). */
    itemIds: text().notNull(),
    /** JSON array of EvidenceFigure: each item's score when the finding was raised. */
    evidence: text().notNull(),
    /** JSON array of pseudonymised case references from the round's sample. */
    caseRefs: text().notNull(),
    severity: text({ enum: severities }).notNull(),
    recommendation: text().notNull(),
    status: text({ enum: findingStatuses }).notNull(),
    declineReason: text(),
    /** Why a moderator asked the agency for a fuller response (shown to the agency). */
    returnReason: text(),
    response: text(),
    respondedAt: text(),
    raisedBy: integer().references(() => users.id),
    createdAt: text().notNull(),
    updatedAt: text().notNull(),
  },
  (t) => [index('findings_agency_status').on(t.agencyId, t.status), index('findings_round').on(t.roundId)],
)

/** What an agency will do about a finding, by when; closed only by a moderator or admin. */
export const findingActions = sqliteTable(
  'finding_actions',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    findingId: integer()
      .notNull()
      .references(() => findings.id),
    /** Always the finding's agency for now: a joint action would show one agency's finding to another. */
    ownerAgencyId: integer()
      .notNull()
      .references(() => agencies.id),
    description: text().notNull(),
    dueDate: text().notNull(),
    status: text({ enum: actionStatuses }).notNull().default('open'),
    createdBy: integer().references(() => users.id),
    createdAt: text().notNull(),
    updatedAt: text().notNull(),
  },
  (t) => [
    index('finding_actions_finding').on(t.findingId),
    index('finding_actions_owner_status').on(t.ownerAgencyId, t.status),
  ],
)

/** A dated note of progress on an action, kept in full (never edited). */
export const actionUpdates = sqliteTable(
  'action_updates',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    actionId: integer()
      .notNull()
      .references(() => findingActions.id),
    /** The day the progress was made, as the agency gives it. */
    on: text().notNull(),
    note: text().notNull(),
    statusAfter: text({ enum: actionStatuses }).notNull(),
    byUserId: integer().references(() => users.id),
    createdAt: text().notNull(),
  },
  (t) => [index('action_updates_action').on(t.actionId)],
)
