import { Elysia } from 'elysia'
import { json, paged } from '../../platform/api.ts'
import type { Base, Deps } from '../../platform/http.ts'
import { sanitizeRichText, RICH_TEXT_MAX, RICH_TEXT_STORED_MAX } from '../../platform/richtext.ts'
import { isRestricted, type Viewer } from '../../platform/viewer.ts'
import { audit } from '../users/users.sql.ts'
import { canUseApi } from '../users/api-access.sql.ts'
import { bodyRecord, boolField, fail, pageMissing, pageParams, pathId } from '../eighth/api-common.ts'
import { isAnnouncementAdmin, scopeOf } from './access.ts'
import {
  announcementRow, apiRows, deleteAnnouncementRow, existingGroupIds, insertAnnouncement, updateAnnouncement, type AnnouncementRow,
} from './announcements.sql.ts'
import { NEVER } from './form.ts'

// /api/announcements and /api/announcements/<id> (ion-apps.md §8, §19): Ion's serializer fields
// url, id, title, content, author, user, added, updated, groups, pinned; 50 a page; read for
// accounts with API access (or any token), write for announcement admins. Like Ion's API, a post
// made here sends no email and never expires unless `expiration_date` is given.

const NOT_FOUND = 'Not found.'

/** DRF's datetime: ISO 8601 in the school's zone with its offset (microseconds only when set). */
export function isoLocal(d: Date, tz: string): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]))
  const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!)
  const off = Math.round((wall - Math.floor(d.getTime() / 1000) * 1000) / 60000)
  const sign = off < 0 ? '-' : '+'
  const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')
  const mm = String(Math.abs(off) % 60).padStart(2, '0')
  const ms = d.getTime() % 1000
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${ms ? '.' + String(ms * 1000).padStart(6, '0') : ''}${sign}${hh}:${mm}`
}

export function apiShape(r: AnnouncementRow, deps: Deps) {
  return {
    url: `${deps.config.baseUrl}/api/announcements/${r.id}`, id: r.id, title: r.title, content: r.content, author: r.author, user: r.userId,
    added: isoLocal(r.added, deps.config.schoolTz), updated: isoLocal(r.updated, deps.config.schoolTz), groups: r.groups.map((g) => g.id), pinned: r.pinned,
  }
}

/** Ion's IsAnnouncementAdminOrReadOnly. */
async function refusal(deps: Deps, v: Viewer, write: boolean): Promise<Response | null> {
  if (v.via !== 'token' && (isRestricted(v) || !(await canUseApi(deps.sql, v.id)))) return fail(403, 'You do not have permission to perform this action.')
  if (write && !isAnnouncementAdmin(v)) return fail(403, 'You do not have permission to perform this action.')
  return null
}

type Parsed = { ok: true; title?: string; content?: string; author?: string; groups?: number[]; pinned?: boolean; expiration?: Date } | { ok: false; res: Response }

async function parseBody(deps: Deps, raw: unknown, partial: boolean): Promise<Parsed> {
  const b = bodyRecord(raw)
  const errors: string[] = []
  const out: Extract<Parsed, { ok: true }> = { ok: true }
  const text = (k: string, max: number, required: boolean) => {
    const v = b[k]
    if (v === undefined || v === null) {
      if (required && !partial) errors.push(`${k}: This field is required.`)
      return undefined
    }
    if (typeof v !== 'string') return void errors.push(`${k}: Not a valid string.`)
    const s = k === 'content' ? v : v.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim()
    if (required && !s.trim()) return void errors.push(`${k}: This field may not be blank.`)
    if (s.length > max) return void errors.push(`${k}: Ensure this field has no more than ${max} characters.`)
    return s
  }
  out.title = text('title', 127, true)
  const content = text('content', RICH_TEXT_MAX, true)
  if (content !== undefined) {
    out.content = sanitizeRichText(content, deps.config)
    if (out.content.length > RICH_TEXT_STORED_MAX) errors.push('content: The text is too long once its links are added.')
  }
  out.author = text('author', 63, false)
  if (b.groups !== undefined) {
    const list = Array.isArray(b.groups) ? b.groups : typeof b.groups === 'string' ? b.groups.split(',').filter(Boolean) : null
    const ids = list?.map((x) => (typeof x === 'number' ? x : /^\s*\d{1,9}\s*$/.test(String(x)) ? Number(x) : NaN))
    if (!ids || ids.some((x) => !Number.isInteger(x) || x < 1)) errors.push('groups: Expected a list of group ids.')
    else {
      const found = await existingGroupIds(deps.sql, [...new Set(ids)])
      if (found.length !== new Set(ids).size) errors.push('groups: Invalid pk - object does not exist.')
      else out.groups = found
    }
  }
  const pinned = boolField(b, 'pinned')
  if (!pinned.ok) errors.push(`pinned: ${pinned.message}`)
  else if (pinned.value !== null) out.pinned = pinned.value
  if (b.expiration_date !== undefined && b.expiration_date !== null) {
    const d = typeof b.expiration_date === 'string' ? new Date(b.expiration_date) : null
    if (!d || Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(String(b.expiration_date))) errors.push('expiration_date: Datetime has wrong format.')
    else out.expiration = d
  }
  return errors.length ? { ok: false, res: fail(400, ...errors) } : out
}

const record = (deps: Deps, v: Viewer, action: string, id: number, details: object) =>
  audit(deps.sql, { actorId: v.id, action, targetType: 'announcement', targetId: id, at: deps.clock.now(), details: { ...details, via: 'api' } })

export function announcementsApi(base: Base) {
  const one = async (deps: Deps, v: Viewer, idRaw: string, write: boolean) => {
    const id = pathId(idRaw)
    const scope = scopeOf(deps, v, write)
    return id === null || !scope ? null : announcementRow(deps.sql, id, v.id, scope)
  }
  const update = async (deps: Deps, viewer: Viewer, idRaw: string, body: unknown, partial: boolean) => {
    const refused = await refusal(deps, viewer, true)
    if (refused) return refused
    const row = await one(deps, viewer, idRaw, true)
    if (!row) return fail(404, NOT_FOUND)
    const p = await parseBody(deps, body, partial)
    if (!p.ok) return p.res
    const now = deps.clock.now()
    await deps.sql.begin((tx) => updateAnnouncement(tx, row.id, {
      title: p.title ?? row.title, content: p.content ?? row.content, author: p.author ?? row.author, public: row.public,
      expirationDate: p.expiration ?? row.expirationDate, notifyPost: row.notifyPost, notifyEmailAll: row.notifyEmailAll, pinned: p.pinned ?? row.pinned,
    }, p.groups ?? null, now, false))
    await record(deps, viewer, 'announcement.update', row.id, { title: p.title ?? row.title })
    return json(apiShape((await announcementRow(deps.sql, row.id, viewer.id, null))!, deps))
  }
  return new Elysia({ name: 'announcements-api' })
    .use(base)
    .get('/api/announcements', async ({ deps, viewer, query, request }) => {
      const refused = await refusal(deps, viewer, false)
      if (refused) return refused
      const p = pageParams(query, 50, 50)
      if (p instanceof Response) return p
      const scope = scopeOf(deps, viewer)
      const { rows, count } = scope ? await apiRows(deps.sql, scope, p.size, p.offset) : { rows: [], count: 0 }
      if (pageMissing(p, rows.length)) return fail(404, 'Invalid page.')
      return json(paged(request.url, deps.config.baseUrl, p.page, p.size, count, rows.map((r) => apiShape(r, deps))))
    }, { policy: 'user' })
    .post('/api/announcements', async ({ deps, viewer, body }) => {
      const refused = await refusal(deps, viewer, true)
      if (refused) return refused
      const p = await parseBody(deps, body, false)
      if (!p.ok) return p.res
      const now = deps.clock.now()
      const id = await deps.sql.begin((tx) => insertAnnouncement(tx, {
        title: p.title!, content: p.content!, author: p.author ?? '', userId: viewer.id, activityId: null, public: false,
        expirationDate: p.expiration ?? NEVER, notifyPost: false, notifyEmailAll: false, pinned: p.pinned ?? false,
      }, p.groups ?? [], now))
      await record(deps, viewer, 'announcement.create', id, { title: p.title })
      return json(apiShape((await announcementRow(deps.sql, id, viewer.id, null))!, deps), 201)
    }, { policy: 'user' })
    .get('/api/announcements/:id', async ({ deps, viewer, params }) => {
      const refused = await refusal(deps, viewer, false)
      if (refused) return refused
      const row = await one(deps, viewer, params.id, false)
      return row ? json(apiShape(row, deps)) : fail(404, NOT_FOUND)
    }, { policy: 'user' })
    .put('/api/announcements/:id', ({ deps, viewer, params, body }) => update(deps, viewer, params.id, body, false), { policy: 'user' })
    .patch('/api/announcements/:id', ({ deps, viewer, params, body }) => update(deps, viewer, params.id, body, true), { policy: 'user' })
    .delete('/api/announcements/:id', async ({ deps, viewer, params }) => {
      const refused = await refusal(deps, viewer, true)
      if (refused) return refused
      const row = await one(deps, viewer, params.id, true)
      if (!row) return fail(404, NOT_FOUND)
      await deps.sql.begin((tx) => deleteAnnouncementRow(tx, row.id))
      await record(deps, viewer, 'announcement.delete', row.id, { title: row.title })
      return new Response(null, { status: 204 })
    }, { policy: 'user' })
}
