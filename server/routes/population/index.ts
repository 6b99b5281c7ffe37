import { CSV_TYPE, sendDownload } from '../../downloads.ts'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import multipart from '@fastify/multipart'
import { rm } from 'node:fs/promises'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { formError, idParam } from '../../forms.ts'
import { importPopulation } from '../../population/importer.ts'
import { ImportJobs, type ImportJob } from '../../population/jobs.ts'
import { PROBLEMS_SHOWN, problemsCsv } from '../../population/problems.ts'
import { replaceRefusal, roundPopulationState, type RoundPopulationState } from '../../population/round-state.ts'
import { columnGuide, templateCsv } from './guide.ts'
import { receiveUpload } from './upload.ts'

export const DEFAULT_UPLOAD_LIMIT_BYTES = 250 * 1024 * 1024

export interface PopulationRoutesOptions {
  /** Largest file accepted (UPLOAD_LIMIT_MB); 250 MB when not given. */
  uploadLimitBytes?: number
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024)).toLocaleString('en-GB')} MB`
}

const populationRoutes: FastifyPluginAsync<PopulationRoutesOptions> = async (app, opts) => {
  const limit = opts.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES
  // Registered here, not app-wide: only this plugin's routes take multipart bodies.
  await app.register(multipart, { limits: { fileSize: limit, files: 1, fields: 5, fieldSize: 1000, parts: 10 } })
  const jobs = new ImportJobs((err, job) =>
    app.log.error({ err, roundId: job.roundId, job: job.id }, 'population import failed'),
  )

  const importPage = (
    reply: FastifyReply,
    round: RoundPopulationState,
    extra: Record<string, unknown> = {},
    status = 200,
  ) =>
    reply.render(
      'population/import',
      {
        round,
        refusal: replaceRefusal(round),
        running: jobs.runningFor(round.id) ?? null,
        limitText: megabytes(limit),
        ...extra,
      },
      { status },
    )

  app.get('/rounds/:id/population', async (request, reply) => {
    const round = roundPopulationState(app.db, idParam(request.params) ?? 0)
    if (!round) return sendNotFound(reply)
    return importPage(reply, round)
  })

  app.post('/rounds/:id/population', { config: { csrf: 'manual' } }, async (request, reply) => {
    const round = roundPopulationState(app.db, idParam(request.params) ?? 0)
    if (!round) return sendNotFound(reply)
    const tooLarge = () =>
      importPage(
        reply.header('Connection', 'close'),
        round,
        { errors: formError(`The file must be smaller than ${megabytes(limit)}`, 'file') },
        413,
      )
    // A declared size over the limit is refused before a byte of it is read.
    if (Number(request.headers['content-length'] ?? 0) > limit + 1024 * 1024) return tooLarge()
    if (!request.isMultipart()) return importPage(reply, round, { errors: formError('Select a CSV file', 'file') }, 400)

    const received = await receiveUpload(app, request, reply)
    if (received.kind === 'forbidden') return reply
    if (received.kind === 'too-large') return tooLarge()
    if (received.kind === 'malformed')
      return importPage(
        reply,
        round,
        { errors: formError('The file did not arrive in full. Select the file and try again', 'file') },
        400,
      )
    if (received.kind === 'no-file')
      return importPage(reply, round, { errors: formError('Select a CSV file', 'file') }, 400)
    const { upload } = received
    if (jobs.runningFor(round.id)) {
      await rm(upload.path, { force: true })
      return importPage(
        reply,
        round,
        {
          errors: formError(
            'An import into this round is still running: wait for it to finish, then try again',
            'file',
          ),
        },
        409,
      )
    }
    const scope = scopeOf(request)
    const job = jobs.start(
      { roundId: round.id, fileName: upload.fileName, bytes: upload.bytes },
      (onProgress) =>
        importPopulation(app.db, {
          path: upload.path,
          fileName: upload.fileName,
          sha256: upload.sha256,
          target: { roundId: round.id },
          actor: { id: scope.userId, email: scope.email },
          outsidePeriod: received.outsidePeriod,
          onProgress,
        }),
      () => rm(upload.path, { force: true }),
    )
    return reply.redirect(`/rounds/${round.id}/population/jobs/${job.id}`, 303)
  })

  const jobFor = (params: unknown): { round: RoundPopulationState; job: ImportJob } | null => {
    const round = roundPopulationState(app.db, idParam(params) ?? 0)
    const id = (params as { job?: unknown }).job
    const job = typeof id === 'string' ? jobs.get(id) : undefined
    return round && job && job.roundId === round.id ? { round, job } : null
  }

  app.get('/rounds/:id/population/jobs/:job', async (request, reply) => {
    const found = jobFor(request.params)
    if (!found) return sendNotFound(reply)
    const { round, job } = found
    // The polling fragment, once the job is done, asks for the whole page: it has the result.
    if (job.finishedAt && request.headers['hx-request'] === 'true' && request.headers['hx-boosted'] !== 'true') {
      return reply.header('HX-Refresh', 'true').code(200).send('')
    }
    const outcome = job.outcome
    const messages = job.failed
      ? ['Sorry, the import could not be finished. Nothing was imported. Try again later.']
      : outcome?.kind === 'refused'
        ? outcome.messages
        : outcome?.kind === 'problems'
          ? [
              `The file has ${outcome.count.toLocaleString('en-GB')} ` +
                `${outcome.count === 1 ? 'problem' : 'problems'}. Nothing was imported.`,
            ]
          : []
    const href = outcome?.kind === 'problems' ? '#problems' : '#result'
    const errors = messages.length > 0 ? { summary: messages.map((text) => ({ text, href })), fields: {} } : undefined
    return reply.render(
      'population/job',
      { round, job, outcome, errors, shown: PROBLEMS_SHOWN },
      { fragment: 'population/_job-status' },
    )
  })

  app.get('/rounds/:id/population/jobs/:job/problems.csv', async (request, reply) => {
    const found = jobFor(request.params)
    if (found?.job.outcome?.kind !== 'problems') return sendNotFound(reply)
    return sendDownload(
      reply,
      CSV_TYPE,
      `population-problems-round-${found.round.id}.csv`,
      problemsCsv(found.job.outcome.problems),
    )
  })

  app.get('/population/template.csv', async (_request, reply) => {
    return sendDownload(reply, CSV_TYPE, 'population-template.csv', templateCsv(), { shareable: true })
  })

  app.get('/population/columns', async (_request, reply) => {
    return reply.render('population/columns', { guide: columnGuide() })
  })
}

export default populationRoutes
