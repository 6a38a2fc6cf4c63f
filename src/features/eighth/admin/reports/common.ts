import { toCsv } from '../../../../platform/csv.ts'
import { HttpError } from '../../../../platform/errors.ts'
import type { Deps } from '../../../../platform/http.ts'
import type { Viewer } from '../../../../platform/viewer.ts'
import { gradeNumber } from '../../../users/grade.ts'
import { field } from '../../signup-contract.ts'

// What the office's report routes share: the handler context, query parsing (4xx with a clear
// message on bad input, never a 500) and CSV downloads.

export type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  query: Record<string, unknown>
  params?: Record<string, string | undefined>
  set: { headers: Record<string, unknown> }
}

export const q1 = (v: unknown) => field({ v }, 'v')
export const h = (fn: (c: Ctx) => unknown) => (c: unknown) => fn(c as Ctx)

/** A query value given any number of times. */
export const qAll = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)])

export function idParam(raw: string | undefined, what = 'That page'): number {
  if (!raw || !/^\d{1,9}$/.test(raw)) throw new HttpError(404, `${what} does not exist.`)
  return Number(raw)
}

/** 'YYYY-MM-DD' or the fallback when empty; anything else is a 422. */
export function dateParam(v: unknown, fallback: string, label: string): string {
  const s = (q1(v) ?? '').trim()
  if (!s) return fallback
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s + 'T00:00:00Z'))) throw new HttpError(422, `${label} must be a date (YYYY-MM-DD).`)
  return s
}

export function intParam(v: unknown, o: { fallback: number | null; min: number; max: number; label: string }): number | null {
  const s = (q1(v) ?? '').trim()
  if (!s) return o.fallback
  if (!/^\d{1,6}$/.test(s) || Number(s) < o.min || Number(s) > o.max) throw new HttpError(422, `${o.label} must be a whole number from ${o.min} to ${o.max}.`)
  return Number(s)
}

export function rangeCheck(start: string, end: string): void {
  if (start > end) throw new HttpError(422, 'The start date must not be after the end date.')
}

/** A CSV file with a download header. */
export function csvResponse(filename: string, rows: (string | number | null | undefined)[][]): Response {
  const safe = filename.replace(/[^A-Za-z0-9._-]+/g, '-')
  return new Response(toCsv(rows), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${safe}"`, 'cache-control': 'private, no-store' },
  })
}

/** "True"/"False", as Ion's CSVs print booleans. */
export const py = (b: boolean) => (b ? 'True' : 'False')

/** Grade 9–12 or '' (staff, graduates). */
export function gradeOf(deps: Deps, graduationYear: number | null): number | '' {
  const n = gradeNumber(graduationYear, deps.clock.today(), deps.config.yearTurnoverMonth)
  return n >= 9 && n <= 12 ? n : ''
}

/** The query string of a filter form, for CSV links and pagination. */
export function queryString(params: Record<string, string | number | null | undefined | string[]>): string {
  const u = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const x of v) u.append(k, x)
    else if (v !== null && v !== undefined && v !== '') u.set(k, String(v))
  }
  const s = u.toString()
  return s ? `?${s}` : ''
}
