import type { Db } from '../../platform/db.ts'
import type { UserType } from '../../platform/viewer.ts'

export type ViewerRow = {
  id: number
  username: string
  userType: UserType
  firstName: string
  lastName: string
  nickname: string
  graduationYear: number | null
  isSuperuser: boolean
  darkMode: boolean
  totpEnabled: boolean
  locked: boolean
  active: boolean
  perms: string[]
}

/** The one query behind every authenticated request. */
export async function viewerRow(db: Db, id: number): Promise<ViewerRow | null> {
  const [row] = await db<ViewerRow[]>`
    SELECT u.id, u.username, u.user_type, u.first_name, u.last_name, u.nickname, u.graduation_year,
           u.is_superuser, u.dark_mode, u.totp_enabled, u.locked, u.active,
           ARRAY(SELECT g.name FROM user_groups ug JOIN groups g ON g.id = ug.group_id
                 WHERE ug.user_id = u.id AND g.name LIKE 'admin\\_%') AS perms
    FROM users u WHERE u.id = ${id}`
  return row ?? null
}

export type LoginRow = {
  id: number
  username: string
  passwordHash: string | null
  locked: boolean
  active: boolean
  totpEnabled: boolean
  totpKey: Uint8Array | null
  isAdmin: boolean
}

export async function loginRowByUsername(db: Db, username: string): Promise<LoginRow | null> {
  const [row] = await db<LoginRow[]>`
    SELECT u.id, u.username, u.password_hash, u.locked, u.active, u.totp_enabled, u.totp_key,
           (u.is_superuser OR EXISTS (SELECT 1 FROM user_groups ug JOIN groups g ON g.id = ug.group_id
                                      WHERE ug.user_id = u.id AND g.name LIKE 'admin\\_%')) AS is_admin
    FROM users u WHERE lower(u.username) = lower(${username})`
  return row ?? null
}

export async function loginRowById(db: Db, id: number): Promise<LoginRow | null> {
  const [row] = await db<{ username: string }[]>`SELECT username FROM users WHERE id = ${id}`
  return row ? loginRowByUsername(db, row.username) : null
}

export async function recordLogin(db: Db, id: number, now: Date): Promise<void> {
  await db`UPDATE users SET last_login = ${now} WHERE id = ${id}`
}

export async function setPasswordHash(db: Db, id: number, hash: string, now: Date): Promise<void> {
  await db`UPDATE users SET password_hash = ${hash}, updated_at = ${now} WHERE id = ${id}`
}

export async function setTotp(db: Db, id: number, key: Uint8Array | null, enabled: boolean, now: Date): Promise<void> {
  await db`UPDATE users SET totp_key = ${key}, totp_enabled = ${enabled}, updated_at = ${now} WHERE id = ${id}`
}

export type UserRecord = {
  id: number
  username: string
  userType: UserType
  firstName: string
  middleName: string
  lastName: string
  nickname: string
  title: string
  gender: string | null
  graduationYear: number | null
  studentId: string | null
  counselorId: number | null
  locked: boolean
  active: boolean
  isSuperuser: boolean
  oauthAndApiAccess: boolean
  receiveNewsEmails: boolean
  receiveEighthEmails: boolean
  darkMode: boolean
  totpEnabled: boolean
  selfShowPictures: boolean
  parentShowPictures: boolean
  selfShowEighth: boolean
  parentShowEighth: boolean
  selfShowSchedule: boolean
  parentShowSchedule: boolean
  adminComments: string
  createdAt: Date
  lastLogin: Date | null
}

export async function userById(db: Db, id: number): Promise<UserRecord | null> {
  const [row] = await db<UserRecord[]>`
    SELECT id, username, user_type, first_name, middle_name, last_name, nickname, title, gender, graduation_year,
           student_id, counselor_id, locked, active, is_superuser, oauth_and_api_access, receive_news_emails,
           receive_eighth_emails, dark_mode, totp_enabled, self_show_pictures, parent_show_pictures, self_show_eighth,
           parent_show_eighth, self_show_schedule, parent_show_schedule, admin_comments, created_at, last_login
    FROM users WHERE id = ${id}`
  return row ?? null
}

