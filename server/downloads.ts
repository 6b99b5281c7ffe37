// Files the browser saves rather than shows: CSV and XLSX exports.
import type { FastifyReply } from 'fastify'

export const CSV_TYPE = 'text/csv; charset=utf-8'
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * Sends `body` as a download named `name`. Not kept by any cache unless `shareable` (the same
 * for everyone, like a blank template): most exports hold what only this user may see.
 */
export function sendDownload(
  reply: FastifyReply,
  type: string,
  name: string,
  body: string | Buffer,
  { shareable = false } = {},
): FastifyReply {
  reply.header('Content-Type', type).header('Content-Disposition', `attachment; filename="${name}"`)
  if (!shareable) reply.header('Cache-Control', 'no-store')
  return reply.send(body)
}
