import { HttpError } from '../../platform/errors.ts'
import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import type { Act, Refusal } from './service.ts'

// What the event routes share: the handler context, ids, refusals and flash messages.

export type Ctx = {
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

/** Elysia's context, typed as much as the event handlers need. */
export const ctx = (c: unknown) => c as Ctx
export const act = (c: Ctx): Act => ({ deps: c.deps, viewer: c.viewer, ip: c.ip })

export function idParam(c: Ctx, name = 'id'): number {
  const s = c.params[name] ?? ''
  if (!/^\d{1,9}$/.test(s) || Number(s) < 1) throw new HttpError(404, 'That event does not exist.')
  return Number(s)
}

/** 403/404 are errors; 409/422 re-render with the reasons and that status. */
export function refused<T>(c: Ctx, r: Refusal, rerender: (errors: string[]) => T): T {
  if (r.status === 403 || r.status === 404) throw new HttpError(r.status, r.errors.join(' '))
  c.set.status = r.status
  return rerender(r.errors)
}

export const DONE: Record<string, string> = {
  added: 'Because you are an administrator, this event was auto-approved.',
  requested: 'Your event needs to be approved by an administrator. You will be emailed when it is, usually within 24 hours.',
  saved: 'Your changes are saved.',
  deleted: 'The event was deleted.',
  approved: 'The event is approved and the requester was emailed.',
  rejected: 'The event was rejected and the requester was emailed.',
  going: 'You are going.',
  not_going: 'You are no longer going.',
  reset: 'Your new private link is below. The old one no longer works.',
  revoked: 'Your private link is turned off.',
}

export const flashOf = (c: Ctx) => (c.query.done && Object.hasOwn(DONE, c.query.done) ? DONE[c.query.done] : undefined)
