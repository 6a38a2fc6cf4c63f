import type { Db, Sql, Tx } from '../../../../platform/db.ts'
import { lockStudent } from '../../signup.sql.ts'
import { lockScheduledSet, tryLockStudent } from './moves.sql.ts'

// Every move takes its locks in the signup service's order: the students it moves (advisory
// locks, ascending id), then the scheduled activities it touches (rows, ascending id, both-blocks
// siblings included). A student's own signup takes the same locks in the same order, so the two
// never deadlock, and while the office holds a student nobody else changes that student's signups.
//
// Who moves is sometimes read from the signups themselves (a transfer or a clear moves the
// source's members). Someone may join the source between that read and the lock on the source;
// so the list is read again under the locks. A newcomer has committed by then (joining needs the
// source's lock, which we hold), so their lock is normally free: it is taken without waiting
// (pg_try_advisory_xact_lock never waits, so taking it out of order cannot deadlock). Only when
// a newcomer is busy in another transaction is everything rolled back (nothing has been written)
// and tried again with the newcomers locked in order.

const ATTEMPTS = 5
const RETRY = Symbol('retry')

export type Locked = { movers: number[]; scheduled: number[] }

/** The office's retry budget ran out (students kept joining the source): a clear 409. */
export const BUSY = 'Students kept signing up for this activity while it was being changed. Please try again.'

export async function withMovers<T>(
  sql: Sql,
  readMovers: (db: Db) => Promise<number[]>,
  scheduledIds: number[],
  body: (tx: Tx, locked: Locked) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; busy: true }> {
  let known = new Set<number>()
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const r = await sql.begin(async (tx) => {
      for (const id of await readMovers(tx)) known.add(id)
      const held = [...known].sort((a, b) => a - b)
      for (const id of held) await lockStudent(tx, id)
      const scheduled = await lockScheduledSet(tx, scheduledIds)
      const movers = await readMovers(tx)
      const late = movers.filter((id) => !known.has(id))
      for (const id of late) {
        if (await tryLockStudent(tx, id)) continue
        known = new Set([...known, ...late])
        return RETRY
      }
      return { value: await body(tx, { movers, scheduled }) }
    })
    if (r !== RETRY) return { ok: true, value: r.value }
  }
  return { ok: false, busy: true }
}
