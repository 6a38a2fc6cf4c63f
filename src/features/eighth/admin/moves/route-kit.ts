import type { Deps } from '../../../../platform/http.ts'
import { isHtmx, page } from '../../../../platform/html/page.tsx'
import { redirect } from '../../../../platform/redirect.ts'
import type { Viewer } from '../../../../platform/viewer.ts'
import { readFlash, storeFlash, type Flash } from '../../flash.ts'
import type { Actor, MoveOutcome } from './common.ts'

// What the moves' handlers share: the context, parsing form values (a repeated field arrives as an
// array, a single one as a string), and the answer to a POST — the tool's section again for htmx,
// a 303 back to the page with the result kept for it otherwise, and 4xx with the reasons.

export type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  ip: string
  query: Record<string, unknown>
  params: Record<string, string>
  body: unknown
  set: { status?: number | string; headers: Record<string, unknown> }
}

export const actorOf = (c: Ctx): Actor => ({ viewer: c.viewer, ip: c.ip })

const MAX_ID = 2147483647
/** A positive integer id, or null. */
export function idOf(v: unknown): number | null {
  const s = Array.isArray(v) ? v[0] : v
  if (typeof s !== 'string' || !/^\d{1,10}$/.test(s.trim())) return null
  const n = Number(s.trim())
  return n >= 1 && n <= MAX_ID ? n : null
}

/** Every id of a repeated field; null when any value is not an id. Empty or missing: []. */
export function idsOf(v: unknown, max = 5000): number[] | null {
  if (v === undefined || v === '') return []
  const xs = Array.isArray(v) ? v : [v]
  if (xs.length > max) return null
  const out: number[] = []
  for (const x of xs) {
    const n = idOf(x)
    if (n === null) return null
    out.push(n)
  }
  return [...new Set(out)]
}

export const textOf = (v: unknown, max = 100_000): string | null => {
  const s = Array.isArray(v) ? v[0] : v
  if (s === undefined) return ''
  return typeof s === 'string' && s.length <= max ? s : null
}

export const checked = (v: unknown) => v === 'on' || v === 'true' || v === '1' || (Array.isArray(v) && v.includes('on'))

export const fields = (c: Ctx): Record<string, unknown> => (c.body && typeof c.body === 'object' ? (c.body as Record<string, unknown>) : {})

export async function flashOf(c: Ctx): Promise<Flash | null> {
  const t = c.query.flash
  return readFlash(c.deps.redis, c.viewer.id, typeof t === 'string' ? t : undefined)
}

/** A tool page (or, for htmx partial requests, its section alone). */
export const toolPage = (c: Ctx, title: string, body: JSX.Element, status?: number) => {
  if (status) c.set.status = status
  return page(c, title, body)
}

/**
 * After a POST: on success, htmx gets `again(flash)` (the section with the result), a plain form
 * a 303 to `back` with the result kept for it. On failure, `again` with the reasons and the status.
 */
export async function answer(c: Ctx, out: MoveOutcome, back: string, title: string, again: (flash: Flash) => Promise<JSX.Element> | JSX.Element): Promise<unknown> {
  if (!out.ok) return toolPage(c, title, await again({ kind: 'error', messages: out.errors }), out.status)
  const flash: Flash = { kind: 'ok', messages: out.messages }
  if (isHtmx(c.request)) return toolPage(c, title, await again(flash))
  const token = await storeFlash(c.deps.redis, c.viewer.id, flash)
  return redirect(c.request, `${back}${back.includes('?') ? '&' : '?'}flash=${token}`)
}

/**
 * Hands the route's context to a handler typed as Ctx. Elysia reads a handler's source to decide
 * which context fields to build; passing the whole context to a function makes it build them all
 * (an aliased `const x = c` left `query` undefined). The query keeps repeated names.
 */
export const withCtx = <T>(c: unknown, fn: (x: Ctx) => T): T => fn({ ...(c as Ctx), query: queryOf((c as Ctx).request) })

/** The query string with repeated names as arrays (Elysia keeps only the last of a repeated name). */
export function queryOf(request: Request): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of new URL(request.url).searchParams) {
    const prev = out[k]
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  return out
}
