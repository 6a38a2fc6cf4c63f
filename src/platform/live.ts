import { Elysia } from 'elysia'
import { wsOriginAllowed } from './csrf.ts'
import type { Base, Deps } from './http.ts'
import { pubsubOf } from './pubsub.ts'
import { readCookie, SESSION_COOKIE } from './session.ts'
import { USER_TYPES, type Policy, type Viewer } from './viewer.ts'

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

/**
 * What a socket keeps for its whole life. Small on purpose (thousands stay open on a bus board):
 * the session token (to check the session again before a write) rather than the upgrade's
 * Request or its whole Cookie header, no framework context, and of the viewer only what the
 * socket's handlers decide with (who, what type, which permissions) — not the session record,
 * names and preferences a page needs.
 */
export type LiveCtx = { viewer: LiveViewer | null; ip: string; token: string | null; params: Record<string, string>; query: Record<string, string | undefined>; deps: Deps }

/** The viewer as a socket keeps it: enough for `hasPerm`, `isRestricted` and the id. */
export type LiveViewer = Pick<Viewer, 'id' | 'userType' | 'isSuperuser' | 'perms'>

/** The upgrade's context: the full viewer, for `topics` and `admit` (nothing here is kept). */
export type UpgradeCheck = Omit<LiveCtx, 'viewer'> & { viewer: Viewer | null }

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
  admit?: (ctx: UpgradeCheck) => { status: number; message: string } | null
  /** Once the socket is open and subscribed to its topics (e.g. to send it a snapshot). `socket` is Bun's own. */
  opened?: (ctx: LiveCtx, socket: LiveSocket) => void
  /** Messages from the client (htmx's hx-ws sends parsed JSON; others send strings). */
  message?: (ctx: LiveCtx, data: unknown, reply: (text: string) => void) => void | Promise<void>
}


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
  server?: { upgrade(request: Request, options: { data: unknown }): boolean } | null
  viewer?: Viewer | null
  params?: Record<string, string>
  query?: Record<string, string | undefined>
}

type Ws = { data: LiveCtx; subscribe(t: string): void; send(s: string): unknown; close(code?: number, reason?: string): void }

/** As Elysia parses a text frame: JSON when it looks like JSON, else the string. */
function parseFrame(m: unknown): unknown {
  if (typeof m !== 'string') return typeof (m as Buffer)?.toString === 'function' ? (m as Buffer).toString() : m
  const c = m.charCodeAt(0)
  if (c === 123 || c === 91 || c === 34) {
    try { return JSON.parse(m) } catch { return m }
  }
  return m
}

const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })

/** A WebSocket upgrade request (rather than a page load at the same path). */
export const isUpgrade = (request: Request) => request.headers.get('upgrade')?.toLowerCase() === 'websocket'

const NONE: Record<string, never> = Object.freeze({})
const NO_PERMS: string[] = Object.freeze([]) as unknown as string[]

/**
 * The viewer a socket keeps (see LiveViewer), sharing what thousands of sockets have in common: the
 * user type as the one constant string (not a copy per database row), and the empty permission list.
 */
function keptViewer(v: Viewer | null): LiveViewer | null {
  if (!v) return null
  const userType = USER_TYPES.find((t) => t === v.userType) ?? v.userType
  return { id: v.id, userType, isSuperuser: v.isSuperuser, perms: v.perms.length ? v.perms : NO_PERMS }
}

/**
 * The upgrade for `path` as a function of a GET route's context: a refusal, or undefined once the
 * socket is handed to Bun. For a path that is also a page (Ion's /bus), the page's route calls it
 * when `isUpgrade(request)`; otherwise `liveSocket` gives the path a route of its own.
 *
 * Bun's per-socket data is one small object: Elysia's server-wide WebSocket handlers call
 * `data.open/message/close`, so the data is an instance of a class made here, whose methods (on
 * its prototype, shared by every socket of this path) are those handlers and whose fields are
 * the LiveCtx — instead of Elysia's `.ws()`, whose data is a copy of the whole request context
 * plus eight closures per socket (about 8 KiB against Bun's own 2.5 KiB).
 */
export function liveUpgrade(deps: Deps, path: string, opts: LiveOptions): (c: unknown) => Response | undefined {
  const mine = liveOf(deps.services)
  class SocketData implements LiveCtx {
    constructor(
      public viewer: LiveViewer | null, public ip: string, public token: string | null,
      public params: Record<string, string>, public query: Record<string, string | undefined>, public deps: Deps,
    ) {}
    open(ws: Ws) {
      mine.sockets.add(ws)
      for (const t of opts.topics(this) ?? []) ws.subscribe(t)
      opts.opened?.(this, ws)
    }
    async message(ws: Ws, data: unknown) {
      if (!opts.message) return
      try {
        await opts.message(this, parseFrame(data), (t) => { ws.send(t) })
      } catch (e) {
        deps.log.error('live: message handler failed', { path, error: String((e as Error)?.message ?? e) })
      }
    }
    close(ws: Ws) {
      mine.sockets.delete(ws)
    }
  }
  return (x) => {
    const c = x as UpgradeCtx
    if (mine.closing) return text(503, 'The server is restarting.')
    if (!wsOriginAllowed(c.request, deps.config)) return text(403, 'The request came from another site.')
    const check = checkOf(c, deps)
    if (opts.topics(check) === null) return text(404, 'Not found')
    const refusal = opts.admit?.(check)
    if (refusal) return text(refusal.status, refusal.message)
    const data = new SocketData(keptViewer(check.viewer), check.ip, check.token, check.params, check.query, deps)
    if (c.server?.upgrade(c.request, { data })) return undefined
    return text(400, 'Expected a websocket connection')
  }
}

/** Relays pubsub to this server's sockets once it listens (idempotent per app). */
export const livePlugin = (base: Base) => new Elysia().use(base).onStart(({ server }) => { if (server) pubsubOf(base.decorator.deps).attach(server as never) })

export function liveSocket(base: Base, path: string, opts: LiveOptions) {
  const upgrade = liveUpgrade(base.decorator.deps, path, opts)
  const app = livePlugin(base)
  return opts.policy === 'anonymous'
    ? app.get(path, (c) => upgrade(c), { open: 'anonymous' })
    : app.get(path, (c) => upgrade(c), { policy: opts.policy })
}

function checkOf(c: UpgradeCtx, deps: Deps): UpgradeCheck {
  const p = c.params ?? NONE
  const q = c.query ?? NONE
  return {
    viewer: c.viewer ?? null, ip: c.ip ?? '',
    token: c.viewer?.via === 'session' ? readCookie(c.request.headers.get('cookie'), SESSION_COOKIE) : null,
    params: Object.keys(p).length ? { ...p } : NONE, query: Object.keys(q).length ? { ...q } : NONE, deps,
  }
}