export async function userIdByUsername(db: Db, username: string): Promise<number | null> {
  const [row] = await db<{ id: number }[]>`SELECT id FROM users WHERE lower(username) = lower(${username})`
  return row?.id ?? null
}

export type EmailRecord = { id: number; address: string; isPrimary: boolean }

export async function emailsOf(db: Db, userId: number): Promise<EmailRecord[]> {
  return db<EmailRecord[]>`SELECT id, address, is_primary FROM emails WHERE user_id = ${userId} ORDER BY is_primary DESC, id`
}

export async function emailsOfMany(db: Db, userIds: number[]): Promise<(EmailRecord & { userId: number })[]> {
  if (!userIds.length) return []
  return db<(EmailRecord & { userId: number })[]>`
    SELECT id, user_id, address, is_primary FROM emails WHERE user_id = ANY(${userIds}) ORDER BY user_id, is_primary DESC, id`
}

/** Adds an address; the first one becomes primary. Returns false when the user already has it. */
export async function addEmail(db: Db, userId: number, address: string): Promise<boolean> {
  const rows = await db`
    INSERT INTO emails (user_id, address, is_primary)
    VALUES (${userId}, ${address}, NOT EXISTS (SELECT 1 FROM emails WHERE user_id = ${userId}))
    ON CONFLICT (user_id, lower(address)) DO NOTHING RETURNING id`
  return rows.length > 0
}

/** Removes an address; if it was primary, the oldest remaining one becomes primary. */
export async function removeEmail(db: Db, userId: number, emailId: number): Promise<boolean> {
  const rows = await db`DELETE FROM emails WHERE id = ${emailId} AND user_id = ${userId} RETURNING is_primary`
  if (!rows.length) return false
  if (rows[0]!.isPrimary)
    await db`UPDATE emails SET is_primary = true WHERE id = (SELECT min(id) FROM emails WHERE user_id = ${userId})`
  return true
}

export async function setPrimaryEmail(db: Db, userId: number, emailId: number): Promise<boolean> {
  const [hit] = await db`SELECT 1 FROM emails WHERE id = ${emailId} AND user_id = ${userId}`
  if (!hit) return false
  await db`UPDATE emails SET is_primary = false WHERE user_id = ${userId} AND is_primary AND id <> ${emailId}`
  await db`UPDATE emails SET is_primary = true WHERE id = ${emailId}`
  return true
}

export async function setEmailPrefs(db: Db, userId: number, p: { receiveNewsEmails: boolean; receiveEighthEmails: boolean }): Promise<void> {
  await db`UPDATE users SET receive_news_emails = ${p.receiveNewsEmails}, receive_eighth_emails = ${p.receiveEighthEmails} WHERE id = ${userId}`
}

export async function setDarkMode(db: Db, userId: number, on: boolean): Promise<void> {
  await db`UPDATE users SET dark_mode = ${on} WHERE id = ${userId}`
}

export async function groupNamesOf(db: Db, userId: number): Promise<{ id: number; name: string; studentVisible: boolean }[]> {
  return db`SELECT g.id, g.name, g.student_visible FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = ${userId} ORDER BY g.name`
}

export async function audit(db: Db, e: { actorId: number | null; action: string; targetType?: string; targetId?: string | number; details?: object; ip?: string; at: Date }): Promise<void> {
  await db`
    INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details, ip)
    VALUES (${e.at}, ${e.actorId}, ${e.action}, ${e.targetType ?? null}, ${e.targetId === undefined ? null : String(e.targetId)}, ${db.json((e.details ?? {}) as never)}, ${e.ip ?? null})`
}
