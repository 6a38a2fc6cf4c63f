import { Elysia, t } from 'elysia'
import { emailsOf } from '../users/users.sql.ts'
import { notificationEmail } from '../users/names.ts'
import { depsOf, type Base } from '../../platform/http.ts'
import { isPartial, page } from '../../platform/html/page.tsx'
import { hasPerm } from '../../platform/viewer.ts'
import { jobsAdminRoutes } from './jobs-routes.tsx'
import { MailAdmin, type Flash } from './mail-views.tsx'
import { discardMessage, mailOverview, retryMessage, sendTestEmail } from './service.ts'

const FLASH: Record<string, Flash> = {
  retried: { kind: 'ok', text: 'The message is queued again.' },
  discarded: { kind: 'ok', text: 'The message was discarded; it will not be sent.' },
  gone: { kind: 'info', text: 'That message is no longer failed (someone may have acted on it already).' },
  test: { kind: 'ok', text: 'A test email is queued. It should arrive within a minute.' },
}

const Id = t.Object({ id: t.String({ pattern: '^[0-9]{1,18}$' }) })

/** /admin/mail: the outbox at a glance, failed messages (retry or discard), a test email. And /admin/jobs. */
export function mailAdminRoutes(base: Base) {
  const deps = depsOf(base)
  deps.registries.admin.push(
    { href: '/admin/mail', label: 'Mail', group: 'System', visible: (v) => hasPerm(v, 'admin_all') },
    { href: '/admin/jobs', label: 'Scheduled jobs', group: 'System', visible: (v) => hasPerm(v, 'admin_all') },
  )
  type Ctx = Parameters<typeof page>[0]
  const render = async (c: Ctx, flash: Flash, extra: { testTo?: string; testError?: string } = {}) =>
    page(c, 'Mail', <MailAdmin o={await mailOverview(c.deps)} tz={c.deps.config.schoolTz} flash={flash} {...extra} />)
  // Without JavaScript a form posts and is redirected back (PRG); with htmx the new body is swapped in.
  const after = async (c: Ctx, done: string) =>
    isPartial(c.request) ? render(c, FLASH[done] ?? null) : new Response(null, { status: 303, headers: { location: `/admin/mail?done=${done}` } })

  return new Elysia({ name: 'mail-admin' })
    .use(base)
    .get('/admin/mail', async (c) => render(c, FLASH[String(c.query.done ?? '')] ?? null, { testTo: notificationEmail(await emailsOf(c.deps.sql, c.viewer.id)) ?? undefined }), { policy: 'admin_all' })
    .post('/admin/mail/:id/retry', async (c) => after(c, (await retryMessage(c.deps, c.viewer, c.params.id)) ? 'retried' : 'gone'),
      { policy: 'admin_all', params: Id })
    .post('/admin/mail/:id/discard', async (c) => after(c, (await discardMessage(c.deps, c.viewer, c.params.id)) ? 'discarded' : 'gone'),
      { policy: 'admin_all', params: Id })
    .post('/admin/mail/test', async (c) => {
      const r = await sendTestEmail(c.deps, c.viewer, c.body.to)
      if (!r.ok) {
        c.set.status = 422
        return render(c, null, { testTo: c.body.to, testError: r.errors[0] })
      }
      return after(c, 'test')
    }, { policy: 'admin_all', body: t.Object({ to: t.String({ maxLength: 320 }) }) })
    .use(jobsAdminRoutes(base))
}
