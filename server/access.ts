// The one access policy: which roles open which pages (by route), and what each role and agency
// sees inside them. The auth guard, the navigation and the queries all read it from here, so a
// link never shows to someone the server would refuse, and a new route without an entry is
// refused to everyone (test/server/access-table.test.ts fails until it has one).
import { roundStages, type Role, type RoundStage } from '../audits/vocabulary.ts'
import type { Scope } from './scope.ts'

/** 'public' for pages anyone may open, signed in or not; otherwise the roles allowed. */
export type Access = 'public' | readonly Role[]

const everyone: readonly Role[] = ['admin', 'auditor', 'moderator', 'agency', 'advocate', 'viewer']
const admin: readonly Role[] = ['admin']
/** Moderators see rounds (they second-mark and sign them off) but change nothing there. */
const roundReaders: readonly Role[] = ['admin', 'moderator']
/**
 * Case pages: read by admins and moderators, changed only by the allocated reviewer (an auditor,
 * or the Victims' Advocate in a commissioned-services dip sample, who opens only their own cases).
 */
const caseReaders: readonly Role[] = ['admin', 'auditor', 'moderator', 'advocate']
/** A worklist belongs to someone who reviews cases. */
const caseWorkers: readonly Role[] = ['auditor', 'moderator', 'advocate']
/** Returning a case is second-marking. */
const caseReturners: readonly Role[] = ['admin', 'moderator']
/** Who runs moderation: chooses the cases, reads the agreement, settles disagreements. */
const moderationLeads: readonly Role[] = ['admin', 'moderator']
/** Everyone but auditors, who mark cases and do not see the roll-ups (so they stay blind to them). */
const scoreReaders: readonly Role[] = ['admin', 'moderator', 'agency', 'advocate', 'viewer']
/** Roles that may see answers to individual cases; viewers and agencies see roll-ups only. */
const caseAnswerRoles: readonly Role[] = ['admin', 'auditor', 'moderator', 'advocate']
/** Of the roles that see scores, the ones that may also see the case answers behind a figure. */
const findingReaders: readonly Role[] = scoreReaders
/** Moderators and admins raise findings; the Victims' Advocate proposes them. */
const findingRaisers: readonly Role[] = ['admin', 'moderator', 'advocate']
/** Who moves a finding or its actions on (each move is checked further in audits/findings.ts). */
const findingWorkers: readonly Role[] = ['admin', 'moderator', 'agency']
const scoreCaseReaders: readonly Role[] = scoreReaders.filter((r) => caseAnswerRoles.includes(r))
/** Reported figures beside the audit: the partnership's overseers and board, and each agency its own. */
const reconciliationReaders: readonly Role[] = ['admin', 'moderator', 'viewer', 'agency']
/** An agency reports its own figures; nobody reports on another's behalf. */
const figureReporters: readonly Role[] = ['agency']
/** Who turns a reconciliation flag into a (draft) finding: those who raise findings directly. */
const flagRaisers: readonly Role[] = ['admin', 'moderator']
/** The Victims' Advocate records observations; what each reader sees of them is observationReach. */
const observationWriters: readonly Role[] = ['advocate']
/** Auditors mark cases blind to the advocate's judgements, as to the scores. */
const observationReaders: readonly Role[] = ['admin', 'moderator', 'agency', 'advocate', 'viewer']
/** The annual summary for the partnership board names every service observed: not for agencies. */
const boardSummaryReaders: readonly Role[] = ['admin', 'moderator', 'advocate', 'viewer']

