import type { Runtime } from './runtime.ts'
import { backgroundHooks } from './background-hooks.ts'

export type StartCtx = Runtime & { services: Record<string, unknown> }
/** Background services started by `ion serve` (mail worker, jobs, pubsub); each returns its stop. */
export type StartHook = (ctx: StartCtx) => Promise<(() => Promise<void> | void) | void>

export const startHooks: StartHook[] = [...backgroundHooks]
