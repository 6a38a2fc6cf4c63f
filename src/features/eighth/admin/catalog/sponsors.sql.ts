import type { Db } from '../../../../platform/db.ts'

// Sponsors: the office's CRUD and a sponsor's schedule.

export const DEPARTMENTS = ['general', 'math_cs', 'english', 'social_studies', 'fine_arts', 'health_pe', 'scitech'] as const
export type Department = (typeof DEPARTMENTS)[number]

export type SponsorFields = {
  firstName: string
  lastName: string
  userId: number | null
  department: Department
  fullTime: boolean
  onlineAttendance: boolean
  contractedEighth: boolean
  showFullName: boolean
}
export type SponsorRow = SponsorFields & { id: number; username: string | null; accountName: string | null; activities: number }

const SELECT_SPONSOR = (db: Db) => db`
  SELECT sp.id, sp.first_name, sp.last_name, sp.user_id, sp.department, sp.full_time, sp.online_attendance, sp.contracted_eighth,
         sp.show_full_name, u.username, CASE WHEN u.id IS NULL THEN NULL ELSE u.first_name || ' ' || u.last_name END AS account_name,
         (SELECT count(*) FROM eighth_activity_sponsors x JOIN eighth_activities a ON a.id = x.activity_id WHERE x.sponsor_id = sp.id AND NOT a.deleted)::int AS activities
  FROM eighth_sponsors sp LEFT JOIN users u ON u.id = sp.user_id`

export async function listSponsors(db: Db): Promise<SponsorRow[]> {
  return db<SponsorRow[]>`${SELECT_SPONSOR(db)} ORDER BY lower(sp.last_name), lower(sp.first_name), sp.id`
}

export async function sponsorRow(db: Db, id: number): Promise<SponsorRow | null> {
  const [row] = await db<SponsorRow[]>`${SELECT_SPONSOR(db)} WHERE sp.id = ${id}`
  return row ?? null
}

/** The sponsor already linked to an account (a user is at most one sponsor). */
export async function sponsorOfUser(db: Db, userId: number): Promise<{ id: number; lastName: string } | null> {
  const [row] = await db<{ id: number; lastName: string }[]>`SELECT id, last_name FROM eighth_sponsors WHERE user_id = ${userId}`
  return row ?? null
}

const cols = (s: SponsorFields) => ({
  firstName: s.firstName, lastName: s.lastName, userId: s.userId, department: s.department, fullTime: s.fullTime,
  onlineAttendance: s.onlineAttendance, contractedEighth: s.contractedEighth, showFullName: s.showFullName,
})

export async function insertSponsor(db: Db, s: SponsorFields, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`INSERT INTO eighth_sponsors ${db({ ...cols(s), createdAt: now, updatedAt: now })} RETURNING id`
  return row!.id
}

export async function updateSponsor(db: Db, id: number, s: SponsorFields, now: Date): Promise<boolean> {
  const rows = await db`UPDATE eighth_sponsors SET ${db({ ...cols(s), updatedAt: now })} WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

export async function deleteSponsor(db: Db, id: number): Promise<boolean> {
  return (await db`DELETE FROM eighth_sponsors WHERE id = ${id} RETURNING id`).length > 0
}

export type SponsorScheduleRow = {
  id: number
  blockId: number
  date: string
  blockLetter: string
  activityId: number
  name: string
  title: string
  cancelled: boolean
  count: number
  saRooms: string[]
  actRooms: string[]
}

/** The sponsor's scheduled activities from `from` on (cancelled ones included): override sponsor, or a default sponsor without overrides. */
export async function sponsorSchedule(db: Db, sponsorId: number, from: string, limit: number): Promise<SponsorScheduleRow[]> {
  return db<SponsorScheduleRow[]>`
    SELECT sa.id, b.id AS block_id, b.date, b.block_letter, a.id AS activity_id, a.name, sa.title, sa.cancelled,
           (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id)::int AS count,
           ARRAY(SELECT r.name FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id ORDER BY r.name) AS sa_rooms,
           ARRAY(SELECT r.name FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id ORDER BY r.name) AS act_rooms
    FROM eighth_scheduled_activities sa
    JOIN eighth_blocks b ON b.id = sa.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE b.date >= ${from} AND NOT a.deleted AND (
      EXISTS (SELECT 1 FROM eighth_scheduled_activity_sponsors x WHERE x.scheduled_activity_id = sa.id AND x.sponsor_id = ${sponsorId})
      OR (NOT EXISTS (SELECT 1 FROM eighth_scheduled_activity_sponsors x WHERE x.scheduled_activity_id = sa.id)
          AND EXISTS (SELECT 1 FROM eighth_activity_sponsors x WHERE x.activity_id = a.id AND x.sponsor_id = ${sponsorId})))
    ORDER BY b.date, b.block_letter, lower(a.name) LIMIT ${limit}`
}

export type SponsorOption = { id: number; firstName: string; lastName: string; showFullName: boolean }

export async function sponsorOptions(db: Db): Promise<SponsorOption[]> {
  return db<SponsorOption[]>`SELECT id, first_name, last_name, show_full_name FROM eighth_sponsors ORDER BY lower(last_name), lower(first_name), id`
}

export async function existingSponsorIds(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return []
  const rows = await db<{ id: number }[]>`SELECT id FROM eighth_sponsors WHERE id = ANY(${ids}::int[])`
  return rows.map((r) => r.id)
}
