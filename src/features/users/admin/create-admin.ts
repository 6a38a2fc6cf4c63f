import type { Sql } from '../../../platform/db.ts'
import { createPasswordLink } from '../../auth/password-links.ts'
import { hashPassword } from '../../auth/passwords.ts'
import { addToGroups } from '../create.sql.ts'
import { audit, setPasswordHash } from '../users.sql.ts'
import { ensureUser, makeSuperuser } from './admin.sql.ts'

// `ion create-admin <username>`: the way into a fresh install (and back into a locked-out one).
// Idempotent: the account is created as a teacher when missing, then put in admin_all, made a
// superuser and unlocked; running it again changes nothing but the password or link.

export const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/

export type AdminResult = { id: number; created: boolean; unlocked: boolean; token: string | null }

/** With a password (already validated) it is set; otherwise a one-time link's token is returned. */
export async function createAdmin(sql: Sql, username: string, password: string | null, now: Date): Promise<AdminResult> {
  const hash = password === null ? null : await hashPassword(password)
  return sql.begin(async (tx) => {
    const { id, created } = await ensureUser(tx, username)
    await addToGroups(tx, id, ['admin_all'])
    const { wasLocked } = await makeSuperuser(tx, id, now)
    let token: string | null = null
    if (hash) await setPasswordHash(tx, id, hash, now)
    else token = await createPasswordLink(tx, id, null, 'admin', now)
    await audit(tx, {
      actorId: null, action: 'user.create_admin', targetType: 'user', targetId: id, at: now,
      details: { via: 'cli', created, unlocked: wasLocked, password: hash ? 'set' : 'link' },
    })
    return { id, created, unlocked: wasLocked, token }
  })
}
