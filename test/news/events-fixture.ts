import type { Sql } from '../../src/platform/db.ts'

// Events written straight to the tables, for the events and iCal tests (the app's own forms are
// tested in events.test.ts). NOW (announcements-fixture) is Monday 30 Nov 2026, 09:00 in New York.

export type EventOpts = {
  title?: string
  starts?: string
  hours?: number
  userId?: number | null
  groups?: number[]
  approved?: boolean
  rejected?: boolean
  public?: boolean
  rsvp?: boolean
  dashboard?: boolean
  category?: 'school' | 'sports'
  location?: string
  added?: Date
}

let seq = 0

export async function addEvent(sql: Sql, o: EventOpts = {}): Promise<number> {
  seq++
  const starts = new Date(o.starts ?? '2026-12-01T20:00:00Z')
  const ends = new Date(starts.getTime() + (o.hours ?? 1) * 3_600_000)
  const added = o.added ?? new Date('2026-11-29T12:00:00Z')
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO events (title, description, location, starts_at, ends_at, user_id, show_attending, show_on_dashboard, public, category, approved, rejected, added, updated)
    VALUES (${o.title ?? `Event ${seq}`}, ${`<p>About event ${seq}</p>`}, ${o.location ?? 'Gym'}, ${starts}, ${ends}, ${o.userId ?? null}, ${o.rsvp ?? false},
            ${o.dashboard ?? true}, ${o.public ?? false}, ${o.category ?? 'school'}, ${o.approved ?? true}, ${o.rejected ?? false}, ${added}, ${added})
    RETURNING id`
  if (o.groups?.length) await sql`INSERT INTO event_groups (event_id, group_id) SELECT ${row!.id}, unnest(${o.groups}::int[])`
  return row!.id
}

export async function attend(sql: Sql, eventId: number, userIds: number[]): Promise<void> {
  await sql`INSERT INTO event_attendees (event_id, user_id, joined_at) SELECT ${eventId}, unnest(${userIds}::int[]), now() ON CONFLICT DO NOTHING`
}

export const eventCountWhere = async (sql: Sql, title: string) =>
  (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM events WHERE title = ${title}`)[0]!.n
