import type { Config } from '../../config.ts'
import type { Deps } from '../../platform/http.ts'
import { json } from '../../platform/api.ts'
import { addDays } from '../../platform/zoned.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { canUseApi } from '../users/api-access.sql.ts'
import type { DateRange } from './api.sql.ts'

// Conventions shared by the eighth-period API routes: URLs, errors, filters, pages and bodies.

export const OBJECT_MISSING = 'Object does not exist (in database).'

/** Ion's error shape: `{"details": [...]}`. */
export const fail = (status: number, ...details: string[]) => json({ details }, status)

export const urls = (config: Config) => ({
  block: (id: number) => `${config.baseUrl}/api/blocks/${id}`,
  activity: (id: number) => `${config.baseUrl}/api/activities/${id}`,
  roster: (scheduledId: number) => `${config.baseUrl}/api/signups/scheduled_activity/${scheduledId}`,
  profile: (userId: number) => `${config.baseUrl}/api/profile/${userId}`,
})
export type Urls = ReturnType<typeof urls>

/**
 * Ion: (signed in AND not restricted AND oauth_and_api_access) OR token auth. The route's 'member'
 * policy covers the first two; the account flag is checked here, except for personal tokens.
 */
export async function apiRefusal(deps: Deps, viewer: Viewer): Promise<Response | null> {
  if (viewer.via === 'token') return null
  if (await canUseApi(deps.sql, viewer.id)) return null
  return fail(403, 'You do not have permission to perform this action.')
}

/** Positive integer ids in paths; anything else is a missing object. */
export function pathId(s: string): number | null {
  return /^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : null
}

/** The school year around `today`: Aug 1 – Jul 31 for a turnover month of July. */
export function schoolYear(today: string, turnoverMonth: number): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const startMonth = (turnoverMonth % 12) + 1
  const startYear = m >= startMonth ? y : y - 1
  const from = `${startYear}-${String(startMonth).padStart(2, '0')}-01`
  const to = addDays(`${startYear + 1}-${String(startMonth).padStart(2, '0')}-01`, -1)
  return { from, to }
}

/** Python's strptime('%Y-%m-%d'): 1–2 digit month and day, a real calendar date. Normalised. */
export function parseDate(s: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (y < 1 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

type Query = Record<string, string | undefined>

/**
 * `?start_date=` (from that date on) wins over `?date=` (that day only); neither means this
 * school year. A bad date is a 400 with Ion's message.
 */
export function dateFilter(query: Query, today: string, turnoverMonth: number, prefer: 'start_date' | 'date' = 'start_date'): DateRange | Response {
  const order = prefer === 'start_date' ? (['start_date', 'date'] as const) : (['date', 'start_date'] as const)
  for (const key of order) {
    const raw = query[key]
    if (raw === undefined) continue
    const d = parseDate(raw)
    if (!d) return fail(400, `Invalid format for ${key}.`)
    return key === 'date' ? { from: d, to: d } : { from: d, to: null }
  }
  return schoolYear(today, turnoverMonth)
}

export type PageParams = { page: number; size: number; offset: number }

/** DRF page-number pagination: `page` (1-based; a bad one is 404), `page_size` up to `max`. */
export function pageParams(query: Query, def = 50, max = 200): PageParams | Response {
  const p = query.page ?? '1'
  if (!/^\d{1,6}$/.test(p) || Number(p) < 1) return fail(404, 'Invalid page.')
  const page = Number(p)
  const s = query.page_size
  const asked = s !== undefined && /^\d{1,6}$/.test(s) && Number(s) >= 1 ? Number(s) : def
  const size = Math.min(asked, max)
  return { page, size, offset: (page - 1) * size }
}

/** Past the last page (except an empty first page) is DRF's 404. */
export const pageMissing = (p: PageParams, rows: number) => rows === 0 && p.page > 1

/** A JSON value spliced in verbatim: objects keyed by numbers keep their order this way. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * `{"12": …, "3": …}` in the given order (a JS object would sort integer keys). Each value is
 * plain JSON data (or a RawJson) and goes through the native JSON.stringify: ten times faster
 * than `stringify`, and objects keep the order their keys were written in.
 */
export function orderedObject(entries: [number | string, unknown][]): RawJson {
  return new RawJson('{' + entries.map(([k, v]) => '"' + String(k).replace(/["\\]/g, '\\$&') + '":' + (v instanceof RawJson ? v.text : JSON.stringify(v))).join(',') + '}')
}

export function stringify(v: unknown): string {
  if (v instanceof RawJson) return v.text
  if (v && typeof v === 'object' && !Array.isArray(v))
    return '{' + Object.entries(v).map(([k, x]) => JSON.stringify(k) + ':' + stringify(x)).join(',') + '}'
  if (Array.isArray(v)) return '[' + v.map(stringify).join(',') + ']'
  return JSON.stringify(v) ?? 'null'
}

/** A JSON response whose body may contain RawJson parts. */
export const jsonRaw = (body: unknown, status = 200) =>
  new Response(stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } })

// Request bodies: JSON or form-encoded, so numbers and booleans may arrive as strings.

export type Field<T> = { ok: true; value: T | null } | { ok: false; message: string }

export function intField(body: Record<string, unknown>, key: string): Field<number> {
  const v = body[key]
  if (v === undefined || v === null || v === '') return { ok: true, value: null }
  if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 2 ** 31) return { ok: true, value: v }
  if (typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) && Number(v) > 0) return { ok: true, value: Number(v) }
  return { ok: false, message: `Incorrect type for ${key}: expected an id (a positive integer).` }
}

const TRUE = new Set(['true', '1', 'on', 'yes', 't', 'y'])
const FALSE = new Set(['false', '0', 'off', 'no', 'f', 'n', ''])

/** DRF's BooleanField: true/false, 1/0, "true"/"false", "on"/"off", "yes"/"no" in any case. */
export function boolField(body: Record<string, unknown>, key: string): Field<boolean> {
  const v = body[key]
  if (v === undefined || v === null) return { ok: true, value: null }
  if (typeof v === 'boolean') return { ok: true, value: v }
  if (v === 1 || v === 0) return { ok: true, value: v === 1 }
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase()
    if (TRUE.has(s)) return { ok: true, value: true }
    if (FALSE.has(s)) return { ok: true, value: false }
  }
  return { ok: false, message: `${key} must be a valid boolean.` }
}

/** The parsed body as a record (Elysia parses JSON and form bodies; anything else is empty). */
export function bodyRecord(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
}
