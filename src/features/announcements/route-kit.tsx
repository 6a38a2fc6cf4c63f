import { HttpError } from '../../platform/errors.ts'
import { positiveIdParam, refused, type RouteCtx } from '../../platform/route-kit.ts'
import { page as renderPage } from '../../platform/html/page.tsx'
import type { Act } from './access.ts'
import { defaultExpiration } from './form.ts'
import type { ItemOpts } from './views/item.tsx'

// What the announcement routes share: the handler context, refusals, ids and flash messages.

export type Ctx = RouteCtx

/** Elysia's context, typed as much as the announcement handlers need. */
export const ctx = (c: unknown) => c as Ctx

export const act = (c: Ctx): Act => ({ deps: c.deps, viewer: c.viewer, ip: c.ip })

export const page = (c: Ctx, title: string, body: JSX.Element, flash?: string) => renderPage(c, title, body, { flash })

/** A positive id from the path, or 404. */
export const idParam = (c: Ctx, name = 'id'): number => positiveIdParam(c.params, name, 'That announcement does not exist.')

export { refused }

export const itemOpts = (c: Ctx, extra: Partial<ItemOpts> = {}): ItemOpts => ({ tz: c.deps.config.schoolTz, now: c.deps.clock.now(), ...extra })

export const expirationDefault = (c: Ctx) => defaultExpiration(c.deps.clock).local

export const truthy = (s: string | undefined) => s !== undefined && ['1', 'true', 'on', 'yes'].includes(s.toLowerCase())

export function pageParam(s: string | undefined): number {
  if (s === undefined) return 1
  if (!/^\d{1,4}$/.test(s) || Number(s) < 1) throw new HttpError(404, 'That page does not exist.')
  return Number(s)
}

export const DONE: Record<string, string> = {
  posted: 'The announcement is posted.',
  saved: 'Your changes are saved.',
  expired: 'The announcement has expired. It is still in the archive.',
  deleted: 'The announcement was deleted.',
  approved: 'You approved the request. An administrator will post it.',
  rejected: 'The request was rejected.',
  teacher_rejected: 'You rejected the request.',
}

export const flashOf = (c: Ctx) => (c.query.done && Object.hasOwn(DONE, c.query.done) ? DONE[c.query.done] : undefined)
