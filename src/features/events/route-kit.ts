import { positiveIdParam, refused, type RouteCtx } from '../../platform/route-kit.ts'
import type { Act } from './service.ts'

// What the event routes share: the handler context, ids, refusals and flash messages.

export type Ctx = RouteCtx

/** Elysia's context, typed as much as the event handlers need. */
export const ctx = (c: unknown) => c as Ctx
export const act = (c: Ctx): Act => ({ deps: c.deps, viewer: c.viewer, ip: c.ip })

export const idParam = (c: Ctx, name = 'id'): number => positiveIdParam(c.params, name, 'That event does not exist.')

export { refused }

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
