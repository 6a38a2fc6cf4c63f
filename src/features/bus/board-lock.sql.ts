import type { Db } from '../../platform/db.ts'

// The board lock: writers hold it (session level, through commit and broadcast) so the order of
// broadcasts is the order of commits; snapshots take it shared.
export const BOARD_LOCK = 7_340_215_009

export async function lockBoard(db: Db): Promise<void> {
  await db`SELECT pg_advisory_lock(${BOARD_LOCK})`
}
export async function unlockBoard(db: Db): Promise<void> {
  await db`SELECT pg_advisory_unlock(${BOARD_LOCK})`
}
export async function lockBoardShared(db: Db): Promise<void> {
  await db`SELECT pg_advisory_xact_lock_shared(${BOARD_LOCK})`
}
/** Transaction control on a reserved connection (sql.begin can't outlive a session lock). */
export async function begin(db: Db): Promise<void> {
  await db`BEGIN`
}
export async function commit(db: Db): Promise<void> {
  await db`COMMIT`
}
export async function rollback(db: Db): Promise<void> {
  await db`ROLLBACK`
}
