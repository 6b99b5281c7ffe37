import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { roles } from '../../../schema/index.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { addError, formError, idParam, parseForm, requiredText, submittedValues, type FormErrors } from '../../forms.ts'
import { hashPassword, isCommonPassword, MIN_PASSWORD_LENGTH } from '../../passwords.ts'
import { roleLabels } from '../../labels.ts'
import { recordAudit, verifyAuditChain } from '../../audit-log.ts'
import {
  filterQuery,
  filterValues,
  findEntries,
  knownValues,
  parseFilter,
  codeLabel,
} from '../../services/admin/audit-log-queries.ts'
import {
  agencyOptions,
  createUser,
  emailTaken,
  getUser,
  listAgencies,
  listUsers,
  setUserDisabled,
  setUserPassword,
  updateUser,
} from '../../services/admin/users-queries.ts'

const userSchema = z
  .object({
    displayName: requiredText(100, 'Enter a name', 'Name must be 100 characters or fewer'),
    email: z
      .email({ error: 'Enter an email address in the correct format, like name@example.org' })
      .trim()
      .toLowerCase(),
    role: z.enum(roles, { error: 'Select a role' }),
    agencyId: z
      .string()
      .optional()
      .transform((v) => (v ? Number(v) : null))
      .pipe(z.number().int().positive().nullable()),
  })
  .superRefine((u, ctx) => {
    if ((u.role === 'agency' || u.role === 'auditor') && u.agencyId === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['agencyId'],
        message: u.role === 'agency' ? 'Select the agency this person leads for' : "Select the auditor's home agency",
      })
    }
  })

