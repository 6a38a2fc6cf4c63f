import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../../platform/http.ts'
import { HttpError } from '../../../platform/errors.ts'
import { isHtmx, isPartial, page } from '../../../platform/html/page.tsx'
import { redirect } from '../../../platform/redirect.ts'
import type { Viewer } from '../../../platform/viewer.ts'
import { requireFreshAuth } from '../../auth/login-routes.tsx'
import {
  addGroup, endAllSessions, endSession, issuePasswordLink, liftUserLockout, loadUserPage, lockUser, removeGroup, unlockUser,
  type Outcome,
} from './actions.ts'
import { adminUserRow, type AdminUserRow } from './admin.sql.ts'
import { editUser } from './edit.ts'
import { impersonationRefusal, startImpersonation, stopImpersonation } from './impersonation.ts'
import { findUsers } from './search.ts'
import { UserResults, UserSearch } from './search-views.tsx'
import { DONE_MESSAGES, ImpersonateConfirm, UserAdmin, type DoneKey, type UserAdminProps } from './user-views.tsx'

// /admin/users (admin_all): find an account, edit it, manage its groups, lock it, make a
// password link, end its sessions, lift a login lockout, view the site as its owner.

type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  ip: string
  set: { status?: number | string; headers: Record<string, unknown> }
}

const MAX_ID = 2147483647
const idParams = () => t.Object({ id: t.Integer({ minimum: 1, maximum: MAX_ID }) })
const text = (max: number) => t.String({ maxLength: max })
const editBody = () => t.Object({
  first_name: text(1000), middle_name: text(1000), last_name: text(1000), nickname: text(1000), user_type: text(100),
  graduation_year: text(100), student_id: text(100), counselor: text(200), admin_comments: text(20000),
  is_superuser: t.Optional(text(10)),
})

async function targetOf(c: Ctx, id: number): Promise<AdminUserRow> {
  const u = await adminUserRow(c.deps.sql, id)
  if (!u) throw new HttpError(404, 'There is no account with that id.')
  return u
}

function unwrap<T>(o: Outcome<T>): T {
  if (!o.ok) throw new HttpError(o.status, o.message)
  return o.value
}

const act = (c: Ctx, target: AdminUserRow) => ({ deps: c.deps, viewer: c.viewer, target, ip: c.ip })

type RenderOpts = Omit<UserAdminProps, 'd' | 'viewer' | 'tz'> & { status?: number }

async function renderUser(c: Ctx, id: number, { status, ...opts }: RenderOpts = {}) {
  const d = await loadUserPage(c.deps, c.viewer, id)
  if (!d) throw new HttpError(404, 'There is no account with that id.')
  if (status) c.set.status = status
  return page(c, `${d.user.username} · Users`, <UserAdmin d={d} viewer={c.viewer} tz={c.deps.config.schoolTz} {...opts} />)
}

/** htmx: the refreshed body with a notice. Plain form: redirect, and the page shows the notice. */
function after(c: Ctx, id: number, key: DoneKey) {
  if (isHtmx(c.request)) return renderUser(c, id, { flash: DONE_MESSAGES[key] })
  return redirect(c.request, `/admin/users/${id}?done=${key}`)
}

// A fresh options object per route and per app: Elysia writes the macro's hooks into it, so a
// shared one would carry the first app's session lookup into the next (tests build many apps).
const admin = () => ({ policy: 'admin_all' as const, params: idParams() })

