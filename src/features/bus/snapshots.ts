import type { Sql } from '../../platform/db.ts'
import type { LiveSocket } from '../../platform/live.ts'
import type { Logger } from '../../platform/log.ts'
import type { PubSub } from '../../platform/pubsub.ts'
import type { Board, RouteJson } from './board.ts'
import { boardMessage, personalMessage, TOPIC } from './protocol.ts'
import { routeIdsOf } from './riders.sql.ts'
import { readBoard } from './writes.ts'
import { lockBoardShared } from './board-lock.sql.ts'

// The snapshot each socket gets when it opens: the board, plus the viewer's own route.
//
// The board comes from a cache when the app's pubsub can keep one (pubsub.watch: Ion's Redis
// pubsub): every change is published by writeBoard and relayed to this instance, and the cache is
// the last board relayed — exactly what every socket subscribed here has been sent, so a snapshot
// from it (taken at the moment of sending) is never older than a broadcast the socket already has.
// The board is read from PostgreSQL only to fill the cache (at start, and after the subscription was
// lost, when changes may have been missed): one read per change at most, not one per socket. Then a
// snapshot costs one statement, the riders' routes of the sockets that opened together.
//
// A change whose broadcast failed (BroadcastFailed: saved, not sent) is missing from the cache too,
// so a cached board is trusted for CACHE_MS at most, then read again.
//
// Without a cache (localPubSub, or Redis down), the read holds the board lock shared and sends
// before letting go: no broadcast can be published between the read and the send.
//
// Sockets share reads: at most one read is in flight, and every socket that opens meanwhile waits
// for the next one, so a connect storm costs a few reads however many sockets open.

export type SnapshotQueue = {
  /** Sends `socket` its snapshot (closes it with 1011 when the read fails). */
  request(userId: number | null, socket: LiveSocket): void
}

type Cached = { board: Board; broadcast: string; at: number }

/** How long a cached board is trusted without a broadcast (monotonic ms). */
export const CACHE_MS = 10_000

export function snapshotQueue(sql: Sql, log: Logger, pubsub?: PubSub, cacheMs = CACHE_MS): SnapshotQueue {
  // Two parallel lists rather than an object per socket: a storm queues thousands.
  let users: (number | null)[] = []
  let sockets: LiveSocket[] = []
  let busy = false

  let cache: Cached | null = null
  /** Bumped by every relayed board and every gap: a read fills the cache only if nothing came meanwhile. */
  let seen = 0
  const watching = pubsub?.watch?.(TOPIC, (data) => {
    seen++
    cache = data === null ? null : fromBroadcast(data)
  }) !== undefined
  const cached = () => (watching && pubsub!.subscribed && cache && performance.now() - cache.at < cacheMs ? cache : null)

  const send = (batchUsers: (number | null)[], batchSockets: LiveSocket[], c: Omit<Cached, 'at'>, routes: Map<number, number>) => {
    // One string per route: riders of the same bus get the same snapshot.
    const personal = new Map<number | null, string>([[null, c.broadcast]])
    for (let i = 0; i < batchSockets.length; i++) {
      const u = batchUsers[i]!
      const route = u === null ? null : routes.get(u) ?? null
      let text = personal.get(route)
      if (text === undefined) personal.set(route, (text = personalMessage(c.broadcast, c.board, route)))
      try {
        batchSockets[i]!.send(text)
      } catch {} // the socket closed meanwhile
    }
  }

  const read = async (batchUsers: (number | null)[], batchSockets: LiveSocket[]) => {
    const ids = [...new Set(batchUsers.filter((x): x is number => x !== null))]
    try {
      if (cached()) {
        const routes = await routeIdsOf(sql, ids)
        const c = cached() // as it is now, after the wait: the newest board relayed
        if (c) return send(batchUsers, batchSockets, c, routes)
      }
      const before = seen
      await sql.begin(async (tx) => {
        await lockBoardShared(tx)
        const [board, routes] = await Promise.all([readBoard(tx), routeIdsOf(tx, ids)])
        const c = { board, broadcast: boardMessage(board), at: performance.now() }
        send(batchUsers, batchSockets, c, routes)
        if (watching && seen === before && pubsub!.subscribed) cache = c
      })
    } catch (e) {
      log.warn('bus: snapshot failed', { sockets: batchSockets.length, error: String((e as Error)?.message ?? e) })
      for (const s of batchSockets) {
        try { s.close(1011, 'Try again') } catch {}
      }
    }
  }

  const flush = async () => {
    while (sockets.length) {
      const [u, s] = [users, sockets]
      users = []
      sockets = []
      await read(u, s)
    }
    busy = false
  }

  return {
    request(userId, socket) {
      users.push(userId)
      sockets.push(socket)
      if (busy) return
      busy = true
      setTimeout(() => void flush(), 0)
    },
  }
}

/** A relayed broadcast back into the board it was made from (boardMessage's inverse). */
function fromBroadcast(broadcast: string): Cached | null {
  try {
    const m = JSON.parse(broadcast) as { allRoutes?: RouteJson[]; announcement?: string }
    if (!Array.isArray(m.allRoutes) || typeof m.announcement !== 'string') return null
    return { board: { routes: m.allRoutes, announcement: m.announcement }, broadcast, at: performance.now() }
  } catch {
    return null
  }
}