const passwordField = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { error: `Password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(200, { error: 'Password must be 200 characters or fewer' })
  .refine((p) => !isCommonPassword(p), {
    error: 'Choose a password that is harder to guess: this one is on the list of passwords attackers try first',
  })

const newUserSchema = z.intersection(userSchema, z.object({ password: passwordField }))
const passwordSchema = z.object({ password: passwordField })

const adminRoutes: FastifyPluginAsync = async (app) => {
  const roleOptions = roles.map((r) => ({ value: r, text: roleLabels[r] }))
  const formData = (extra: Record<string, unknown>) => {
    const account = extra.account as { email: string } | undefined
    return {
      roleOptions,
      agencies: agencyOptions(app.db),
      heldSources: account ? app.signInThrottle.heldSources(account.email) : 0,
      ...extra,
    }
  }

  // Only the agencies the form offers: an id typed into the request must not reach the database.
  const agencyAvailable = (id: number | null) => id === null || agencyOptions(app.db).some((a) => a.id === id)

  app.get('/users', async (_request, reply) => {
    return reply.render('admin/users', { users: listUsers(app.db) })
  })

  app.get('/users/new', async (_request, reply) => {
    return reply.render('admin/user-form', formData({ values: {}, isNew: true }))
  })

  app.post('/users/new', async (request, reply) => {
    const form = parseForm(newUserSchema, request.body)
    const values = submittedValues(request.body)
    const errors: FormErrors | undefined = form.ok ? undefined : form.errors
    if (form.ok && !agencyAvailable(form.data.agencyId)) {
      return reply.render(
        'admin/user-form',
        formData({ values, isNew: true, errors: formError('Select an agency from the list', 'agencyId') }),
        { status: 400 },
      )
    }
    if (form.ok && emailTaken(app.db, form.data.email)) {
      const e = { summary: [], fields: {} }
      addError(e, 'email', 'A user with this email address already exists')
      return reply.render('admin/user-form', formData({ values, isNew: true, errors: e }), { status: 400 })
    }
    if (!form.ok) return reply.render('admin/user-form', formData({ values, isNew: true, errors }), { status: 400 })
    const { password, ...input } = form.data
    createUser(app.db, scopeOf(request), input, await hashPassword(password))
    return reply.flash(`Created ${input.email}`).redirect('/admin/users', 303)
  })

  app.get('/users/:id', async (request, reply) => {
    const user = getUser(app.db, idParam(request.params) ?? 0)
    if (!user) return sendNotFound(reply)
    return reply.render(
      'admin/user-form',
      formData({ account: user, values: { ...user, agencyId: user.agencyId ? String(user.agencyId) : '' } }),
    )
  })

  app.post('/users/:id', async (request, reply) => {
    const user = getUser(app.db, idParam(request.params) ?? 0)
    if (!user) return sendNotFound(reply)
    const form = parseForm(userSchema, request.body)
    const values = submittedValues(request.body)
    if (!form.ok)
      return reply.render('admin/user-form', formData({ account: user, values, errors: form.errors }), { status: 400 })
    if (!agencyAvailable(form.data.agencyId)) {
      return reply.render(
        'admin/user-form',
        formData({ account: user, values, errors: formError('Select an agency from the list', 'agencyId') }),
        { status: 400 },
      )
    }
    if (emailTaken(app.db, form.data.email, user.id)) {
      const e = { summary: [], fields: {} }
      addError(e, 'email', 'A user with this email address already exists')
      return reply.render('admin/user-form', formData({ account: user, values, errors: e }), { status: 400 })
    }
    updateUser(app.db, scopeOf(request), user.id, form.data)
    return reply.flash(`Saved ${form.data.email}`).redirect('/admin/users', 303)
  })

  app.post('/users/:id/disable', async (request, reply) => {
    const scope = scopeOf(request)
    const user = getUser(app.db, idParam(request.params) ?? 0)
    if (!user) return sendNotFound(reply)
    // The form says which state it wants, so a repeated submit cannot flip the account back.
    const wanted = z.object({ disabled: z.enum(['true', 'false']) }).safeParse(request.body)
    if (!wanted.success) {
      return reply.render(
        'admin/user-form',
        formData({
          account: user,
          values: { ...user, agencyId: String(user.agencyId ?? '') },
          errors: {
            summary: [{ text: 'Choose whether to disable or enable the account', href: '#disable' }],
            fields: {},
          },
        }),
        { status: 400 },
      )
    }
    const disable = wanted.data.disabled === 'true'
    if (disable === user.disabled)
      return reply.flash(`${user.email} is already ${disable ? 'disabled' : 'enabled'}`).redirect('/admin/users', 303)
    if (disable && user.id === scope.userId) {
      return reply.render(
        'admin/user-form',
        formData({
          account: user,
          values: { ...user, agencyId: String(user.agencyId ?? '') },
          errors: { summary: [{ text: 'You cannot disable your own account', href: '#disable' }], fields: {} },
        }),
        { status: 400 },
      )
    }
    setUserDisabled(app.db, scope, user.id, disable)
    return reply.flash(`${disable ? 'Disabled' : 'Enabled'} ${user.email}`).redirect('/admin/users', 303)
  })

  app.post('/users/:id/password', async (request, reply) => {
    const user = getUser(app.db, idParam(request.params) ?? 0)
    if (!user) return sendNotFound(reply)
    const form = parseForm(passwordSchema, request.body)
    if (!form.ok) {
      return reply.render(
        'admin/user-form',
        formData({ account: user, values: { ...user, agencyId: String(user.agencyId ?? '') }, errors: form.errors }),
        { status: 400 },
      )
    }
    setUserPassword(app.db, scopeOf(request), user.id, await hashPassword(form.data.password))
    return reply.flash(`New password set for ${user.email}`).redirect('/admin/users', 303)
  })

  app.post('/users/:id/unlock', async (request, reply) => {
    const user = getUser(app.db, idParam(request.params) ?? 0)
    if (!user) return sendNotFound(reply)
    app.signInThrottle.unlock(user.email)
    recordAudit(app.db, {
      actor: { id: scopeOf(request).userId, email: scopeOf(request).email },
      action: 'user_unlocked',
      entity: 'user',
      entityId: user.id,
    })
    return reply.flash(`${user.email} can try signing in again from anywhere`).redirect(`/admin/users/${user.id}`, 303)
  })

  app.get('/agencies', async (_request, reply) => {
    return reply.render('admin/agencies', { agencies: listAgencies(app.db) })
  })

  app.get('/audit-log', async (request, reply) => {
    const known = knownValues(app.db)
    const values = filterValues(request.query)
    const options = {
      actionOptions: known.actions.map((a) => ({ value: a, text: codeLabel(a) })),
      entityOptions: known.entities.map((e) => ({ value: e, text: codeLabel(e) })),
    }
    const filter = parseFilter(values, known)
    if (!filter.ok)
      return reply.render('admin/audit-log', { ...options, values, errors: filter.errors }, { status: 400 })
    const query = filterQuery(values)
    const filtered = query !== ''
    return reply.render('admin/audit-log', {
      ...options,
      values,
      filtered,
      query,
      ...findEntries(app.db, filter.filter),
    })
  })

  app.get('/audit-log/verify', async (_request, reply) => {
    return reply.render('admin/audit-log-verify', { check: verifyAuditChain(app.db) })
  })
}
export default adminRoutes
