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

/**
 * Bun's server-wide WebSocket limits (the root app's `websocket` config, see app.tsx). Clients
 * send only small JSON (a keepalive, a bus admin's change with an announcement of at most 2,000
 * characters): a bigger frame closes that socket with 1009 before it is buffered, instead of
 * Bun's default of 16 MB per message.
 */
export const WS_SERVER_OPTIONS = { maxPayloadLength: 16 * 1024 } as const

/** Close code for a graceful shutdown: "service restart", clients reconnect (hx-ws and bus.js do). */
export const WS_RESTART = 1012

type RawSocket = { close(code?: number, reason?: string): void }
type LiveSet = { sockets: Set<RawSocket>; closing: boolean }
const live = new WeakMap<object, LiveSet>()
const liveOf = (services: object): LiveSet => {
  let l = live.get(services)
  if (!l) live.set(services, (l = { sockets: new Set(), closing: false }))
  return l
}

/**
 * Graceful shutdown (`ion serve` on SIGTERM): refuses new upgrades and closes every open socket of
 * this app with `code` (1012: the client reconnects, to another instance or to this one restarted).
 * Returns how many were closed.
 */
export function closeLiveSockets(services: object, code = WS_RESTART, reason = 'Service restart'): number {
  const l = liveOf(services)
  l.closing = true
  const n = l.sockets.size
  for (const s of l.sockets) {
    try { s.close(code, reason) } catch {}
  }
  l.sockets.clear()
  return n
}
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
      if (liveOf(deps.services).closing) return c.status(503, 'The server is restarting.')
      if (!wsOriginAllowed(c.request, deps.config)) return c.status(403, 'The request came from another site.')
      if (opts.topics(ctxOf(c, deps)) === null) return c.status(404, 'Not found')
      const refusal = opts.admit?.(ctxOf(c, deps))
      if (refusal) return c.status(refusal.status, refusal.message)
    },
    open(ws: { raw: RawSocket; data: unknown; subscribe(t: string): void; send(s: string): unknown; close(code?: number, reason?: string): void }) {
      liveOf(deps.services).sockets.add(ws.raw)
      const ctx = ctxOf(ws.data as WsData, deps)
      for (const t of opts.topics(ctx) ?? []) ws.subscribe(t)
      opts.opened?.(ctx, { send: (text) => { ws.send(text) }, close: (code, reason) => { ws.close(code, reason) } })
    },
    close(ws: { raw: RawSocket }) {
      liveOf(deps.services).sockets.delete(ws.raw)
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
