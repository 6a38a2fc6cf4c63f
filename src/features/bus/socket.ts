import { Elysia } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { liveSocket, livePlugin, liveUpgrade, type LiveCtx, type LiveOptions } from '../../platform/live.ts'
import { pubsubOf } from '../../platform/pubsub.ts'
import { validateSession } from '../../platform/session.ts'
import { boardAccess, halfOf, isBusAdmin } from './board.ts'
import { classify, DENIED, FAILED, KEEPALIVE_RESPONSE, parseChange, TOPIC } from './protocol.ts'
import { snapshotQueue, type SnapshotQueue } from './snapshots.ts'
import { applyChange, type BoardEnv } from './writes.ts'

// WebSocket /bus/ws (and /bus/, Ion's path), Ion's JSON protocol (ion-apps.md §12; protocol.ts has the messages).
// The upgrade authenticates (session cookie, Origin) and admits members, and visitors only from
// INTERNAL_IPS; the open socket subscribes to `bus` and gets its personal snapshot.

const queues = new WeakMap<Deps, SnapshotQueue>()
const queueOf = (deps: Deps) => {
  let q = queues.get(deps)
  if (!q) queues.set(deps, (q = snapshotQueue(deps.sql, deps.log, pubsubOf(deps))))
  return q
}

export const boardEnv = (deps: Deps): BoardEnv => ({
  sql: deps.sql, log: deps.log, publish: (topic, payload) => pubsubOf(deps).publish(topic, payload),
})

/**
 * A write is checked against the account as it is now, not as it was at the upgrade: a bus admin
 * who logged out or lost the permission since can't keep writing through an old socket.
 */
async function stillAdmin(ctx: LiveCtx): Promise<boolean> {
  const v = ctx.viewer
  if (!v || !isBusAdmin(v)) return false
  const token = ctx.token
  if (!token) return false
  const session = await validateSession(ctx.deps.redis, token, ctx.deps.clock.now().getTime())
  if (!session) return false
  const now = await ctx.deps.auth.loadViewer(session.userId, session)
  return now !== null && now.id === v.id && isBusAdmin(now)
}

/** The socket at /bus/ws (the path); Ion's own, /bus/, is the board page's route (busPageUpgrade). */
export function busSocketRoutes(base: Base) {
  return new Elysia({ name: 'bus-socket' })
    .use(liveSocket(base, '/bus/ws', busSocketOptions()))
    .use(livePlugin(base))
}

/** The upgrade at Ion's path, /bus (also the board page): its GET route calls this when `isUpgrade`. */
export const busPageUpgrade = (base: Base) => liveUpgrade(base.decorator.deps, '/bus', busSocketOptions())

function busSocketOptions(): LiveOptions {
  return {
    policy: 'anonymous',
    topics: () => [TOPIC],
    admit: ({ viewer, ip, deps }) => {
      if (boardAccess(viewer, ip, deps.config)) return null
      return viewer ? { status: 403, message: 'You are not allowed to see the bus board.' } : { status: 401, message: 'Sign in to see the bus board.' }
    },
    opened: ({ viewer, deps }, socket) => queueOf(deps).request(viewer?.id ?? null, socket),
    message: async (ctx, data, reply) => {
      const deps = ctx.deps
      try {
        const m = classify(data)
        if (m.kind === 'malformed') return reply(FAILED)
        if (m.kind === 'keepalive') return reply(KEEPALIVE_RESPONSE)
        if (!isBusAdmin(ctx.viewer)) return reply(DENIED)
        const now = deps.clock.now()
        const parsed = parseChange(m.msg, halfOf(now, deps.config.schoolTz, deps.config.busChangeoverHour))
        if (!parsed.ok) return reply(FAILED)
        if (!parsed.change) return // Ion: a write from the other half of the day is ignored
        if (!(await stillAdmin(ctx))) return reply(DENIED)
        const r = await applyChange(boardEnv(deps), parsed.change, now, { id: ctx.viewer!.id, ip: ctx.ip })
        if (!r.ok) {
          deps.log.info('bus: write refused', { user: ctx.viewer?.id, reason: r.reason })
          reply(FAILED)
        }
      } catch (e) {
        deps.log.error('bus: message failed', { user: ctx.viewer?.id, error: String((e as Error)?.message ?? e) })
        reply(FAILED)
      }
    },
  }
}
