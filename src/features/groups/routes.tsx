import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { HttpError } from '../../platform/errors.ts'
import { isHtmx, isPartial, page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { readUpload } from '../imports/upload.ts'
import { groupNamesOf } from '../users/users.sql.ts'
import { Candidates, GroupEditor, type EditorProps } from './editor-views.tsx'
import { groupRow, listGroups, memberRows } from './groups.sql.ts'
import { GroupsPage } from './list-views.tsx'
import { isGroupAdmin, mayManageGroup } from './membership.ts'
import {
  addMember, bulkAdd, candidates, createGroup, deleteGroup, removeMember, renameGroup, setVisibility, type Outcome, type Refusal,
} from './service.ts'

// /groups: everyone's own groups; the group editor for group admins (admin_groups, admin_eighth,
// superusers; admin_* groups by superusers only). Handlers: parse → authorize → service → view.

type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  ip: string
  set: { status?: number | string; headers: Record<string, unknown> }
}

const MAX_ID = 2147483647
const id = () => t.Integer({ minimum: 1, maximum: MAX_ID })
const idParams = () => t.Object({ id: id() })

/** The editor is for group admins: the route's policy lets every member in for /groups. */
function requireAdmin(c: Ctx): void {
  if (!isGroupAdmin(c.viewer)) throw new HttpError(403, 'Managing groups needs the groups or eighth-period admin permission.')
}

const act = (c: Ctx) => ({ deps: c.deps, viewer: c.viewer, ip: c.ip })

const DONE = {
  renamed: 'Renamed.', shown: 'Students can now see this group.', hidden: 'The group is now hidden from students.',
  added: 'Added to the group.', removed: 'Removed from the group.', created: 'Group created.',
} as const
type DoneKey = keyof typeof DONE

async function editor(c: Ctx, groupId: number, opts: Omit<EditorProps, 'g' | 'members' | 'manageable'> & { status?: number } = {}) {
  const g = await groupRow(c.deps.sql, groupId)
  if (!g) throw new HttpError(404, 'That group does not exist.')
  const members = await memberRows(c.deps.sql, groupId)
  const { status, ...rest } = opts
  if (status) c.set.status = status
  return page(c, `${g.name} · Groups`, <GroupEditor g={g} members={members} manageable={mayManageGroup(c.viewer, g.name)} {...rest} />)
}

/** htmx: the refreshed editor with a notice. A plain form: redirect, and the page shows it. */
async function after<T>(c: Ctx, groupId: number, r: Outcome<T>, key: DoneKey, extra: Partial<EditorProps> = {}) {
  if (!r.ok) return refused(c, groupId, r, extra)
  if (isHtmx(c.request)) return editor(c, groupId, { flash: DONE[key], ...extra })
  return redirect(c.request, `/groups/${groupId}?done=${key}`)
}

function refused(c: Ctx, groupId: number, r: Refusal, extra: Partial<EditorProps> = {}) {
  if (r.status === 404 || r.status === 403) throw new HttpError(r.status, r.errors.join(' '))
  return editor(c, groupId, { status: r.status, errors: r.errors, ...extra })
}

async function groupsPage(c: Ctx, create?: { name: string; studentVisible: boolean; errors: string[] }, flash?: string) {
  const admin = isGroupAdmin(c.viewer)
  const [mine, all] = await Promise.all([groupNamesOf(c.deps.sql, c.viewer.id), admin ? listGroups(c.deps.sql) : null])
  return page(c, 'Groups', <GroupsPage mine={mine} all={all} create={create} superuser={c.viewer.isSuperuser} />, { flash })
}

