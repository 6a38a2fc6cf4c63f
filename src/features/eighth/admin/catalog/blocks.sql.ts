import type { Db, Tx } from '../../../../platform/db.ts'
import { lockStudent } from '../../signup.sql.ts'

// Blocks for the office: list, add many, edit, lock, copy a schedule, delete.

export type BlockRow = { id: number; date: string; blockLetter: string; locked: boolean; signupTime: string; comments: string }
export type BlockListRow = BlockRow & { scheduled: number; cancelled: number; signups: number }

export async function listBlocks(db: Db, from: string, limit: number): Promise<BlockListRow[]> {
  return db<BlockListRow[]>`
    SELECT b.id, b.date, b.block_letter, b.locked, to_char(b.signup_time, 'HH24:MI') AS signup_time, b.comments,
           (SELECT count(*) FROM eighth_scheduled_activities sa WHERE sa.block_id = b.id AND NOT sa.cancelled)::int AS scheduled,
           (SELECT count(*) FROM eighth_scheduled_activities sa WHERE sa.block_id = b.id AND sa.cancelled)::int AS cancelled,
           (SELECT count(*) FROM eighth_signups s WHERE s.block_id = b.id)::int AS signups
    FROM eighth_blocks b WHERE b.date >= ${from}
    ORDER BY b.date, b.block_letter LIMIT ${limit}`
}

export async function blockRow(db: Db, id: number): Promise<BlockRow | null> {
  const [row] = await db<BlockRow[]>`
    SELECT id, date, block_letter, locked, to_char(signup_time, 'HH24:MI') AS signup_time, comments FROM eighth_blocks WHERE id = ${id}`
  return row ?? null
}

/** Blocks around a date (the copy page's choice of source). */
export async function blocksBetween(db: Db, from: string, to: string): Promise<BlockRow[]> {
  return db<BlockRow[]>`
    SELECT id, date, block_letter, locked, to_char(signup_time, 'HH24:MI') AS signup_time, comments
    FROM eighth_blocks WHERE date BETWEEN ${from} AND ${to} ORDER BY date, block_letter`
}

export type NewBlock = { date: string; letter: string; signupTime: string; comments: string }

/** Inserts the blocks that do not exist yet; returns the ones it created. */
export async function insertMissingBlocks(db: Db, blocks: NewBlock[], now: Date): Promise<{ id: number; date: string; blockLetter: string }[]> {
  if (!blocks.length) return []
  return db<{ id: number; date: string; blockLetter: string }[]>`
    INSERT INTO eighth_blocks (date, block_letter, signup_time, comments, created_at, updated_at)
    SELECT d, l, t::time, c, ${now}, ${now}
    FROM unnest(${blocks.map((b) => b.date)}::date[], ${blocks.map((b) => b.letter)}::text[],
                ${blocks.map((b) => b.signupTime)}::text[], ${blocks.map((b) => b.comments)}::text[]) AS x(d, l, t, c)
    ON CONFLICT (date, block_letter) DO NOTHING
    RETURNING id, date, block_letter`
}

export type BlockEdit = { date: string; letter: string; signupTime: string; comments: string; locked: boolean }

export async function blockAt(db: Db, date: string, letter: string): Promise<number | null> {
  const [row] = await db<{ id: number }[]>`SELECT id FROM eighth_blocks WHERE date = ${date} AND block_letter = ${letter}`
  return row?.id ?? null
}

