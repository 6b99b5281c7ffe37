// Agency-reported figures and their reconciliation with the audit. Agency leads enter or upload
// their own agency's figures; admins, moderators and viewers read every agency's reconciliation,
// an agency lead only their own; admins and moderators turn a flag into a draft finding.
import { readFile, rm } from 'node:fs/promises'
import multipart from '@fastify/multipart'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { todayIso } from '../../../audits/calendar.ts'
import { editions, frameworks, mojMeasures } from '../../../audits/frameworks/index.ts'
import {
  MINIMUM_AUDITED,
  periodText,
  readReported,
  reconciliationLabels,
  type ReportedInput,
} from '../../../audits/reconciliation.ts'
import { accessFor, agencyRestriction } from '../../access.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import {
  addError,
  asBody,
  field,
  formError,
  idOf,
  idParam,
  noErrors,
  submittedValues,
  type FormErrors,
} from '../../forms.ts'
import type { Scope } from '../../scope.ts'
import { receiveUpload } from '../population/upload.ts'
import { wording } from '../../services/scores/figures.ts'
import { getReconciliation, listReconciliation, reportingAgencies } from '../../services/reconciliation/queries.ts'
import { reconciliationCsv } from './export.ts'
import {
  MAX_ROWS,
  readReportedUpload,
  reportedColumns,
  templateCsv,
  type UploadProblem,
} from '../../services/reconciliation/upload-csv.ts'
import { raiseFindingFromFlag, saveReportedFigure, saveReportedFigures } from '../../services/reconciliation/writes.ts'

/** Largest upload taken: a file of MAX_ROWS rows is well under it. */
const UPLOAD_LIMIT_BYTES = 512 * 1024

function measureGroups() {
  return [
    {
      label: 'Ministry of Justice measures',
      options: mojMeasures.map((m) => ({ value: `moj:${m.id}`, text: m.name })),
    },
    ...editions
      .slice()
      .reverse()
      .map((e) => ({
        label: `Items of the ${e} Code`,
        options: frameworks[e].items.map((i) => ({ value: `item:${i.id}`, text: `${i.id} ${i.title}` })),
      })),
  ]
}

function download(reply: FastifyReply, type: string, name: string, body: string) {
  return reply
    .header('Content-Type', type)
    .header('Content-Disposition', `attachment; filename="${name}"`)
    .header('Cache-Control', 'no-store')
    .send(body)
}

/** The month fields as YYYY-MM, or what was typed when it is not a month (the reader then says so). */
function monthFrom(body: unknown, name: string): string {
  const month = field(body, `${name}-month`).trim()
  const year = field(body, `${name}-year`).trim()
  if (month === '' && year === '') return ''
  return /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year) ? `${year}-${month.padStart(2, '0')}` : `${year}-${month}?`
}

/** Whether the access table lets this user make the request (to offer only what will work). */
function allowed(scope: Scope, method: string, url: string): boolean {
  const access = accessFor(method, url)
  return access === 'public' || (access?.includes(scope.role) ?? false)
}

/** Whom the reconciliation shows: an agency lead their own agency, others a chosen one or all. */
function filterFrom(scope: Scope, query: unknown) {
  const q = asBody(query)
  const own = agencyRestriction(scope)
  return {
    agencyId: own ?? idOf(q.agency),
    flaggedOnly: field(q, 'flagged') === '1',
  }
}

const reconciliationRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db
  // Registered here, not app-wide: only the upload takes a multipart body, read as the
  // population import reads its file (the form's CSRF token first, then the file).
  await app.register(multipart, {
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 10 },
  })

  const listPage = (reply: FastifyReply, scope: Scope, query: unknown, errors?: FormErrors, status = 200) => {
    const filter = filterFrom(scope, query)
    const rows = listReconciliation(db, scope, filter)
    return reply.render(
      'reconciliation/index',
      {
        rows,
        filter,
        ownOnly: agencyRestriction(scope) !== null,
        agencies: agencyRestriction(scope) === null ? reportingAgencies(db, scope) : [],
        canRaise: allowed(scope, 'POST', '/reconciliation/:id/finding'),
        canReport: allowed(scope, 'POST', '/reported-figures/new'),
        labels: reconciliationLabels,
        minimum: MINIMUM_AUDITED,
        periodText,
        errors,
        f: wording,
      },
      { fragment: 'reconciliation/_table', status },
    )
  }

  app.get('/reconciliation', async (request, reply) => listPage(reply, scopeOf(request), request.query))

  app.get('/reconciliation/export.csv', async (request, reply) => {
    const scope = scopeOf(request)
    const rows = listReconciliation(db, scope, filterFrom(scope, request.query))
    return download(reply, 'text/csv; charset=utf-8', 'reconciliation.csv', reconciliationCsv(rows))
  })

  app.post('/reconciliation/:id/finding', async (request, reply) => {
    const scope = scopeOf(request)
    const id = idParam(request.params)
    const row = id === null ? undefined : getReconciliation(db, scope, id)
    if (!row) return sendNotFound(reply)
    const raised = raiseFindingFromFlag(db, scope, row)
    // Out of turn (raised already, or not flagged): the list again, saying why.
    if (!raised.ok) return listPage(reply, scope, {}, formError(raised.problem, `raise-${row.id}`), 409)
    reply.flash('Draft finding raised from the reported figure: check it and issue it to the agency')
    return reply.redirect(`/findings/${raised.findingId}`, 303)
  })

  // --- an agency lead's own figures ---------------------------------------------------------

  const newPage = (reply: FastifyReply, values: Record<string, string>, errors?: FormErrors, status = 200) =>
    reply.render('reconciliation/new', { measureGroups: measureGroups(), values, errors }, { status })

  app.get('/reported-figures/new', async (_request, reply) => newPage(reply, {}))

  app.post('/reported-figures/new', async (request, reply) => {
    const scope = scopeOf(request)
    if (scope.agencyId === null) return sendNotFound(reply)
    const body = request.body
    const input: ReportedInput = {
      measure: field(body, 'measure'),
      from: monthFrom(body, 'from'),
      to: monthFrom(body, 'to'),
      percent: field(body, 'percent'),
      cases: field(body, 'cases'),
    }
    const read = readReported(input, todayIso())
    if (!read.ok) {
      const errors = noErrors()
      for (const p of read.problems) addError(errors, p.field, p.message)
      return newPage(reply, submittedValues(body), errors, 400)
    }
    saveReportedFigure(db, scope, scope.agencyId, read.figure)
    reply.flash(
      `Figure saved: ${read.figure.measure.name}, ${periodText(read.figure.periodFrom, read.figure.periodTo)}`,
    )
    return reply.redirect('/reconciliation', 303)
  })

  const uploadPage = (
    reply: FastifyReply,
    extra: { errors?: FormErrors; problems?: UploadProblem[] } = {},
    status = 200,
  ) =>
    reply.render(
      'reconciliation/upload',
      { columns: reportedColumns, maxRows: MAX_ROWS, mojMeasures, ...extra },
      { status },
    )

  const tooLarge = (reply: FastifyReply) =>
    uploadPage(
      reply.header('Connection', 'close'),
      { errors: formError(`The file must be smaller than ${UPLOAD_LIMIT_BYTES / 1024} KB`, 'file') },
      413,
    )

  app.get('/reported-figures/upload', async (_request, reply) => uploadPage(reply))

  app.get('/reported-figures/template.csv', async (_request, reply) =>
    download(reply, 'text/csv; charset=utf-8', 'reported-figures-template.csv', templateCsv()),
  )

  app.post('/reported-figures/upload', { config: { csrf: 'manual' } }, async (request, reply) => {
    const scope = scopeOf(request)
    if (scope.agencyId === null) return sendNotFound(reply)
    const noFile = () => uploadPage(reply, { errors: formError('Select a CSV file of reported figures', 'file') }, 400)
    // A declared size well over the limit is refused before a byte of it is read.
    if (Number(request.headers['content-length'] ?? 0) > UPLOAD_LIMIT_BYTES * 2) return tooLarge(reply)
    if (!request.isMultipart()) return noFile()
    const received = await receiveUpload(app, request, reply)
    if (received.kind === 'forbidden') return reply
    if (received.kind === 'too-large') return tooLarge(reply)
    if (received.kind === 'malformed')
      return uploadPage(
        reply,
        { errors: formError('The file did not arrive in full. Select the file and try again', 'file') },
        400,
      )
    if (received.kind === 'no-file') return noFile()
    const bytes = await readFile(received.upload.path).finally(() => rm(received.upload.path, { force: true }))
    if (bytes.length === 0) return noFile()
    const reading = await readReportedUpload(bytes, todayIso())
    if (!reading.ok) {
      const n = reading.problems.length
      return uploadPage(
        reply,
        {
          errors: formError(
            `The file has ${n === 1 ? '1 problem' : `${n.toLocaleString('en-GB')} problems`}: nothing was saved. ` +
              'Correct the file and upload it again',
            'file',
          ),
          problems: reading.problems,
        },
        400,
      )
    }
    saveReportedFigures(db, scope, scope.agencyId, reading.figures)
    const n = reading.figures.length
    reply.flash(`${n === 1 ? '1 figure' : `${n.toLocaleString('en-GB')} figures`} saved from the file`)
    return reply.redirect('/reconciliation', 303)
  })
}

export default reconciliationRoutes
