import type { Db } from '../../platform/db.ts'

// Who gets announcement emails (Ion's announcement_posted_hook and the approval emails). Mail goes
// to each person's notification address: the primary one, else the first on file.

export type MailPerson = { id: number; address: string | null; receiveNewsEmails: boolean; userType: string }

const ADDRESS = (db: Db) => db`(SELECT e.address FROM emails e WHERE e.user_id = u.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS address`

/**
 * A posted announcement's audience: current students (graduating this school year or later) and
 * teachers/counselors, active and unlocked; with groups, only members of one of them.
 */
export async function postAudience(db: Db, announcementId: number, seniorYear: number): Promise<MailPerson[]> {
  return db<MailPerson[]>`
    SELECT u.id, ${ADDRESS(db)}, u.receive_news_emails, u.user_type FROM users u
    WHERE u.active AND NOT u.locked
      AND ((u.user_type = 'student' AND u.graduation_year >= ${seniorYear}) OR u.user_type IN ('teacher', 'counselor'))
      AND (NOT EXISTS (SELECT 1 FROM announcement_groups ag WHERE ag.announcement_id = ${announcementId})
           OR EXISTS (SELECT 1 FROM announcement_groups ag JOIN user_groups ug ON ug.group_id = ag.group_id
                      WHERE ag.announcement_id = ${announcementId} AND ug.user_id = u.id))
    ORDER BY u.id`
}

/** A club post's audience: the activity's subscribers who are current students or teachers/counselors. */
export async function clubAudience(db: Db, activityId: number, seniorYear: number): Promise<MailPerson[]> {
  return db<MailPerson[]>`
    SELECT u.id, ${ADDRESS(db)}, u.receive_news_emails, u.user_type FROM users u
    JOIN eighth_activity_users eu ON eu.user_id = u.id AND eu.activity_id = ${activityId} AND eu.role = 'subscriber'
    WHERE u.active AND NOT u.locked
      AND ((u.user_type = 'student' AND u.graduation_year >= ${seniorYear}) OR u.user_type IN ('teacher', 'counselor'))
    ORDER BY u.id`
}

/** Announcement admins (admin_announcements or admin_all), for "approval needed". */
export async function announcementAdmins(db: Db): Promise<MailPerson[]> {
  return db<MailPerson[]>`
    SELECT DISTINCT u.id, ${ADDRESS(db)}, u.receive_news_emails, u.user_type FROM users u
    JOIN user_groups ug ON ug.user_id = u.id JOIN groups g ON g.id = ug.group_id
    WHERE g.name IN ('admin_announcements', 'admin_all') AND u.active AND NOT u.locked
    ORDER BY u.id`
}

export type Addressed = { id: number; address: string | null; schoolAddress: string | null }

/** People by id with their notification address and school address (SCHOOL_EMAIL_DOMAINS, else the first). */
export async function addressesOf(db: Db, ids: number[], domains: string[]): Promise<Addressed[]> {
  if (!ids.length) return []
  const patterns = domains.map((d) => '%@' + d.toLowerCase())
  return db<Addressed[]>`
    SELECT u.id, ${ADDRESS(db)},
      COALESCE((SELECT e.address FROM emails e WHERE e.user_id = u.id AND lower(e.address) LIKE ANY(${patterns}::text[]) ORDER BY e.id LIMIT 1),
               (SELECT e.address FROM emails e WHERE e.user_id = u.id ORDER BY e.id LIMIT 1)) AS school_address
    FROM users u WHERE u.id = ANY(${ids}::int[]) ORDER BY u.id`
}
