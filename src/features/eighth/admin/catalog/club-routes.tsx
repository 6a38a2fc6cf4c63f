import { Elysia } from 'elysia'
import { HttpError } from '../../../../platform/errors.ts'
import type { Base } from '../../../../platform/http.ts'
import { isPartial } from '../../../../platform/html/page.tsx'
import { redirect } from '../../../../platform/redirect.ts'
import { activityPage, clubSettings, setClubPerson, setClubSubscriptions, subscribe, type ClubRole } from './club.ts'
import { ActivityPage, SettingsPage } from './club-views.tsx'
import { ctx, done, flashOf, formOf, idParam, one, page, qHas, qText, refuse, type Ctx, type Flash } from './common.tsx'
import { findPeople } from './people.ts'
import { Candidates } from './people-views.tsx'

// /eighth/activity/<aid>: the activity's page (members); …/settings: club settings (policy 'user'
// so attendance-only sponsors get in; the service admits the office and this activity's
// sponsors and club sponsors only).

const act = (c: Ctx) => ({ deps: c.deps, viewer: c.viewer, ip: c.ip })
const roleOf = (s: string): ClubRole | null => (s === 'officer' || s === 'club_sponsor' ? s : null)
const kindOf = (r: ClubRole) => (r === 'officer' ? 'student' as const : 'teacher' as const)

async function showActivity(c: Ctx, flash?: Flash | null) {
  const m = await activityPage(c.deps, c.viewer, idParam(c, 'aid', 'activity'), qHas(c, 'show_all'))
  if (!m) throw new HttpError(404, 'That activity does not exist.')
  return page(c, m.a.name, <ActivityPage m={m} flash={flash === undefined ? await flashOf(c) : flash} />)
}

async function showSettings(c: Ctx, o: { flash?: Flash | null; errors?: string[] } = {}) {
  const r = await clubSettings(c.deps, c.viewer, idParam(c, 'aid', 'activity'))
  if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
  const role = roleOf(qText(c, 'role', 20))
  const q = qText(c, 'q', 100)
  const candidates = role && q ? (await findPeople(c.deps.sql, q, kindOf(role))).rows : null
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  return page(c, `Club settings · ${r.value.a.name}`, <SettingsPage m={r.value} role={role ?? ''} q={q} candidates={candidates} flash={flash} errors={o.errors} />)
}

export function clubRoutes(base: Base) {
  return new Elysia({ name: 'eighth-clubs' })
    .use(base)
    .get('/eighth/activity/:aid', (c) => showActivity(c as unknown as Ctx), { policy: 'member' })
    .post('/eighth/activity/:aid/subscribe', async (c) => {
      const x = ctx(c)
      const r = await subscribe(act(x), idParam(x, 'aid', 'activity'), true)
      if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
      return done(x, `/eighth/activity/${x.params.aid}`, { kind: 'ok', messages: [r.value] }, (fl) => showActivity(x, fl))
    }, { policy: 'member' })
    .post('/eighth/activity/:aid/unsubscribe', async (c) => {
      const x = ctx(c)
      const r = await subscribe(act(x), idParam(x, 'aid', 'activity'), false)
      if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
      return done(x, `/eighth/activity/${x.params.aid}`, { kind: 'ok', messages: [r.value] }, (fl) => showActivity(x, fl))
    }, { policy: 'member' })
    .get('/eighth/activity/:aid/settings', (c) => showSettings(c as unknown as Ctx), { policy: 'user' })
    .get('/eighth/activity/:aid/settings/candidates', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'aid', 'activity')
      const allowed = await clubSettings(x.deps, x.viewer, id)
      if (!allowed.ok) throw new HttpError(allowed.status, allowed.errors.join(' '))
      const role = roleOf(qText(x, 'role', 20))
      if (!role) throw new HttpError(404, 'That list does not exist.')
      if (!isPartial(x.request)) return redirect(x.request, `/eighth/activity/${id}/settings?role=${role}&q=${encodeURIComponent(qText(x, 'q', 100))}`)
      const r = await findPeople(x.deps.sql, qText(x, 'q', 100), kindOf(role))
      return page(x, 'People', <Candidates role={role} action={`/eighth/activity/${id}/settings/people`} q={r.q} rows={r.q ? r.rows : null} />)
    }, { policy: 'user' })
    .post('/eighth/activity/:aid/settings/subscriptions', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'aid', 'activity')
      const v = one(formOf(x), 'enabled')
      if (v !== 'on' && v !== 'off') throw new HttpError(422, 'Say whether subscriptions are on or off.')
      const r = await setClubSubscriptions(act(x), id, v === 'on')
      if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
      return done(x, `/eighth/activity/${id}/settings`, { kind: 'ok', messages: [r.value] }, (fl) => showSettings(x, { flash: fl }))
    }, { policy: 'user' })
    .post('/eighth/activity/:aid/settings/people', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'aid', 'activity')
      const f = formOf(x)
      const role = roleOf(one(f, 'role'))
      const op = one(f, 'op')
      if (!role || (op !== 'add' && op !== 'remove')) throw new HttpError(422, 'Say which list (officers or club sponsors) and whether to add or remove.')
      const r = await setClubPerson(act(x), id, role, one(f, 'user_id'), op === 'add')
      if (!r.ok && r.status !== 422) throw new HttpError(r.status, r.errors.join(' '))
      if (!r.ok) return refuse(x, 422, await showSettings(x, { errors: r.errors, flash: null }))
      return done(x, `/eighth/activity/${id}/settings`, { kind: 'ok', messages: [r.value] }, (fl) => showSettings(x, { flash: fl }))
    }, { policy: 'user' })
}
