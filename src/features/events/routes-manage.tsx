import { Elysia } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { groupsVisibleTo } from '../groups/index.ts'
import { eventById } from './events.sql.ts'
import { draftOf, formOf, toLocalInput, type Draft } from './form.ts'
import { act, ctx, idParam, refused, type Ctx } from './route-kit.ts'
import { createEvent, decide, isEventsAdmin, modifyEvent, NOT_FOUND, removeEvent } from './service.ts'
import { DeleteConfirm } from './views/detail.tsx'
import { EventForm, type FormModel } from './views/form.tsx'
import { EventsCss } from './views/style.tsx'

// Adding and changing events: request (any member; waits for approval), add (events admins;
// approved at once), modify and delete (events admins), approve and reject (events admins,
// emailing the requester). Every change is a POST; refusals re-render with every reason.

const NEW_DRAFT: Draft = { show_on_dashboard: 'on', category: 'school', open_to: 'everyone', groups: [] }

async function formPage(c: Ctx, mode: FormModel['mode'], action: string, draft: Draft, errors: string[] = []) {
  const groups = await groupsVisibleTo(c.deps.sql, c.viewer)
  const m: FormModel = { mode, action, draft, groups, errors, admin: isEventsAdmin(c.viewer) }
  const title = mode === 'add' ? 'Add an event' : mode === 'request' ? 'Request an event' : 'Edit the event'
  return page(c, title, <><EventsCss /><EventForm m={m} /></>)
}

async function create(c: Ctx, mode: 'add' | 'request') {
  const body = formOf(c.body)
  const r = await createEvent(act(c), body)
  if (!r.ok) return refused(c, r, (errors) => formPage(c, mode, `/events/${mode}`, draftOf(body), errors))
  return redirect(c.request, `/events/${r.value.id}?done=${r.value.approved ? 'added' : 'requested'}`)
}

async function modifyForm(c: Ctx) {
  const id = idParam(c)
  const e = await eventById(c.deps.sql, { userId: c.viewer.id, admin: true }, id)
  if (!e) throw new HttpError(404, NOT_FOUND)
  const tz = c.deps.config.schoolTz
  return formPage(c, 'modify', `/events/modify/${id}`, {
    title: e.title, description: e.description, location: e.location, starts_at: toLocalInput(e.startsAt, tz), ends_at: e.endsAt ? toLocalInput(e.endsAt, tz) : '',
    category: e.category, open_to: e.openTo, show_attending: e.showAttending ? 'on' : '', show_on_dashboard: e.showOnDashboard ? 'on' : '', public: e.public ? 'on' : '',
    groups: e.groups.map((g) => String(g.id)),
  })
}

async function modify(c: Ctx) {
  const id = idParam(c)
  const body = formOf(c.body)
  const r = await modifyEvent(act(c), id, body)
  if (!r.ok) return refused(c, r, (errors) => formPage(c, 'modify', `/events/modify/${id}`, draftOf(body), errors))
  return redirect(c.request, `/events/${id}?done=saved`)
}

async function deleteForm(c: Ctx) {
  const e = await eventById(c.deps.sql, { userId: c.viewer.id, admin: true }, idParam(c))
  if (!e) throw new HttpError(404, NOT_FOUND)
  return page(c, 'Delete the event', <><EventsCss /><DeleteConfirm e={e} tz={c.deps.config.schoolTz} /></>)
}

async function del(c: Ctx) {
  const r = await removeEvent(act(c), idParam(c))
  if (!r.ok) return refused(c, r, (errors) => { throw new HttpError(r.status, errors.join(' ')) })
  return redirect(c.request, '/events?done=deleted')
}

async function decision(c: Ctx, approve: boolean) {
  const id = idParam(c)
  const r = await decide(act(c), id, approve)
  if (!r.ok) return refused(c, r, (errors) => { throw new HttpError(r.status, errors.join(' ')) })
  return redirect(c.request, `/events?done=${approve ? 'approved' : 'rejected'}`)
}

export function eventManageRoutes(base: Base) {
  return new Elysia({ name: 'events-manage' })
    .use(base)
    .get('/events/request', (c) => formPage(ctx(c), 'request', '/events/request', { ...NEW_DRAFT }), { policy: 'member' })
    .post('/events/request', (c) => create(ctx(c), 'request'), { policy: 'member' })
    // Ion: non-admins asking for /events/add are sent to the request form.
    .get('/events/add', (c) => (isEventsAdmin(c.viewer) ? formPage(ctx(c), 'add', '/events/add', { ...NEW_DRAFT }) : redirect(c.request, '/events/request')), { policy: 'member' })
    .post('/events/add', (c) => create(ctx(c), 'add'), { policy: 'admin_events' })
    .get('/events/modify/:id', (c) => modifyForm(ctx(c)), { policy: 'admin_events' })
    .post('/events/modify/:id', (c) => modify(ctx(c)), { policy: 'admin_events' })
    .get('/events/delete/:id', (c) => deleteForm(ctx(c)), { policy: 'admin_events' })
    .post('/events/delete/:id', (c) => del(ctx(c)), { policy: 'admin_events' })
    .post('/events/approve/:id', (c) => decision(ctx(c), true), { policy: 'admin_events' })
    .post('/events/reject/:id', (c) => decision(ctx(c), false), { policy: 'admin_events' })
}
