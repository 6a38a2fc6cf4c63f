import { Elysia } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base } from '../../platform/http.ts'
import { redirect } from '../../platform/redirect.ts'
import { formOf, one, parseFields } from './form.ts'
import { requestsBy, requestsForTeacher, teacherChoices } from './requests.sql.ts'
import { act, ctx, expirationDefault, idParam, page, refused, type Ctx } from './route-kit.tsx'
import { emptyValues, valuesOf, valuesOfRequest, type FormValues } from './values.ts'
import { AnnouncementForm } from './views/forms.tsx'
import { MyRequests, RequestFacts, RequestSent, TeacherQueue } from './views/pages.tsx'
import { requestForTeacher, submitRequest, teacherDecide } from './workflow.ts'

// Requesting an announcement (anyone not restricted) and the named teachers' approval pages.

async function requestPage(c: Ctx, values: FormValues, errors?: string[]) {
  const teachers = await teacherChoices(c.deps.sql)
  return page(c, 'Request an announcement', (
    <section class="card form-page" aria-labelledby="req-h">
      <h1 id="req-h">Request an announcement</h1>
      <p>Your announcement is posted once a teacher you choose and then an administrator approve it.</p>
      <AnnouncementForm action="/announcements/request" values={values} show={{ author: true, teachers, notes: true }} errors={errors}
        frameHosts={c.deps.config.frameHosts} buttons={[{ label: 'Send request' }]} />
      <p><a href="/announcements/request/mine">Your earlier requests</a></p>
    </section>
  ))
}

async function approvePage(c: Ctx, id: number, values: FormValues | null, errors?: string[]) {
  const got = await requestForTeacher(act(c), id)
  if (!got.ok) throw new HttpError(got.status, got.errors.join(' '))
  const r = got.value
  const open = r.postedId === null && !r.rejected
  const mine = r.teachers.find((t) => t.userId === c.viewer.id)
  return page(c, `Approve · ${r.title}`, (
    <>
      <h1 safe>{`Approve an announcement: ${r.title}`}</h1>
      <RequestFacts r={r} tz={c.deps.config.schoolTz} />
      {open ? (
        <section class="card form-page" aria-labelledby="tappr-h">
          <h2 id="tappr-h">Your decision</h2>
          {mine && mine.state !== 'requested' ? <p class="muted" safe>{`You ${mine.state} this request. You can change your decision until it is posted.`}</p> : ''}
          <p>You may correct the text before approving it.</p>
          <AnnouncementForm action={`/announcements/approve/${id}`} values={values ?? valuesOfRequest(r, c.deps.config.schoolTz, expirationDefault(c))}
            show={{ author: true, notes: true }} errors={errors} frameHosts={c.deps.config.frameHosts}
            buttons={[{ label: 'Approve', name: 'decision', value: 'approve' }, { label: 'Reject', name: 'decision', value: 'reject', kind: 'secondary' }]} />
        </section>
      ) : <p class="muted">This request has already been posted or rejected by an administrator.</p>}
    </>
  ))
}

export function requestRoutes(base: Base) {
  return new Elysia({ name: 'announcements-request' })
    .use(base)
    .get('/announcements/request', (c) => requestPage(ctx(c), { ...emptyValues(expirationDefault(ctx(c))), notifyPost: false }), { policy: 'member' })
    .post('/announcements/request', async (c) => {
      const x = ctx(c)
      const f = formOf(x.body)
      const rerender = (errors: string[]) => requestPage(x, valuesOf(f, expirationDefault(x)), errors)
      const p = parseFields(f, { clock: x.deps.clock, rich: x.deps.config, future: true, with: { teachers: true, notes: true } })
      if (!p.ok) return refused(x, { ok: false, status: 422, errors: p.errors }, rerender)
      const r = await submitRequest(act(x), { ...p.value, groups: [], pinned: false, notifyPost: false, notifyEmailAll: false })
      if (!r.ok) return refused(x, r, rerender)
      return redirect(x.request, r.value.selfApproved ? '/announcements/request/success_self' : '/announcements/request/success')
    }, { policy: 'member' })
    .get('/announcements/request/success', (c) => page(ctx(c), 'Request sent', <RequestSent self={false} />), { policy: 'member' })
    .get('/announcements/request/success_self', (c) => page(ctx(c), 'Request sent', <RequestSent self />), { policy: 'member' })
    .get('/announcements/request/mine', async (c) => {
      const x = ctx(c)
      return page(x, 'Your requests', <MyRequests rows={await requestsBy(x.deps.sql, x.viewer.id)} tz={x.deps.config.schoolTz} />)
    }, { policy: 'member' })
    .get('/announcements/approve', async (c) => {
      const x = ctx(c)
      const flash = x.query.done === 'approved' ? 'You approved the request. An administrator will post it.' : x.query.done === 'rejected' ? 'You rejected the request.' : undefined
      return page(x, 'Requests for your approval', <TeacherQueue rows={await requestsForTeacher(x.deps.sql, x.viewer.id)} tz={x.deps.config.schoolTz} flash={flash} />)
    }, { policy: 'member' })
    .get('/announcements/approve/:id', (c) => approvePage(ctx(c), idParam(ctx(c)), null), { policy: 'member' })
    .post('/announcements/approve/:id', async (c) => {
      const x = ctx(c)
      const id = idParam(x)
      const f = formOf(x.body)
      const d = one(f, 'decision')
      if (d !== 'approve' && d !== 'reject') throw new HttpError(422, 'Choose Approve or Reject.')
      const rerender = (errors: string[]) => approvePage(x, id, valuesOf(f, expirationDefault(x)), errors)
      let fields = null
      if (d === 'approve') {
        const p = parseFields(f, { clock: x.deps.clock, rich: x.deps.config, future: false, with: { notes: true } })
        if (!p.ok) return refused(x, { ok: false, status: 422, errors: p.errors }, rerender)
        fields = p.value
      }
      const r = await teacherDecide(act(x), id, d, fields)
      if (!r.ok) return refused(x, r, rerender)
      return redirect(x.request, `/announcements/approve?done=${d === 'approve' ? 'approved' : 'rejected'}`)
    }, { policy: 'member' })
}

