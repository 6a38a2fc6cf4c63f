import { Elysia } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base } from '../../platform/http.ts'
import { redirect } from '../../platform/redirect.ts'
import { zonedInstant } from '../../platform/zoned.ts'
import { schoolYear } from '../eighth/api-common.ts'
import { groupsVisibleTo } from '../groups/index.ts'
import { isAnnouncementAdmin } from './access.ts'
import { formOf, one, parseFields, ticked, type Form } from './form.ts'
import { createPost, editPost, modifiable, removePost } from './posts.ts'
import { requestRow, requestsSince } from './requests.sql.ts'
import { act, ctx, expirationDefault, idParam, page, refused, type Ctx } from './route-kit.tsx'
import { emptyValues, valuesOf, valuesOfRequest, valuesOfRow, type FormValues } from './values.ts'
import { AnnouncementForm, type FormShow } from './views/forms.tsx'
import { AdminStatus, DeleteConfirm, RequestFacts } from './views/pages.tsx'
import { adminApprove, adminReject } from './workflow.ts'

// Announcement admins: post, edit (club posts too), the request status page and admin approval.
// Expire/delete is also open to a club post's officers and sponsors (the service decides).

const NOTIFY = 'Email it to its audience (people who turned announcement emails off are skipped)'

async function adminShow(c: Ctx, club: boolean, edit = false): Promise<FormShow> {
  if (club) return { author: true, public: true, edit }
  return { author: true, groups: await groupsVisibleTo(c.deps.sql, c.viewer), pinned: true, notify: NOTIFY, emailAll: true, edit }
}

async function addPage(c: Ctx, values: FormValues, errors?: string[]) {
  return page(c, 'Post an announcement', (
    <section class="card form-page" aria-labelledby="add-h">
      <h1 id="add-h">Post an announcement</h1>
      <AnnouncementForm action="/announcements/add" values={values} show={await adminShow(c, false)} errors={errors} frameHosts={c.deps.config.frameHosts}
        buttons={[{ label: 'Post' }]} />
    </section>
  ))
}

async function modifyPage(c: Ctx, id: number, values: FormValues | null, errors?: string[]) {
  const got = await modifiable({ deps: c.deps, viewer: c.viewer }, id)
  if (!got.ok) throw new HttpError(got.status, got.errors.join(' '))
  const r = got.value
  const club = r.activityId !== null
  const base = club ? '/announcements/club/modify' : '/announcements/modify'
  const show = isAnnouncementAdmin(c.viewer) ? await adminShow(c, club, true) : { author: true, public: true }
  return page(c, `Edit · ${r.title}`, (
    <section class="card form-page" aria-labelledby="mod-h">
      <h1 id="mod-h">{club ? <>Edit club announcement (<span safe>{r.activityName ?? ''}</span>)</> : 'Edit announcement'}</h1>
      <AnnouncementForm action={`${base}/${id}`} values={values ?? valuesOfRow(r, c.deps.config.schoolTz, expirationDefault(c))} show={show} errors={errors}
        frameHosts={c.deps.config.frameHosts} buttons={[{ label: 'Save' }]} />
      <p><a href={`/announcements/delete/${id}`}>Expire or delete it</a></p>
    </section>
  ))
}

/** POST of an edit form (admins at /modify, club modifiers at /club/modify). */
export async function saveEdit(c: Ctx) {
  const id = idParam(c)
  const f = formOf(c.body)
  const p = parseFields(f, { clock: c.deps.clock, rich: c.deps.config, future: false })
  const rerender = (errors: string[]) => modifyPage(c, id, valuesOf(f, expirationDefault(c)), errors)
  if (!p.ok) return refused(c, { ok: false, status: 422, errors: p.errors }, rerender)
  const r = await editPost(act(c), id, p.value, { bump: ticked(f, 'bump'), resend: ticked(f, 'resend'), resendAll: ticked(f, 'resend_all') })
  if (!r.ok) return refused(c, r, rerender)
  return redirect(c.request, `/announcements/${id}?done=saved${r.value.mail ? `&sent=${r.value.mail.to}` : ''}`)
}

export { modifyPage }