/** Every route by `METHOD /url` as registered; HEAD follows GET. */
export const routeAccess: Readonly<Record<string, Access>> = {
  // Files and the ways in and out.
  'GET /assets/*': 'public',
  'GET /assets/govuk/*': 'public',
  'GET /assets/htmx/*': 'public',
  'GET /assets/app/*': 'public',
  'GET /assets/built/*': 'public',
  'GET /assets/fonts/*': 'public',
  'GET /health': 'public',
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'POST /sign-out': 'public',
  'GET /accessibility': 'public',
  'GET /privacy': 'public',
  'GET /': everyone,

  // Users and agencies.
  'GET /admin/users': admin,
  'GET /admin/users/new': admin,
  'POST /admin/users/new': admin,
  'GET /admin/users/:id': admin,
  'POST /admin/users/:id': admin,
  'POST /admin/users/:id/disable': admin,
  'POST /admin/users/:id/password': admin,
  'POST /admin/users/:id/unlock': admin,
  'GET /admin/agencies': admin,
  // The audit log names who did what to whom: admins only.
  'GET /admin/audit-log': admin,
  'GET /admin/audit-log/verify': admin,

  // Rounds: set-up, local time limits, sample, allocation and stages.
  'GET /rounds': roundReaders,
  'GET /rounds/new': admin,
  'POST /rounds/new': admin,
  'GET /rounds/:id': roundReaders,
  'GET /rounds/:id/edit': admin,
  'POST /rounds/:id/edit': admin,
  'GET /rounds/:id/overrides': roundReaders,
  'POST /rounds/:id/overrides': admin,
  'POST /rounds/:id/overrides/remove': admin,
  'GET /rounds/:id/planner': roundReaders,
  'POST /rounds/:id/draw': admin,
  'GET /rounds/:id/sample': roundReaders,
  'POST /rounds/:id/sample/extend': admin,
  'GET /rounds/:id/sample/:caseId/replace': admin,
  'POST /rounds/:id/sample/:caseId/replace': admin,
  'GET /rounds/:id/manifest.csv': roundReaders,
  'GET /rounds/:id/allocation': admin,
  'POST /rounds/:id/allocation/auto': admin,
  'POST /rounds/:id/allocation/reassign': admin,
  // Moderators sign a round off: the handler lets them publish from moderation and nothing else.
  'GET /rounds/:id/status/:to': roundReaders,
  'POST /rounds/:id/status/:to': roundReaders,

  // The population a round samples from, and the guide to its file.
  'GET /rounds/:id/population': admin,
  'POST /rounds/:id/population': admin,
  'GET /rounds/:id/population/jobs/:job': admin,
  'GET /rounds/:id/population/jobs/:job/problems.csv': admin,
  'GET /population/template.csv': roundReaders,
  'GET /population/columns': roundReaders,

  // Case review.
  'GET /worklist': caseWorkers,
  'GET /cases/:id': caseReaders,
  'POST /cases/:id': caseReaders,
  'POST /cases/:id/answers/:key': caseReaders,
  'POST /cases/:id/facts': caseReaders,
  'POST /cases/:id/complete': caseReaders,
  'POST /cases/:id/unusable': caseReaders,
  'POST /cases/:id/return': caseReturners,

  // Moderation: moderators (and admins) choose the cases to second-mark, read the agreement and
  // settle disagreements; admins allocate second markers; second markers (auditors and
  // moderators) have a moderation worklist; only the case's own auditor flags it as unsure.
  'GET /rounds/:id/moderation': moderationLeads,
  'POST /rounds/:id/moderation/add': moderationLeads,
  'POST /rounds/:id/moderation/:caseId/remove': moderationLeads,
  'POST /rounds/:id/moderation/:caseId/allocate': admin,
  'GET /rounds/:id/agreement': moderationLeads,
  'GET /rounds/:id/agreement.csv': moderationLeads,
  'GET /moderation/cases/:id': moderationLeads,
  'POST /moderation/cases/:id/resolve': moderationLeads,
  'POST /moderation/cases/:id/facts': moderationLeads,
  'GET /moderation': caseWorkers,
  'POST /cases/:id/unsure': ['auditor'],

  // Scores.
  'GET /scores': scoreReaders,
  'GET /scores/rounds/:id': scoreReaders,
  'GET /scores/rounds/:id/agencies/:agencyId': scoreReaders,
  'GET /scores/rounds/:id/agencies/:agencyId/items/:itemId': scoreCaseReaders,
  'GET /scores/rounds/:id/moj': scoreReaders,
  'GET /scores/rounds/:id/moj.csv': scoreReaders,
  'GET /scores/data-dictionary.csv': scoreReaders,
  'GET /scores/rounds/:id/export.csv': scoreReaders,
  'GET /scores/rounds/:id/export.xlsx': scoreReaders,
  'GET /scores/rounds/:id/report': scoreReaders,
  'GET /scores/trends': scoreReaders,
  'GET /scores/summary': scoreReaders,

  // Findings and their actions: read by everyone who reads scores but auditors; raised by
  // moderators and admins (the advocate proposes); worked on by the agency concerned.
  'GET /findings': findingReaders,
  'GET /findings/export.csv': findingReaders,
  'GET /findings/export.xlsx': findingReaders,
  'GET /findings/new': findingRaisers,
  'POST /findings/new': findingRaisers,
  'GET /findings/:id': findingReaders,
  'POST /findings/:id/status': findingWorkers,
  'POST /findings/:id/actions': findingWorkers,
  'GET /findings/actions/:id': findingReaders,
  'POST /findings/actions/:id/progress': findingWorkers,
  'POST /findings/actions/:id/close': findingWorkers,

  // Agency-reported figures and their reconciliation with the audit.
  'GET /reconciliation': reconciliationReaders,
  'GET /reconciliation/export.csv': reconciliationReaders,
  'POST /reconciliation/:id/finding': flagRaisers,
  'GET /reported-figures/new': figureReporters,
  'POST /reported-figures/new': figureReporters,
  'GET /reported-figures/upload': figureReporters,
  'POST /reported-figures/upload': figureReporters,
  'GET /reported-figures/template.csv': figureReporters,
  // The Victims' Advocate's observations: written by the advocate, private until shared, then
  // read by the partnership and the agency observed (observationReach below); their themes; the
  // annual summary for the partnership board; links to findings and proposals from them.
  'GET /observations': observationReaders,
  'GET /observations/new': observationWriters,
  'POST /observations/new': observationWriters,
  'GET /observations/themes': observationReaders,
  'GET /observations/summary': boardSummaryReaders,
  'GET /observations/summary.csv': boardSummaryReaders,
  'GET /observations/:id': observationReaders,
  'GET /observations/:id/edit': observationWriters,
  'POST /observations/:id/edit': observationWriters,
  'POST /observations/:id/share': observationWriters,
  'POST /observations/:id/link': observationWriters,
  'GET /observations/:id/propose': observationWriters,
  'POST /observations/:id/propose': observationWriters,
}

