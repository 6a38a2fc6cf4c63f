import { Elysia } from 'elysia'
import { wsOriginAllowed } from './csrf.ts'
import type { Base, Deps } from './http.ts'
import { pubsubOf } from './pubsub.ts'
import type { Policy, Viewer } from './viewer.ts'

// The WebSocket route pattern for features (live seat counts, the bus board):
//
//   liveSocket(base, '/eighth/blocks/:id/live', {
//     policy: 'member',
//     topics: ({ params }) => [`eighth.block.${params.id}`],
//   })
//
// and, from a service after the change commits: `await pubsubOf(deps).publish(topic, html)`.
// The upgrade checks Origin (DESIGN.md §4) and the policy; the socket subscribes to its topics;
// the app's pubsub relays each message from Redis to this server's subscribers exactly once.

export type LiveCtx = { viewer: Viewer | null; ip: string; request: Request | null; params: Record<string, string>; query: Record<string, string | undefined>; deps: Deps }

/** The open socket, as `opened` sees it. */
export type LiveSocket = { send(text: string): void; close(code?: number, reason?: string): void }

export type LiveOptions = {
  /** Who may connect. 'anonymous' allows visitors (viewer null); 'public' is not allowed here. */
  policy: Exclude<Policy, 'public'>
  /** The topics this socket receives; null refuses the connection (404: no such thing). */
  topics: (ctx: LiveCtx) => string[] | null
  /**
   * A further check at the upgrade, after the policy and Origin (e.g. visitors only from
   * INTERNAL_IPS): null admits, else the refusal's status and message.
   */
  admit?: (ctx: LiveCtx) => { status: number; message: string } | null
  /** Once the socket is open and subscribed to its topics (e.g. to send it a snapshot). */
  opened?: (ctx: LiveCtx, socket: LiveSocket) => void
  /** Messages from the client (htmx's hx-ws sends parsed JSON; others send strings). */
  message?: (ctx: LiveCtx, data: unknown, reply: (text: string) => void) => void | Promise<void>
}

type WsData = LiveCtx
type UpgradeCtx = {
  request: Request
  ip?: string
  status: (code: number, body: string) => unknown
  viewer?: Viewer | null
  params?: Record<string, string>
  query?: Record<string, string | undefined>
}

export function liveSocket(base: Base, path: string, opts: LiveOptions) {
  const deps = base.decorator.deps
  const route = {
    beforeHandle(c: UpgradeCtx) {
      if (!wsOriginAllowed(c.request, deps.config)) return c.status(403, 'The request came from another site.')
      if (opts.topics(ctxOf(c, deps)) === null) return c.status(404, 'Not found')
      const refusal = opts.admit?.(ctxOf(c, deps))
      if (refusal) return c.status(refusal.status, refusal.message)
    },
    open(ws: { data: unknown; subscribe(t: string): void; send(s: string): unknown; close(code?: number, reason?: string): void }) {
      const ctx = ctxOf(ws.data as WsData, deps)
      for (const t of opts.topics(ctx) ?? []) ws.subscribe(t)
      opts.opened?.(ctx, { send: (text) => { ws.send(text) }, close: (code, reason) => { ws.close(code, reason) } })
    },
    async message(ws: { data: unknown; send(s: string): unknown }, data: unknown) {
      if (!opts.message) return
      await opts.message(ctxOf(ws.data as WsData, deps), data, (text) => { ws.send(text) })
    },
  }
  const app = new Elysia()
    .use(base)
    .onStart(({ server }) => { if (server) pubsubOf(deps).attach(server as never) })
  // The access declaration goes through a guard: a ws route's `open` handler shadows the `open` macro.
  return opts.policy === 'anonymous'
    ? app.guard({ open: 'anonymous' }, (g) => g.ws(path, route as never))
    : app.guard({ policy: opts.policy }, (g) => g.ws(path, route as never))
}

function ctxOf(c: { viewer?: Viewer | null; ip?: string; request?: Request | null; params?: Record<string, string>; query?: Record<string, string | undefined> }, deps: Deps): LiveCtx {
  return { viewer: c.viewer ?? null, ip: c.ip ?? '', request: c.request ?? null, params: c.params ?? {}, query: c.query ?? {}, deps }
}
