// What a route's URL names by its `:id`, loaded before the handler runs: a preHandler finds it for
// the signed-in user and answers 404 when there is none they may see (or lets `refuse` answer, for
// a page that says why not); the handler then reads it with `of(request)`.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { idParam } from '../forms.ts'
import { sendNotFound } from '../plugins/errors.ts'

type Refuse<T> = (request: FastifyRequest, reply: FastifyReply, record: T) => FastifyReply | null

export function urlRecord<T>(find: (request: FastifyRequest, id: number) => T | null | undefined) {
  const loaded = new WeakMap<FastifyRequest, T>()
  return {
    /** The preHandler; `refuse` may answer instead once the record is found. */
    load(refuse?: Refuse<T>) {
      return async (request: FastifyRequest, reply: FastifyReply) => {
        const id = idParam(request.params)
        const record = id === null ? null : find(request, id)
        if (record == null) return sendNotFound(reply)
        const refused = refuse?.(request, reply, record)
        if (refused) return refused
        loaded.set(request, record)
      }
    },
    of: (request: FastifyRequest): T => loaded.get(request) as T,
  }
}
