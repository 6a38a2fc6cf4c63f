import { begin, commit, lockBoard, rollback, unlockBoard } from './board-lock.sql.ts'
import type { Sql } from '../../platform/db.ts'
import { audit } from '../users/users.sql.ts'
import type { Logger } from '../../platform/log.ts'
import type { Board } from './board.ts'
import { allRoutes, announcement, resetRoutes, setAnnouncement, setRoute } from './bus.sql.ts'
import { boardMessage, TOPIC, type Change } from './protocol.ts'

// Every change to the board goes through `writeBoard`: under one PostgreSQL advisory lock it
// writes, reads the whole board back and publishes it (Redis, then every instance's sockets).
// Holding the lock until the publish is sent makes the broadcasts leave in commit order, each a
// complete board — so two admins on two instances can't have an older board arrive last. The
// connect snapshots take the same lock shared (snapshots.ts), so a new socket never gets a board
// older than a broadcast it has already received.


export type Publish = (topic: string, payload: string) => Promise<void>
export type BoardEnv = { sql: Sql; log: Logger; publish: Publish }

export class BroadcastFailed extends Error {}

export async function readBoard(db: Parameters<typeof allRoutes>[0]): Promise<Board> {
  const [routes, text] = await Promise.all([allRoutes(db), announcement(db)])
  return { routes, announcement: text }
}

/**
 * Runs `write` in a transaction under the board lock, then — committed, lock still held —
 * broadcasts the board when `write` says something changed. A failed broadcast is logged and
 * thrown as BroadcastFailed (the change itself is saved; clients get it on reconnect).
 */
export async function writeBoard<T>(env: BoardEnv, write: (db: Sql) => Promise<{ changed: boolean; value: T }>): Promise<T> {
  // A reserved connection: the session lock must outlive the transaction (sql.begin can't).
  const conn = await env.sql.reserve()
  try {
    await lockBoard(conn)
    try {
      await begin(conn)
      let r: { changed: boolean; value: T }
      try {
        r = await write(conn)
        await commit(conn)
      } catch (e) {
        await rollback(conn)
        throw e
      }
      if (r.changed) {
        const message = boardMessage(await readBoard(conn))
        try {
          await env.publish(TOPIC, message)
        } catch (e) {
          env.log.warn('bus: broadcast failed', { error: String((e as Error)?.message ?? e) })
          throw new BroadcastFailed('the change is saved but could not be broadcast')
        }
      }
      return r.value
    } finally {
      await unlockBoard(conn)
    }
  } finally {
    conn.release()
  }
}

export type ApplyResult = { ok: true } | { ok: false; reason: 'no-route' | 'space-taken' | 'broadcast' }

export type Actor = { id: number; ip: string }

/**
 * An admin's change (already parsed and time-checked): saved, then broadcast to every socket.
 * Announcement edits are audited; the many status taps of a dismissal are not.
 */
export async function applyChange(env: BoardEnv, change: Change, now: Date, actor: Actor): Promise<ApplyResult> {
  try {
    return await writeBoard(env, async (db) => {
      if (change.kind === 'announcement') {
        await setAnnouncement(db, change.text, now)
        await audit(db, { actorId: actor.id, action: 'bus.announcement', details: { text: change.text }, ip: actor.ip, at: now })
        return { changed: true, value: { ok: true } as ApplyResult }
      }
      const found = await setRoute(db, change.id, change.status, change.space, now)
      return found ? { changed: true, value: { ok: true } as ApplyResult } : { changed: false, value: { ok: false, reason: 'no-route' } as ApplyResult }
    })
  } catch (e) {
    if ((e as { code?: string }).code === '23505') return { ok: false, reason: 'space-taken' }
    if (e instanceof BroadcastFailed) return { ok: false, reason: 'broadcast' }
    throw e
  }
}

/** The reset jobs: every route back to on time, no space, once per boundary (null: now, always). */
export async function resetBoard(env: BoardEnv, boundary: Date | null, now: Date): Promise<{ due: boolean; routes: number }> {
  return writeBoard(env, async (db) => {
    const r = await resetRoutes(db, boundary, now)
    return { changed: r.routes > 0, value: r }
  })
}
