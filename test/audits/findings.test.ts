// The rules of findings and actions: who may move what where, overdue in working days (across
// bank holidays), due soon, and the carry-forward verdict from a later round.
import t from 'tap'
import {
  actionTiming,
  agencyMaySee,
  canAddAction,
  canRecordProgress,
  carryForward,
  checkCloseAction,
  checkFindingMove,
  findingMoves,
  findingStatuses,
  initialStatus,
  isOverseer,
  movesFor,
  type Actor,
  type FindingStatus,
} from '../../audits/findings.ts'

const moderator: Actor = { role: 'moderator', ownAgency: false }
const admin: Actor = { role: 'admin', ownAgency: false }
const lead: Actor = { role: 'agency', ownAgency: true }
const otherLead: Actor = { role: 'agency', ownAgency: false }
const advocate: Actor = { role: 'advocate', ownAgency: false }
const viewer: Actor = { role: 'viewer', ownAgency: false }
const auditor: Actor = { role: 'auditor', ownAgency: false }
const ready = { unclosedActions: 0, roundPublished: true }

t.test('who raises a finding, and in what status it starts', async (t) => {
  t.equal(initialStatus(moderator), 'draft')
  t.equal(initialStatus(admin), 'draft')
  t.equal(initialStatus(advocate), 'proposed', "the Victims' Advocate proposes")
  for (const a of [lead, otherLead, viewer, auditor]) t.equal(initialStatus(a), null, `${a.role} cannot raise one`)
  t.ok(isOverseer(moderator) && isOverseer(admin) && !isOverseer(lead) && !isOverseer(advocate))
})

t.test('the path of a finding, and who may take each step', async (t) => {
  const path: [FindingStatus, FindingStatus, Actor][] = [
    ['proposed', 'draft', moderator],
    ['proposed', 'declined', admin],
    ['draft', 'issued', moderator],
    ['issued', 'responded', lead],
    ['responded', 'accepted', moderator],
    ['responded', 'issued', admin],
    ['accepted', 'closed', moderator],
  ]
  for (const [from, to, who] of path) t.ok(checkFindingMove(who, from, to, ready).ok, `${who.role}: ${from} → ${to}`)
  t.equal(path.length, findingMoves.length, 'every move is one of these')

  // Overseers' moves are refused to everyone else, including the agency and the advocate.
  for (const who of [lead, otherLead, advocate, viewer, auditor]) {
    const d = checkFindingMove(who, 'draft', 'issued', ready)
    t.same(d, { ok: false, problem: 'Only a moderator or administrator can do this' }, `${who.role} cannot issue`)
    t.notOk(checkFindingMove(who, 'accepted', 'closed', ready).ok, `${who.role} cannot close`)
  }
  // Only the finding's own agency responds: not another agency, not a moderator.
  for (const who of [otherLead, moderator, admin, advocate]) {
    t.same(
      checkFindingMove(who, 'issued', 'responded', ready),
      { ok: false, problem: "Only the agency's lead can respond" },
      `${who.role} cannot respond`,
    )
  }
  // Skipping steps or going back where no move exists.
  t.match(checkFindingMove(moderator, 'draft', 'closed', ready), {
    ok: false,
    problem: 'A finding that is draft cannot become closed',
  })
  t.notOk(checkFindingMove(moderator, 'closed', 'issued', ready).ok, 'closed is final')
  t.notOk(checkFindingMove(moderator, 'declined', 'draft', ready).ok, 'declined is final')
  t.notOk(checkFindingMove(lead, 'issued', 'accepted', ready).ok, 'the agency cannot accept its own response')
})

t.test('issuing needs a published round; closing needs every action closed', async (t) => {
  t.same(checkFindingMove(moderator, 'draft', 'issued', { unclosedActions: 0, roundPublished: false }), {
    ok: false,
    problem: 'Publish the round before issuing its findings',
  })
  t.same(checkFindingMove(moderator, 'accepted', 'closed', { unclosedActions: 2, roundPublished: true }), {
    ok: false,
    problem: 'Close every action before closing the finding',
  })
  t.ok(
    checkFindingMove(moderator, 'responded', 'issued', { unclosedActions: 3, roundPublished: false }).ok,
    'asking for more is not issuing anew',
  )
})

t.test('moves offered on the page', async (t) => {
  t.same(
    movesFor(moderator, 'proposed').map((m) => m.to),
    ['draft', 'declined'],
  )
  t.same(
    movesFor(lead, 'issued').map((m) => m.to),
    ['responded'],
  )
  t.same(movesFor(otherLead, 'issued'), [])
  t.same(movesFor(moderator, 'issued'), [], 'the moderator waits for the agency')
  t.same(movesFor(viewer, 'responded'), [])
  t.same(
    movesFor(admin, 'responded').map((m) => m.needs),
    [null, 'reason'],
  )
})

t.test('what an agency may see', async (t) => {
  t.same(
    findingStatuses.filter((s) => agencyMaySee(s)),
    ['issued', 'responded', 'accepted', 'closed'],
  )
})