async function approvePage(c: Ctx, id: number, values: FormValues | null, errors?: string[]) {
  const r = await requestRow(c.deps.sql, id)
  if (!r) throw new HttpError(404, 'That announcement request does not exist.')
  const open = r.postedId === null && !r.rejected
  const v = values ?? { ...valuesOfRequest(r, c.deps.config.schoolTz, expirationDefault(c)), notifyPost: true }
  return page(c, `Approve · ${r.title}`, (
    <>
      <h1 safe>{`Announcement request: ${r.title}`}</h1>
      <RequestFacts r={r} tz={c.deps.config.schoolTz} />
      {open ? (
        <section class="card form-page" aria-labelledby="appr-h">
          <h2 id="appr-h">Post or reject</h2>
          <AnnouncementForm action={`/announcements/admin_approve/${id}`} values={v} show={await adminShow(c, false)} errors={errors} frameHosts={c.deps.config.frameHosts}
            buttons={[{ label: 'Approve and post', name: 'decision', value: 'approve' }, { label: 'Reject', name: 'decision', value: 'reject', kind: 'secondary' }]} />
        </section>
      ) : <p><a href="/announcements/admin_status">Back to the requests</a></p>}
    </>
  ))
}

const decision = (f: Form) => {
  const d = one(f, 'decision')
  if (d !== 'approve' && d !== 'reject') throw new HttpError(422, 'Choose Approve or Reject.')
  return d
}

export function adminRoutes(base: Base) {
  return new Elysia({ name: 'announcements-admin' })
    .use(base)
    .get('/announcements/add', (c) => addPage(ctx(c), emptyValues(expirationDefault(ctx(c)))), { policy: 'admin_announcements' })
    .post('/announcements/add', async (c) => {
      const x = ctx(c)
      const f = formOf(x.body)
      const rerender = (errors: string[]) => addPage(x, valuesOf(f, expirationDefault(x)), errors)
      const p = parseFields(f, { clock: x.deps.clock, rich: x.deps.config, future: true })
      if (!p.ok) return refused(x, { ok: false, status: 422, errors: p.errors }, rerender)
      const r = await createPost(act(x), p.value)
      if (!r.ok) return refused(x, r, rerender)
      return redirect(x.request, `/announcements/${r.value.id}?done=posted${r.value.mail ? `&sent=${r.value.mail.to}` : ''}`)
    }, { policy: 'admin_announcements' })
    .get('/announcements/modify/:id', (c) => modifyPage(ctx(c), idParam(ctx(c)), null), { policy: 'admin_announcements' })
    .post('/announcements/modify/:id', (c) => saveEdit(ctx(c)), { policy: 'admin_announcements' })
    .get('/announcements/delete/:id', async (c) => {
      const x = ctx(c)
      const got = await modifiable(act(x), idParam(x))
      if (!got.ok) throw new HttpError(got.status, got.errors.join(' '))
      const expired = got.value.expirationDate.getTime() <= x.deps.clock.now().getTime()
      return page(x, 'Expire announcement', <DeleteConfirm r={got.value} admin={isAnnouncementAdmin(x.viewer)} expired={expired} />)
    }, { policy: 'member' })
    .post('/announcements/delete/:id', async (c) => {
      const x = ctx(c)
      const id = idParam(x)
      const r = await removePost(act(x), id, ticked(formOf(x.body), 'full_delete'))
      if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
      return redirect(x.request, r.value === 'deleted' ? '/announcements?done=deleted' : `/announcements/${id}?done=expired`)
    }, { policy: 'member' })
    .get('/announcements/admin_status', async (c) => {
      const x = ctx(c)
      const year = schoolYear(x.deps.clock.today(), x.deps.config.yearTurnoverMonth)
      const rows = await requestsSince(x.deps.sql, zonedInstant(year.from, '00:00', x.deps.config.schoolTz), x.viewer.id)
      return page(x, 'Announcement requests', <AdminStatus rows={rows} tz={x.deps.config.schoolTz} />, x.query.done === 'rejected' ? 'The request was rejected.' : undefined)
    }, { policy: 'admin_announcements' })
    .get('/announcements/admin_approve/:id', (c) => approvePage(ctx(c), idParam(ctx(c)), null), { policy: 'admin_announcements' })
    .post('/announcements/admin_approve/:id', async (c) => {
      const x = ctx(c)
      const id = idParam(x)
      const f = formOf(x.body)
      const rerender = (errors: string[]) => approvePage(x, id, valuesOf(f, expirationDefault(x)), errors)
      if (decision(f) === 'reject') {
        const r = await adminReject(act(x), id)
        if (!r.ok) return refused(x, r, rerender)
        return redirect(x.request, '/announcements/admin_status?done=rejected')
      }
      const p = parseFields(f, { clock: x.deps.clock, rich: x.deps.config, future: false })
      if (!p.ok) return refused(x, { ok: false, status: 422, errors: p.errors }, rerender)
      const r = await adminApprove(act(x), id, p.value)
      if (!r.ok) return refused(x, r, rerender)
      return redirect(x.request, `/announcements/${r.value.announcementId}?done=posted${r.value.mail ? `&sent=${r.value.mail.to}` : ''}`)
    }, { policy: 'admin_announcements' })
}
