import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core'
import { agencies } from './agencies.ts'
import { findings } from './findings.ts'
import { users } from './users.ts'
import { observationKinds, observationRatings, observationSettings } from '../audits/vocabulary.ts'

/**
 * What the Victims' Advocate saw of a service: never a victim's name or contact details (the
 * free text passes the guard in audits/personal-data.ts). Private to its author until shared;
 * shared, it is read by the partnership and by the agency observed.
 */
export const observations = sqliteTable(
  'observations',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    observedOn: text().notNull(),
    /** The service or agency observed. */
    agencyId: integer()
      .notNull()
      .references(() => agencies.id),
    setting: text({ enum: observationSettings }).notNull(),
    kind: text({ enum: observationKinds }).notNull(),
    /** JSON array of QAF theme ids (audits/frameworks/types.ts), at least one. */
    themes: text().notNull(),
    /** JSON array of 2020 Code Right numbers (1–12) the observation touches. */
    rights: text().notNull(),
    wentWell: text().notNull(),
    couldImprove: text().notNull(),
    rating: text({ enum: observationRatings }).notNull(),
    followUp: text().notNull().default(''),
    /** When the advocate shared it; null while it is theirs alone. */
    sharedAt: text(),
    /** The finding it is evidence for, linked to or proposed from it. */
    findingId: integer().references(() => findings.id),
    createdAt: text().notNull(),
    updatedAt: text().notNull(),
  },
  (t) => [
    index('observations_author_date').on(t.authorId, t.observedOn),
    index('observations_agency_shared').on(t.agencyId, t.sharedAt),
  ],
)
