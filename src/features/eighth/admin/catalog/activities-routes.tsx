import { Elysia } from 'elysia'
import { HttpError } from '../../../../platform/errors.ts'
import type { Base } from '../../../../platform/http.ts'
import { isPartial } from '../../../../platform/html/page.tsx'
import { redirect } from '../../../../platform/redirect.ts'
import { groupsVisibleTo } from '../../../groups/index.ts'
import { storeFlash } from '../../flash.ts'
import { createActivityNamed, deleteActivity, readActivityForm, restoreActivity, saveActivity, setActivityPerson, type ActivityForm } from './activities.ts'
import { activityCounts, activityPeople, activityRecord, freeIds, listActivities, type ActivityRecord } from './activities.sql.ts'
import { ActivitiesPage, ActivityDeletePage, ActivityEditPage } from './activities-views.tsx'
import { ctx, done, flashOf, formOf, idParam, one, page, qText, refuse, ticked, type Ctx, type Flash } from './common.tsx'
import { findPeople } from './people.ts'
import { Candidates } from './people-views.tsx'
import { roomOptions } from './rooms.sql.ts'
import { sponsorOptions } from './sponsors.sql.ts'

const act = (c: Ctx) => ({ deps: c.deps, viewer: c.viewer, ip: c.ip })
const LISTS = [
  { role: 'allowed' as const, title: 'Allowed students', hint: 'When restricted, these students may sign up whatever their grade or groups.', empty: 'Nobody is allowed by name.' },
  { role: 'blacklisted' as const, title: 'Blacklisted students', hint: 'These students may never sign up for this activity.', empty: 'Nobody is blacklisted.' },
]
type ListRole = (typeof LISTS)[number]['role']
const listRole = (s: string): ListRole | null => (s === 'allowed' || s === 'blacklisted' ? s : null)

async function listPage(c: Ctx, o: { flash?: Flash | null; errors?: string[]; add?: { name: string; id: string } } = {}) {
  const q = qText(c, 'q', 100).trim()
  const withDeleted = qText(c, 'deleted', 5) === 'on'
  const [rows, free] = await Promise.all([listActivities(c.deps.sql, q, withDeleted), freeIds(c.deps.sql, 60)])
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  return page(c, 'Activities · Eighth office', <ActivitiesPage rows={rows} q={q} withDeleted={withDeleted} freeIds={free} add={o.add ?? { name: '', id: '' }} flash={flash} errors={o.errors} />)
}

async function loadActivity(c: Ctx): Promise<ActivityRecord> {
  const a = await activityRecord(c.deps.sql, idParam(c, 'id', 'activity'))
  if (!a) throw new HttpError(404, 'That activity does not exist.')
  return a
}

const formFromRecord = (a: ActivityRecord): ActivityForm => {
  const { id: _i, deleted: _d, roomIds, sponsorIds, groupIds, ...v } = a
  return { ...v, defaultCapacityText: a.defaultCapacity === null ? '' : String(a.defaultCapacity), rooms: roomIds.map(String), sponsors: sponsorIds.map(String), groups: groupIds.map(String) }
}

async function editPage(c: Ctx, o: { flash?: Flash | null; errors?: string[]; form?: ActivityForm } = {}) {
  const a = await loadActivity(c)
  const sql = c.deps.sql
  const role = listRole(qText(c, 'role', 20))
  const q = qText(c, 'q', 100)
  const [counts, rooms, sponsors, groups, found] = await Promise.all([
    activityCounts(sql, a.id, c.deps.clock.today()), roomOptions(sql), sponsorOptions(sql), groupsVisibleTo(sql, c.viewer),
    role && q ? findPeople(sql, q, 'student') : null,
  ])
  const pickers = await Promise.all(LISTS.map(async (l) => ({
    ...l, people: await activityPeople(sql, a.id, l.role), q: l.role === role ? q : '', candidates: l.role === role && found ? found.rows : null,
  })))
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  const m = { a, v: o.form ?? formFromRecord(a), counts, rooms: rooms.map((r) => ({ id: r.id, label: r.capacity === -1 ? `${r.label} (unlimited)` : `${r.label} (${r.capacity})` })), sponsors, groups: groups.map((g) => ({ id: g.id, label: g.name })), pickers }
  return page(c, `${a.name} · Eighth office`, <ActivityEditPage m={m} flash={flash} errors={o.errors} />)
}

