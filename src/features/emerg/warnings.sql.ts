import type { Db } from '../../platform/db.ts'

// Warning announcements (Ion's WarningAnnouncement): admin-managed notices by placement.

export type Placement = 'login' | 'dashboard' | 'dashboard_login' | 'global'
export const PLACEMENTS: Placement[] = ['global', 'dashboard', 'login', 'dashboard_login']

export type WarningRow = {
  id: number
  title: string
  body: string
  placement: Placement
  active: boolean
  startsAt: Date | null
  endsAt: Date | null
  added: Date
  updated: Date
}

export type WarningFields = { title: string; body: string; placement: Placement; active: boolean; startsAt: Date | null; endsAt: Date | null }

export function allWarnings(db: Db): Promise<WarningRow[]> {
  return db<WarningRow[]>`
    SELECT id, title, body, placement, active, starts_at, ends_at, added, updated FROM warning_announcements
    ORDER BY active DESC, added DESC, id DESC LIMIT 500`
}

/** Switched-on warnings that have not ended by `now` (the cache holds these; windows are checked when shown). */
export function liveWarnings(db: Db, now: Date): Promise<WarningRow[]> {
  return db<WarningRow[]>`
    SELECT id, title, body, placement, active, starts_at, ends_at, added, updated FROM warning_announcements
    WHERE active AND (ends_at IS NULL OR ends_at > ${now})
    ORDER BY added DESC, id DESC LIMIT 50`
}

export async function warningById(db: Db, id: number): Promise<WarningRow | null> {
  const [row] = await db<WarningRow[]>`
    SELECT id, title, body, placement, active, starts_at, ends_at, added, updated FROM warning_announcements WHERE id = ${id}`
  return row ?? null
}

export async function insertWarning(db: Db, f: WarningFields, userId: number, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO warning_announcements (title, body, placement, active, starts_at, ends_at, user_id, added, updated)
    VALUES (${f.title}, ${f.body}, ${f.placement}, ${f.active}, ${f.startsAt}, ${f.endsAt}, ${userId}, ${now}, ${now})
    RETURNING id`
  return row!.id
}

export async function updateWarning(db: Db, id: number, f: WarningFields, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE warning_announcements SET title = ${f.title}, body = ${f.body}, placement = ${f.placement}, active = ${f.active},
      starts_at = ${f.startsAt}, ends_at = ${f.endsAt}, updated = ${now}
    WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

export async function deleteWarning(db: Db, id: number): Promise<string | null> {
  const [row] = await db<{ title: string; body: string }[]>`DELETE FROM warning_announcements WHERE id = ${id} RETURNING title, body`
  return row ? row.title || row.body.slice(0, 60) : null
}
