import { HttpError } from './errors.ts'
import type { Deps } from './http.ts'
import type { Viewer } from './viewer.ts'

// What feature route kits share: Elysia's handler context as the handlers use it, a positive id
// from the path, and the answer to a service's refusal.

export type RouteCtx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  ip: string
  set: { status?: number | string; headers: Record<string, unknown> }
  query: Record<string, string | undefined>
  params: Record<string, string>
  body: unknown
  banners?: string[]
}

/** A service's refusal: 403/404 are errors; the others re-render a form with the reasons. */
export type Refusal = { ok: false; status: 403 | 404 | 409 | 413 | 415 | 422; errors: string[] }

/** A positive id from the path, or 404 with `missing` ("That event does not exist."). */
export function positiveIdParam(params: Record<string, string>, name: string, missing: string): number {
  const s = params[name] ?? ''
  if (!/^\d{1,9}$/.test(s) || Number(s) < 1) throw new HttpError(404, missing)
  return Number(s)
}

/** 403/404 are errors; 409/422 (…) re-render with the reasons and that status. */
export function refused<T>(c: Pick<RouteCtx, 'set'>, r: { status: Refusal['status']; errors: string[]; ok?: false }, rerender: (errors: string[]) => T): T {
  if (r.status === 403 || r.status === 404) throw new HttpError(r.status, r.errors.join(' '))
  c.set.status = r.status
  return rerender(r.errors)
}