export function activityRoutes(base: Base) {
  return new Elysia({ name: 'eighth-office-activities' })
    .use(base)
    .get('/eighth/admin/activities', (c) => listPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/activities', async (c) => {
      const x = ctx(c)
      const f = formOf(x)
      const add = { name: one(f, 'name').slice(0, 400), id: one(f, 'id').slice(0, 12) }
      const r = await createActivityNamed(act(x), add.name, add.id)
      if (!r.ok) return refuse(x, r.status, await listPage(x, { errors: r.errors, add, flash: null }))
      const token = await storeFlash(x.deps.redis, x.viewer.id, { kind: 'ok', messages: [`Created ${add.name.trim()} with ID ${r.value}.`] })
      return redirect(x.request, `/eighth/admin/activities/${r.value}?flash=${token}`)
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/activities/:id', (c) => editPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/activities/:id', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'activity')
      const form = readActivityForm(formOf(x))
      const r = await saveActivity(act(x), id, form)
      if (!r.ok && r.status === 404) throw new HttpError(404, r.errors.join(' '))
      if (!r.ok) return refuse(x, r.status, await editPage(x, { errors: r.errors, form, flash: null }))
      return done(x, `/eighth/admin/activities/${id}`, { kind: 'ok', messages: r.value }, (fl) => editPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/activities/:id/candidates', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'activity')
      const role = listRole(qText(x, 'role', 20))
      if (!role) throw new HttpError(404, 'That list does not exist.')
      if (!isPartial(x.request)) return redirect(x.request, `/eighth/admin/activities/${id}?role=${role}&q=${encodeURIComponent(qText(x, 'q', 100))}`)
      const r = await findPeople(x.deps.sql, qText(x, 'q', 100), 'student')
      return page(x, 'People', <Candidates role={role} action={`/eighth/admin/activities/${id}/people`} q={r.q} rows={r.q ? r.rows : null} />)
    }, { policy: 'admin_eighth' })
    .post('/eighth/admin/activities/:id/people', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'activity')
      const f = formOf(x)
      const role = listRole(one(f, 'role'))
      const op = one(f, 'op')
      if (!role || (op !== 'add' && op !== 'remove')) throw new HttpError(422, 'Say which list (allowed or blacklisted) and whether to add or remove.')
      const r = await setActivityPerson(act(x), id, role, one(f, 'user_id'), op === 'add')
      if (!r.ok && r.status === 404) throw new HttpError(404, r.errors.join(' '))
      if (!r.ok) return refuse(x, r.status, await editPage(x, { errors: r.errors, flash: null }))
      return done(x, `/eighth/admin/activities/${id}`, { kind: 'ok', messages: [r.value] }, (fl) => editPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/activities/:id/delete', async (c) => {
      const x = ctx(c)
      const a = await loadActivity(x)
      return page(x, `Delete ${a.name} · Eighth office`, <ActivityDeletePage a={a} counts={await activityCounts(x.deps.sql, a.id, x.deps.clock.today())} />)
    }, { policy: 'admin_eighth' })
    .post('/eighth/admin/activities/:id/delete', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'activity')
      const r = await deleteActivity(act(x), id, ticked(formOf(x), 'permanent'))
      if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
      const to = r.value.hard ? '/eighth/admin/activities' : `/eighth/admin/activities/${id}`
      return done(x, to, { kind: 'ok', messages: [r.value.message] }, (fl) => (r.value.hard ? listPage(x, { flash: fl }) : editPage(x, { flash: fl })))
    }, { policy: 'admin_eighth' })
    .post('/eighth/admin/activities/:id/restore', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'activity')
      const r = await restoreActivity(act(x), id)
      if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
      return done(x, `/eighth/admin/activities/${id}`, { kind: 'ok', messages: [r.value] }, (fl) => editPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
}