/** The policy for a route as registered, or undefined when the table has no entry. */
export function accessFor(method: string, url: string): Access | undefined {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`
  // Built assets are registered one route per fingerprinted file name, so they match by folder.
  if (key.startsWith('GET /assets/built/')) return routeAccess['GET /assets/built/*']
  return Object.hasOwn(routeAccess, key) ? routeAccess[key] : undefined
}

/** Whether a signed-in role may open the page at `GET url` (for links). */
export function mayOpen(role: Role, url: string): boolean {
  const access = accessFor('GET', url)
  return access === 'public' || (access?.includes(role) ?? false)
}

// --- what each role sees inside the pages it opens ---------------------------------------------

/** Rounds whose figures are the record: shown to every role that reads scores. */
export const publishedStages: readonly RoundStage[] = roundStages.filter((s) => s === 'published' || s === 'archived')

export function isPublished(stage: string): boolean {
  return (publishedStages as readonly string[]).includes(stage)
}

/** Admins and moderators follow a round through fieldwork; everyone else sees published ones. */
export function seesUnpublished(scope: Scope): boolean {
  return scope.role === 'admin' || scope.role === 'moderator'
}

/** The agency a query must be confined to, or null when the role may see every agency. */
export function agencyRestriction(scope: Scope): number | null {
  // An agency user with no agency must see nothing, never everything: -1 matches no row.
  return scope.role === 'agency' ? (scope.agencyId ?? -1) : null
}

/** Roles allowed to see answers to individual cases (viewers and agencies see roll-ups only). */
export function canSeeCaseAnswers(scope: Scope): boolean {
  return caseAnswerRoles.includes(scope.role)
}

/**
 * Which observations a user reads. An observation is its author's alone until shared; shared, it
 * is read by admins, moderators, viewers and advocates, and by the agency observed (its own
 * only). Auditors read none.
 */
export interface ObservationReach {
  /** The author whose observations this user reads shared or not (the advocate's own), or null. */
  authorId: number | null
  /** Whether shared observations are read at all. */
  shared: boolean
  /** Shared observations only of this agency, or null for every agency. */
  agencyId: number | null
}

export function observationReach(scope: Scope): ObservationReach {
  switch (scope.role) {
    case 'advocate':
      return { authorId: scope.userId, shared: true, agencyId: null }
    case 'admin':
    case 'moderator':
    case 'viewer':
      return { authorId: null, shared: true, agencyId: null }
    case 'agency':
      return { authorId: null, shared: true, agencyId: agencyRestriction(scope) }
    default:
      return { authorId: null, shared: false, agencyId: null }
  }
}

/** Only its author changes, shares or links an observation. */
export function mayChangeObservation(scope: Scope, authorId: number): boolean {
  return scope.role === 'advocate' && scope.userId === authorId
}
