import type { Sql } from '../../platform/db.ts'
import type { Logger } from '../../platform/log.ts'
import { boardMessage, personalMessage } from './protocol.ts'
import { routeIdsOf } from './riders.sql.ts'
import { readBoard } from './writes.ts'
import { lockBoardShared } from './board-lock.sql.ts'

// The snapshot each socket gets when it opens. Sockets that open in the same tick share one read
// (a connect storm at dismissal costs a few queries, not one per socket). The read holds the board
// lock shared and sends before letting go: no broadcast can be published between the read and
// the send, so a socket (subscribed before it asked) never receives an older board after a newer one.

export type Waiter = { userId: number | null; send: (text: string) => void; fail: (e: unknown) => void }

export type SnapshotQueue = { request(w: Waiter): void }

export function snapshotQueue(sql: Sql, log: Logger): SnapshotQueue {
  let pending: Waiter[] = []
  let scheduled = false

  const flush = async () => {
    const batch = pending
    pending = []
    scheduled = false
    try {
      await sql.begin(async (tx) => {
        await lockBoardShared(tx)
        const ids = [...new Set(batch.map((w) => w.userId).filter((x): x is number => x !== null))]
        const [board, routes] = await Promise.all([readBoard(tx), routeIdsOf(tx, ids)])
        const broadcast = boardMessage(board)
        for (const w of batch) {
          try {
            w.send(personalMessage(broadcast, board, w.userId === null ? null : routes.get(w.userId) ?? null))
          } catch {} // the socket closed meanwhile
        }
      })
    } catch (e) {
      log.warn('bus: snapshot failed', { sockets: batch.length, error: String((e as Error)?.message ?? e) })
      for (const w of batch) w.fail(e)
    }
  }

  return {
    request(w) {
      pending.push(w)
      if (scheduled) return
      scheduled = true
      setTimeout(() => void flush(), 0)
    },
  }
}
