import type { WsServer } from '../platform/pubsub.ts'
import type { Runtime } from './runtime.ts'
import { backgroundHooks } from './background-hooks.ts'

/** `server` is there when the hooks start after `ion serve` listens (not in `ion worker`). */
export type StartCtx = Runtime & { services: Record<string, unknown>; server?: WsServer }
/** Background services started by `ion serve` (mail worker, jobs, pubsub); each returns its stop. */
export type StartHook = (ctx: StartCtx) => Promise<(() => Promise<void> | void) | void>

export const startHooks: StartHook[] = [...backgroundHooks]