export function userAdminRoutes(base: Base) {
  return new Elysia({ name: 'users-admin' })
    .use(base)
    .get('/admin/users', async (c) => {
      const r = await findUsers(c.deps, c.query.q, c.query.page)
      const results = <UserResults q={r.q} rows={r.rows} total={r.total} page={r.page} />
      return page(c, 'Users', isPartial(c.request) ? results : <UserSearch q={r.q}>{results}</UserSearch>)
    }, {
      policy: 'admin_all',
      query: t.Object({ q: t.Optional(t.String({ maxLength: 200 })), page: t.Optional(t.Integer({ minimum: 1, maximum: 100000 })) }),
    })

    .get('/admin/users/:id', (c) => {
      const key = c.query.done
      const flash = key && Object.hasOwn(DONE_MESSAGES, key) ? DONE_MESSAGES[key as DoneKey] : undefined
      return renderUser(c, c.params.id, { flash })
    }, { ...admin(), query: t.Object({ done: t.Optional(t.String({ maxLength: 40 })) }) })

    .post('/admin/users/:id/edit', async (c) => {
      const target = await targetOf(c, c.params.id)
      const r = await editUser(c.deps, c.viewer, target, c.body, c.ip)
      if (r.ok) return after(c, target.id, r.changed.length ? 'saved' : 'unchanged')
      if (r.status === 403) throw new HttpError(403, r.message)
      return renderUser(c, target.id, { status: 422, edit: { form: c.body, errors: r.errors } })
    }, { ...admin(), body: editBody() })

    .post('/admin/users/:id/groups', async (c) => {
      const target = await targetOf(c, c.params.id)
      const r = await addGroup(act(c, target), c.body.group)
      if (r.ok) return after(c, target.id, 'group-added')
      if (r.status === 403 || r.status === 404) throw new HttpError(r.status, r.message)
      return renderUser(c, target.id, { status: r.status, groupError: r.message })
    }, { ...admin(), body: t.Object({ group: text(200) }) })

    .post('/admin/users/:id/groups/:groupId/remove', async (c) => {
      const target = await targetOf(c, c.params.id)
      unwrap(await removeGroup(act(c, target), c.params.groupId))
      return after(c, target.id, 'group-removed')
    }, { policy: 'admin_all', params: t.Object({ id: t.Integer({ minimum: 1, maximum: MAX_ID }), groupId: t.Integer({ minimum: 1, maximum: MAX_ID }) }) })

    .post('/admin/users/:id/lock', async (c) => {
      unwrap(await lockUser(act(c, await targetOf(c, c.params.id))))
      return after(c, c.params.id, 'locked')
    }, admin())

    .post('/admin/users/:id/unlock', async (c) => {
      unwrap(await unlockUser(act(c, await targetOf(c, c.params.id))))
      return after(c, c.params.id, 'unlocked')
    }, admin())

    .post('/admin/users/:id/lockout/lift', async (c) => {
      unwrap(await liftUserLockout(act(c, await targetOf(c, c.params.id))))
      return after(c, c.params.id, 'lockout-lifted')
    }, admin())

    // Shown once, never redirected: the token exists only in this response.
    .post('/admin/users/:id/password-link', async (c) => {
      const link = unwrap(await issuePasswordLink(act(c, await targetOf(c, c.params.id))))
      c.set.headers['cache-control'] = 'no-store'
      c.set.headers['referrer-policy'] = 'no-referrer'
      return renderUser(c, c.params.id, { link })
    }, admin())

    // The shared session list posts the first 16 hex digits of a session id as `id`.
    .post('/admin/users/:id/sessions/revoke', async (c) => {
      unwrap(await endSession(act(c, await targetOf(c, c.params.id)), c.body.id))
      return after(c, c.params.id, 'session-ended')
    }, { ...admin(), body: t.Object({ id: text(64) }) })

    .post('/admin/users/:id/sessions/end-all', async (c) => {
      unwrap(await endAllSessions(act(c, await targetOf(c, c.params.id))))
      return after(c, c.params.id, 'sessions-ended')
    }, admin())

    // View as this user. The GET is where /reauthenticate sends the admin back to.
    .get('/admin/users/:id/impersonate', async (c) => {
      requireFreshAuth(c.deps, c.viewer, c.request)
      const target = await targetOf(c, c.params.id)
      return page(c, `View as ${target.username}`, <ImpersonateConfirm id={target.id} username={target.username} why={impersonationRefusal(c.viewer, target)} />)
    }, admin())

    .post('/admin/users/:id/impersonate', async (c) => {
      requireFreshAuth(c.deps, c.viewer, c.request)
      const target = await targetOf(c, c.params.id)
      unwrap(await startImpersonation(c.deps, c.viewer, target, c.ip))
      return redirect(c.request, '/')
    }, admin())

    .post('/impersonate/stop', async (c) => {
      const wasViewing = await stopImpersonation(c.deps, c.viewer, c.ip)
      return redirect(c.request, wasViewing ? `/admin/users/${wasViewing}?done=stopped` : '/')
    }, { policy: 'user' })
}