export async function updateBlock(db: Db, id: number, b: BlockEdit, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE eighth_blocks SET date = ${b.date}, block_letter = ${b.letter}, signup_time = ${b.signupTime}::time,
      comments = ${b.comments}, locked = ${b.locked}, updated_at = ${now}
    WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

export async function setLocked(db: Db, id: number, locked: boolean, now: Date): Promise<boolean> {
  const rows = await db`UPDATE eighth_blocks SET locked = ${locked}, updated_at = ${now} WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

export type BlockCounts = { scheduled: number; cancelled: number; signups: number }

export async function blockCounts(db: Db, id: number): Promise<BlockCounts> {
  const [row] = await db<BlockCounts[]>`
    SELECT (SELECT count(*) FROM eighth_scheduled_activities WHERE block_id = ${id} AND NOT cancelled)::int AS scheduled,
           (SELECT count(*) FROM eighth_scheduled_activities WHERE block_id = ${id} AND cancelled)::int AS cancelled,
           (SELECT count(*) FROM eighth_signups WHERE block_id = ${id})::int AS signups`
  return row!
}

/**
 * The signup service's lock order for whole blocks: every student with a signup in them (advisory
 * locks, by id), then every scheduled activity of the blocks (rows, by id).
 */
export async function lockBlocks(tx: Tx, blockIds: number[]): Promise<void> {
  const students = await tx<{ userId: number }[]>`
    SELECT DISTINCT user_id FROM eighth_signups WHERE block_id = ANY(${blockIds}::int[]) ORDER BY user_id`
  for (const s of students) await lockStudent(tx, s.userId)
  await tx`SELECT id FROM eighth_scheduled_activities WHERE block_id = ANY(${blockIds}::int[]) ORDER BY id FOR UPDATE`
  await tx`SELECT id FROM eighth_blocks WHERE id = ANY(${blockIds}::int[]) ORDER BY id FOR UPDATE`
}

/** Deletes a block's whole schedule (signups go with it); returns what was lost. */
export async function clearSchedule(tx: Tx, blockId: number): Promise<{ scheduled: number; students: number[] }> {
  const students = await tx<{ userId: number }[]>`DELETE FROM eighth_signups WHERE block_id = ${blockId} RETURNING user_id`
  const sas = await tx`DELETE FROM eighth_scheduled_activities WHERE block_id = ${blockId} RETURNING id`
  return { scheduled: sas.length, students: students.map((s) => s.userId).sort((a, b) => a - b) }
}

/**
 * Ion's copy: the source's non-cancelled scheduled activities (activity, both_blocks, special,
 * sponsors, rooms) into the target; with signups, their members too (one per student and block,
 * as in the source).
 */
export async function cloneSchedule(tx: Tx, sourceId: number, targetId: number, withSignups: boolean, now: Date): Promise<{ scheduled: number; students: number[] }> {
  const pairs = await tx<{ oldId: number; newId: number }[]>`
    WITH src AS (
      SELECT id, activity_id, both_blocks, special FROM eighth_scheduled_activities WHERE block_id = ${sourceId} AND NOT cancelled
    ), ins AS (
      INSERT INTO eighth_scheduled_activities (block_id, activity_id, both_blocks, special, created_at, updated_at)
      SELECT ${targetId}, activity_id, both_blocks, special, ${now}, ${now} FROM src
      RETURNING id, activity_id
    )
    SELECT src.id AS old_id, ins.id AS new_id FROM src JOIN ins USING (activity_id)`
  if (!pairs.length) return { scheduled: 0, students: [] }
  const olds = pairs.map((p) => p.oldId)
  const news = pairs.map((p) => p.newId)
  await tx`
    INSERT INTO eighth_scheduled_activity_rooms (scheduled_activity_id, room_id)
    SELECT m.new_id, x.room_id FROM unnest(${olds}::int[], ${news}::int[]) AS m(old_id, new_id)
    JOIN eighth_scheduled_activity_rooms x ON x.scheduled_activity_id = m.old_id`
  await tx`
    INSERT INTO eighth_scheduled_activity_sponsors (scheduled_activity_id, sponsor_id)
    SELECT m.new_id, x.sponsor_id FROM unnest(${olds}::int[], ${news}::int[]) AS m(old_id, new_id)
    JOIN eighth_scheduled_activity_sponsors x ON x.scheduled_activity_id = m.old_id`
  if (!withSignups) return { scheduled: pairs.length, students: [] }
  const rows = await tx<{ userId: number }[]>`
    INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time, own_signup)
    SELECT s.user_id, ${targetId}, m.new_id, ${now}, false
    FROM unnest(${olds}::int[], ${news}::int[]) AS m(old_id, new_id)
    JOIN eighth_signups s ON s.scheduled_activity_id = m.old_id
    RETURNING user_id`
  return { scheduled: pairs.length, students: rows.map((r) => r.userId).sort((a, b) => a - b) }
}

export async function deleteBlockRow(tx: Tx, blockId: number): Promise<{ students: number[] } | null> {
  const students = await tx<{ userId: number }[]>`SELECT user_id FROM eighth_signups WHERE block_id = ${blockId} ORDER BY user_id`
  const rows = await tx`DELETE FROM eighth_blocks WHERE id = ${blockId} RETURNING id`
  return rows.length ? { students: students.map((s) => s.userId) } : null
}