t.test('actions: adding, progress and closing', async (t) => {
  t.ok(canAddAction(moderator, 'draft'), 'moderators plan actions while drafting')
  t.notOk(canAddAction(lead, 'draft'), 'the agency sees nothing before issue')
  t.ok(canAddAction(lead, 'issued'), 'the agency proposes its action plan')
  t.notOk(canAddAction(otherLead, 'issued'))
  t.notOk(canAddAction(advocate, 'issued'))
  t.notOk(canAddAction(moderator, 'closed'))
  t.notOk(canAddAction(moderator, 'proposed'))

  t.ok(canRecordProgress(lead, 'accepted', 'in_progress'))
  t.ok(canRecordProgress(admin, 'issued', 'done'), 'reopened by a progress update')
  t.notOk(canRecordProgress(lead, 'accepted', 'closed'), 'a closed action takes no more updates')
  t.notOk(canRecordProgress(lead, 'closed', 'open'))
  t.notOk(canRecordProgress(moderator, 'draft', 'open'))
  t.notOk(canRecordProgress(otherLead, 'accepted', 'open'))
  t.notOk(canRecordProgress(viewer, 'accepted', 'open'))

  t.same(checkCloseAction(moderator, 'done'), { ok: true })
  t.same(checkCloseAction(lead, 'done'), {
    ok: false,
    problem: 'Only a moderator or administrator can close an action',
  })
  t.same(checkCloseAction(admin, 'in_progress'), { ok: false, problem: 'An action can be closed only once it is done' })
})

t.test('overdue in working days, across a bank holiday', async (t) => {
  // Due Thursday 17 April 2025; Good Friday (18th) and Easter Monday (21st) are bank holidays.
  t.same(actionTiming('2025-04-17', 'open', '2025-04-17'), { state: 'due_soon', daysLeft: 0 }, 'due today')
  t.same(
    actionTiming('2025-04-17', 'open', '2025-04-18'),
    { state: 'due_soon', daysLeft: 0 },
    'Good Friday: no working day has passed',
  )
  t.same(
    actionTiming('2025-04-17', 'in_progress', '2025-04-21'),
    { state: 'due_soon', daysLeft: 0 },
    'Easter Monday: still none',
  )
  t.same(
    actionTiming('2025-04-17', 'open', '2025-04-22'),
    { state: 'overdue', workingDaysOverdue: 1 },
    'Tuesday: one working day late',
  )
  t.same(actionTiming('2025-04-17', 'open', '2025-04-25'), { state: 'overdue', workingDaysOverdue: 4 })
  // Over a weekend alone.
  t.same(
    actionTiming('2025-03-07', 'open', '2025-03-09'),
    { state: 'due_soon', daysLeft: 0 },
    'a Friday deadline is not missed by Sunday',
  )
  t.same(actionTiming('2025-03-07', 'open', '2025-03-10'), { state: 'overdue', workingDaysOverdue: 1 })
  t.same(actionTiming('2025-04-17', 'done', '2025-06-01'), { state: 'finished' }, 'done actions are never overdue')
  t.same(actionTiming('2025-04-17', 'closed', '2025-06-01'), { state: 'finished' })
})

t.test('due within 14 days', async (t) => {
  t.same(actionTiming('2025-03-24', 'open', '2025-03-10'), { state: 'due_soon', daysLeft: 14 })
  t.same(actionTiming('2025-03-25', 'open', '2025-03-10'), { state: 'on_track' }, '15 days away')
})

t.test('carry-forward verdicts', async (t) => {
  const improved = carryForward({ successes: 4, n: 20 }, { successes: 18, n: 20 }, 'same')
  t.equal(improved.verdict, 'improved')
  t.equal(improved.difference?.toFixed(2), '0.70')
  t.ok((improved.lower ?? 0) > 0, 'the whole interval above zero')
  t.equal(improved.partial, false)
  t.equal(carryForward({ successes: 18, n: 20 }, { successes: 5, n: 20 }, 'equivalent').verdict, 'worsened')
  const unclear = carryForward({ successes: 6, n: 10 }, { successes: 3, n: 3 }, 'same')
  t.equal(unclear.verdict, 'no clear change', '60% to 100% on 3 cases is not enough to tell')
  t.ok((unclear.lower ?? 0) < 0 && (unclear.upper ?? 0) > 0)
  t.equal(
    carryForward({ successes: 4, n: 20 }, { successes: 18, n: 20 }, 'partial').partial,
    true,
    'a partial crosswalk match is flagged',
  )
  t.same(carryForward({ successes: 4, n: 20 }, { successes: 0, n: 0 }, 'same'), {
    verdict: 'not measured',
    difference: null,
    lower: null,
    upper: null,
    partial: false,
  })
  t.equal(carryForward({ successes: 0, n: 0 }, { successes: 3, n: 5 }, 'same').verdict, 'not measured')
  t.equal(
    carryForward({ successes: 4, n: 20 }, { successes: 18, n: 20 }, null).verdict,
    'not measured',
    'no counterpart item in the later edition',
  )
})
