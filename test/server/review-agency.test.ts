// Whose score an answer counts towards: the agency the case names for the item's type, else the
// round's one agency of that type, else nobody.
import t from 'tap'
import { openDatabase } from '../../schema/database.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import {
  addPopulationCase,
  agencyIdOf,
  allocateCase,
  burglary,
  createRound,
  setTimeLimitOverride,
  userIdOf,
} from '../fixtures/review.ts'
import {
  agencyChoices,
  choiceNameFor,
  findNamedAgency,
  resolveResponsibleAgency,
} from '../../audits/responsible-agency.ts'
import { findCase, loadRoundSettings } from '../../server/services/review/queries.ts'

async function directoryFor(agencies?: string[]) {
  const db = openDatabase(':memory:')
  await loadDemoData(db)
  const roundId = createRound(db, agencies ? { agencies } : {})
  return { db, dir: loadRoundSettings(db, roundId).directory }
}

t.test('the round marks which agencies are in scope', async (t) => {
  const { dir } = await directoryFor(['Constabulary', 'CPS'])
  t.same(
    dir
      .filter((a) => a.inRound)
      .map((a) => a.shortName)
      .sort(),
    ['CPS', 'Constabulary'],
  )
  t.same(
    agencyChoices(dir)
      .map((a) => a.shortName)
      .sort(),
    ['CPS', 'Constabulary'],
    'events may name the round\u2019s agencies',
  )
  const { dir: none } = await directoryFor([])
  t.equal(agencyChoices(none).length, 9, 'a round naming none offers every active agency')
})

t.test('a reference finds an agency by name, short name or type', async (t) => {
  const { db, dir } = await directoryFor()
  t.equal(findNamedAgency(dir, 'Cumbria Constabulary')?.id, agencyIdOf(db, 'Constabulary'))
  t.equal(findNamedAgency(dir, ' witness care ')?.id, agencyIdOf(db, 'Witness Care'))
  t.equal(
    findNamedAgency(dir, 'probation')?.id,
    agencyIdOf(db, 'Probation'),
    'a type means the round\u2019s agency of it',
  )
  t.equal(findNamedAgency(dir, 'other'), null, 'two agencies of type other: no guess')
  t.equal(findNamedAgency(dir, ''), null)
  t.equal(findNamedAgency(dir, null), null)
  t.equal(findNamedAgency(dir, 'Nobody'), null)
  t.equal(choiceNameFor(agencyChoices(dir), dir, 'YOS'), 'Cumbria Youth Offending Service')
  t.equal(choiceNameFor(agencyChoices(dir), dir, 'Nobody'), '')
})

t.test('resolution order: trigger event, other events, case file, round', async (t) => {
  const { db, dir } = await directoryFor()
  const bridgeway = agencyIdOf(db, 'Bridgeway')
  const remedi = agencyIdOf(db, 'Remedi')
  t.equal(
    resolveResponsibleAgency(dir, 'other', { trigger: 'Remedi', events: ['Bridgeway'], caseFile: 'Bridgeway' }),
    remedi,
    'the triggering event first',
  )
  t.equal(
    resolveResponsibleAgency(dir, 'other', { trigger: null, events: [undefined, 'Bridgeway', 'Remedi'] }),
    bridgeway,
    'then the first event naming one',
  )
  t.equal(
    resolveResponsibleAgency(dir, 'other', { events: [], caseFile: 'Remedi' }),
    remedi,
    'then the agency holding the file',
  )
  t.equal(
    resolveResponsibleAgency(dir, 'police', { trigger: 'Bridgeway', events: ['CPS'], caseFile: 'HMCTS' }),
    agencyIdOf(db, 'Constabulary'),
    'named agencies of another type do not count; the round\u2019s police do',
  )
  t.equal(resolveResponsibleAgency(dir, 'other', { events: [] }), null, 'ambiguous and unnamed: nobody')
  const { dir: policeOnly } = await directoryFor(['Constabulary'])
  t.equal(resolveResponsibleAgency(policeOnly, 'cps', { events: [] }), null, 'no CPS in the round: nobody')
  t.equal(
    resolveResponsibleAgency(policeOnly, 'cps', { events: ['CPS'] }),
    agencyIdOf(db, 'CPS'),
    'a named agency counts even outside the round',
  )
})

t.test('a case carries its round\u2019s directory and time limit changes, as the round gives them', async (t) => {
  const db = openDatabase(':memory:')
  await loadDemoData(db)
  const roundId = createRound(db, { agencies: ['Constabulary', 'CPS'] })
  setTimeLimitOverride(db, roundId, 'R6.1', 3, 2)
  setTimeLimitOverride(db, roundId, 'NO-SUCH-ITEM', 3, 2)
  setTimeLimitOverride(db, roundId, 'R5.1', 0, null)
  const caseId = allocateCase(db, roundId, addPopulationCase(db, roundId, burglary))
  const admin = {
    userId: userIdOf(db, 'admin@qaf.example'),
    email: 'admin@qaf.example',
    displayName: 'Admin',
    role: 'admin' as const,
    agencyId: null,
  }
  const rec = findCase(db, admin, caseId)
  const settings = loadRoundSettings(db, roundId)
  t.same(rec?.directory, settings.directory)
  t.same(rec?.overrides, settings.overrides)
  t.same(
    settings.directory.map((a) => a.name),
    [...settings.directory.map((a) => a.name)].sort(),
    'agencies in name order',
  )
  t.same(
    settings.directory
      .filter((a) => a.inRound)
      .map((a) => a.shortName)
      .sort(),
    ['CPS', 'Constabulary'],
  )
  t.ok(settings.directory.every((a) => typeof a.active === 'boolean' && typeof a.inRound === 'boolean'))
  t.same(
    settings.overrides,
    { 'R6.1': { standard: 3, enhanced: 2 } },
    'unknown items and limits under a day are left out',
  )
  t.same(
    loadRoundSettings(db, 999_999),
    { framework: 'victims_code', directory: [], overrides: {} },
    'no such round: nothing',
  )
})