export function groupRoutes(base: Base) {
  return new Elysia({ name: 'groups' })
    .use(base)
    .get('/groups', (c) => groupsPage(c, undefined, c.query.deleted ? 'Group deleted.' : undefined), {
      policy: 'member', query: t.Object({ deleted: t.Optional(t.String({ maxLength: 5 })) }),
    })

    .post('/groups', async (c) => {
      requireAdmin(c)
      const visible = c.body.student_visible !== undefined
      const r = await createGroup(act(c), c.body.name, visible)
      if (r.ok) return redirect(c.request, `/groups/${r.value}?done=created`)
      if (r.status === 403) throw new HttpError(403, r.errors.join(' '))
      c.set.status = r.status
      return groupsPage(c, { name: c.body.name, studentVisible: visible, errors: r.errors })
    }, { policy: 'member', body: t.Object({ name: t.String({ maxLength: 1000 }), student_visible: t.Optional(t.String({ maxLength: 10 })) }) })

    .get('/groups/:id', async (c) => {
      requireAdmin(c)
      const key = c.query.done
      const flash = key && Object.hasOwn(DONE, key) ? DONE[key as DoneKey] : undefined
      const search = c.query.q ? await candidates(c.deps, c.params.id, c.query.q) : undefined
      return editor(c, c.params.id, { flash, search })
    }, { policy: 'member', params: idParams(), query: t.Object({ done: t.Optional(t.String({ maxLength: 20 })), q: t.Optional(t.String({ maxLength: 200 })) }) })

    .get('/groups/:id/candidates', async (c) => {
      requireAdmin(c)
      const s = await candidates(c.deps, c.params.id, c.query.q ?? '')
      const list = <Candidates base={`/groups/${c.params.id}`} q={s.q} rows={s.q ? s.rows : null} />
      return isPartial(c.request) ? page(c, 'Find a person', list) : redirect(c.request, `/groups/${c.params.id}?q=${encodeURIComponent(s.q)}`)
    }, { policy: 'member', params: idParams(), query: t.Object({ q: t.Optional(t.String({ maxLength: 200 })) }) })

    .post('/groups/:id/rename', async (c) => {
      requireAdmin(c)
      return after(c, c.params.id, await renameGroup(act(c), c.params.id, c.body.name), 'renamed', { renameValue: c.body.name })
    }, { policy: 'member', params: idParams(), body: t.Object({ name: t.String({ maxLength: 1000 }) }) })

    .post('/groups/:id/visibility', async (c) => {
      requireAdmin(c)
      const on = c.body.student_visible === 'on'
      return after(c, c.params.id, await setVisibility(act(c), c.params.id, on), on ? 'shown' : 'hidden')
    }, { policy: 'member', params: idParams(), body: t.Object({ student_visible: t.Union([t.Literal('on'), t.Literal('off')]) }) })

    .post('/groups/:id/delete', async (c) => {
      requireAdmin(c)
      const r = await deleteGroup(act(c), c.params.id)
      if (!r.ok) return refused(c, c.params.id, r)
      return redirect(c.request, `/groups?deleted=1`)
    }, { policy: 'member', params: idParams() })

    .post('/groups/:id/members', async (c) => {
      requireAdmin(c)
      const r = await addMember(act(c), c.params.id, c.body.user_id)
      const q = c.body.q?.trim()
      const search = q ? await candidates(c.deps, c.params.id, q) : undefined
      return after(c, c.params.id, r, 'added', { search })
    }, { policy: 'member', params: idParams(), body: t.Object({ user_id: id(), q: t.Optional(t.String({ maxLength: 200 })) }) })

    .post('/groups/:id/members/:userId/remove', async (c) => {
      requireAdmin(c)
      return after(c, c.params.id, await removeMember(act(c), c.params.id, c.params.userId), 'removed')
    }, { policy: 'member', params: t.Object({ id: id(), userId: id() }) })

    .post('/groups/:id/bulk', async (c) => {
      requireAdmin(c)
      const upload = await readUpload(c.body.file, c.body.text)
      if (!upload.ok) return refused(c, c.params.id, { ok: false, status: upload.status as Refusal['status'], errors: [upload.message] })
      const r = await bulkAdd(act(c), c.params.id, upload.text)
      if (!r.ok) return refused(c, c.params.id, r)
      return editor(c, c.params.id, { report: r.value })
    }, { policy: 'member', params: idParams(), body: t.Object({ text: t.Optional(t.String({ maxLength: 6_000_000 })), file: t.Optional(t.Unknown()) }) })
}
