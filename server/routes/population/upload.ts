// Reads a multipart population upload: the CSRF field first, then the file, streamed to a
// temporary file and hashed on the way (never held in memory).
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { saveAndHash } from '../../population/file-hash.ts'

export interface SavedUpload {
  path: string
  fileName: string
  bytes: number
  sha256: string
}

export type UploadResult =
  | { kind: 'saved'; upload: SavedUpload; outsidePeriod: 'stop' | 'drop' }
  /** The CSRF check failed and its 403 page is already on its way. */
  | { kind: 'forbidden' }
  | { kind: 'no-file' }
  | { kind: 'too-large' }
  /** The body was not well-formed multipart (no boundary, cut off): the sender's problem, not ours. */
  | { kind: 'malformed' }

/** Runs the app's CSRF check on the token from the form; false when it has sent the 403. */
function csrfPasses(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): boolean {
  let passed = false
  // csrfProtection is synchronous: it either calls next or sends the error itself.
  app.csrfProtection(request, reply, () => {
    passed = true
  })
  return passed
}

function uploadName(raw: string): string {
  // Browsers send a bare name; some old ones a full path. Keep it short and printable.
  const name = basename(raw.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
  return (name || 'population.csv').slice(0, 200)
}

export async function receiveUpload(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<UploadResult> {
  let csrfChecked = false
  let saved: SavedUpload | null = null
  let tooLarge = false
  // The form's choice for cases outside the round's period; anything but "drop" stops.
  let outsidePeriod: 'stop' | 'drop' = 'stop'
  const discard = async () => {
    if (saved) await rm(saved.path, { force: true })
    saved = null
  }
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf' && typeof part.value === 'string' && !csrfChecked) {
          request.csrfTokenFromForm = part.value
          if (!csrfPasses(app, request, reply)) return { kind: 'forbidden' }
          csrfChecked = true
        }
        if (part.fieldname === 'outside_period' && part.value === 'drop') outsidePeriod = 'drop'
        continue
      }
      // The form puts its token before the file: a file without one is not read at all.
      if (!csrfChecked) {
        part.file.resume()
        if (!csrfPasses(app, request, reply)) return { kind: 'forbidden' }
        csrfChecked = true
      }
      if (part.fieldname !== 'file' || saved || tooLarge || !part.filename) {
        part.file.resume()
        continue
      }
      const path = join(tmpdir(), `qaf-upload-${randomBytes(12).toString('hex')}.csv`)
      const { bytes, sha256 } = await saveAndHash(part.file, path)
      saved = { path, fileName: uploadName(part.filename), bytes, sha256 }
      if (part.file.truncated) {
        tooLarge = true
        await discard()
      }
    }
  } catch (err) {
    await discard()
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return { kind: 'too-large' }
    if (isMalformedMultipart(err)) return { kind: 'malformed' }
    throw err
  }
  if (!csrfChecked && !csrfPasses(app, request, reply)) return { kind: 'forbidden' }
  if (tooLarge) return { kind: 'too-large' }
  if (!saved) return { kind: 'no-file' }
  return { kind: 'saved', upload: saved, outsidePeriod }
}

// busboy's words for a body that is not the multipart it claims to be; anything else (a full disk)
// is a real failure and stays a 500.
const MALFORMED_MULTIPART = new RegExp(
  `^(${[
    'Multipart: Boundary not found',
    'Unexpected end of (multipart data|form)',
    'Malformed part header',
    'Malformed content type',
  ].join('|')})`,
)

function isMalformedMultipart(err: unknown): boolean {
  return MALFORMED_MULTIPART.test(err instanceof Error ? err.message : '')
}
