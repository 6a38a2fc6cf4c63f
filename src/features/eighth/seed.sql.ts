import type { Tx } from '../../platform/db.ts'

// Bulk writes for the eighth-period demo data (`seed --demo`): a handful of statements, each
// inserting hundreds or thousands of rows.

const CHUNK = 1000
async function inChunks<T, R>(rows: T[], fn: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < rows.length; i += CHUNK) out.push(...(await fn(rows.slice(i, i + CHUNK))))
  return out
}

export async function activityCount(tx: Tx): Promise<number> {
  const [row] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_activities`
  return row!.n
}

/** Demo people the catalogue uses: teachers become sponsors; students get signups. */
export async function demoPeople(tx: Tx): Promise<{ teachers: { id: number; firstName: string; lastName: string }[]; students: { id: number; graduationYear: number | null; username: string }[] }> {
  const teachers = await tx<{ id: number; firstName: string; lastName: string }[]>`
    SELECT id, first_name, last_name FROM users WHERE user_type = 'teacher' AND active AND last_name <> '' ORDER BY id`
  const students = await tx<{ id: number; graduationYear: number | null; username: string }[]>`
    SELECT id, graduation_year, username FROM users WHERE user_type = 'student' AND active ORDER BY id`
  return { teachers: [...teachers], students: [...students] }
}

export async function insertRooms(tx: Tx, rows: { name: string; capacity: number }[]): Promise<{ id: number; name: string; capacity: number }[]> {
  return tx<{ id: number; name: string; capacity: number }[]>`INSERT INTO eighth_rooms ${tx(rows)} RETURNING id, name, capacity`
}

export type SponsorRow = { firstName: string; lastName: string; userId: number | null; showFullName: boolean; department: string }

/** Inserts sponsors (a teacher who already is one is kept) and returns every sponsor id, in input order. */
export async function ensureSponsors(tx: Tx, rows: SponsorRow[]): Promise<number[]> {
  const withUser = rows.filter((r) => r.userId !== null)
  const nameOnly = rows.filter((r) => r.userId === null)
  const cols = ['firstName', 'lastName', 'userId', 'showFullName', 'department'] as const
  if (withUser.length) await tx`INSERT INTO eighth_sponsors ${tx(withUser, ...cols)} ON CONFLICT (user_id) DO NOTHING`
  const byUser = withUser.length
    ? new Map((await tx<{ id: number; userId: number }[]>`
        SELECT id, user_id FROM eighth_sponsors WHERE user_id = ANY(${withUser.map((r) => r.userId!)}::int[])`).map((r) => [r.userId, r.id]))
    : new Map<number, number>()
  const named = nameOnly.length ? await tx<{ id: number }[]>`INSERT INTO eighth_sponsors ${tx(nameOnly, ...cols)} RETURNING id` : []
  let k = 0
  return rows.map((r) => (r.userId !== null ? byUser.get(r.userId)! : named[k++]!.id))
}

export type ActivityRow = {
  name: string
  description: string
  defaultCapacity: number | null
  restricted: boolean
  sticky: boolean
  bothBlocks: boolean
  oneADay: boolean
  presign: boolean
  special: boolean
  administrative: boolean
  freshmenAllowed: boolean
  sophomoresAllowed: boolean
  juniorsAllowed: boolean
  seniorsAllowed: boolean
  wedA: boolean
  wedB: boolean
  friA: boolean
  friB: boolean
}

export async function insertActivities(tx: Tx, rows: ActivityRow[]): Promise<Map<string, number>> {
  const got = await tx<{ id: number; name: string }[]>`INSERT INTO eighth_activities ${tx(rows)} RETURNING id, name`
  return new Map(got.map((r) => [r.name, r.id]))
}

export async function insertActivityLinks(tx: Tx, rooms: { activityId: number; roomId: number }[], sponsors: { activityId: number; sponsorId: number }[], users: { activityId: number; userId: number; role: string }[]): Promise<void> {
  if (rooms.length) await inChunks(rooms, (p) => tx`INSERT INTO eighth_activity_rooms ${tx(p)} ON CONFLICT DO NOTHING`)
  if (sponsors.length) await inChunks(sponsors, (p) => tx`INSERT INTO eighth_activity_sponsors ${tx(p)} ON CONFLICT DO NOTHING`)
  if (users.length) await inChunks(users, (p) => tx`INSERT INTO eighth_activity_users ${tx(p)} ON CONFLICT DO NOTHING`)
}

/** Adds the blocks (an existing date+letter is kept) and returns them all, by date and letter. */
export async function ensureBlocks(tx: Tx, rows: { date: string; blockLetter: string }[]): Promise<{ id: number; date: string; blockLetter: string }[]> {
  await tx`INSERT INTO eighth_blocks ${tx(rows)} ON CONFLICT (date, block_letter) DO NOTHING`
  return tx<{ id: number; date: string; blockLetter: string }[]>`
    SELECT id, date, block_letter FROM eighth_blocks
    WHERE (date, block_letter) IN (SELECT * FROM unnest(${rows.map((r) => r.date)}::date[], ${rows.map((r) => r.blockLetter)}::text[]))
    ORDER BY date, block_letter`
}

export type ScheduledRow = { blockId: number; activityId: number; title: string; comments: string; capacity: number | null; cancelled: boolean }

export async function insertScheduled(tx: Tx, rows: ScheduledRow[]): Promise<{ id: number; blockId: number; activityId: number }[]> {
  return inChunks(rows, (p) => tx<{ id: number; blockId: number; activityId: number }[]>`
    INSERT INTO eighth_scheduled_activities ${tx(p)}
    ON CONFLICT (block_id, activity_id) DO NOTHING RETURNING id, block_id, activity_id`)
}

export async function insertSignups(tx: Tx, rows: { userId: number; blockId: number; scheduledActivityId: number; time: Date }[]): Promise<number> {
  const got = await inChunks(rows, (p) => tx<{ id: number }[]>`
    INSERT INTO eighth_signups ${tx(p)} ON CONFLICT DO NOTHING RETURNING id`)
  return got.length
}

export async function insertStickyStudents(tx: Tx, rows: { scheduledActivityId: number; userId: number }[]): Promise<void> {
  if (rows.length) await tx`INSERT INTO eighth_sticky_students ${tx(rows)} ON CONFLICT DO NOTHING`
}
