import type { Db } from '../../platform/db.ts'

export async function canUseApi(db: Db, userId: number): Promise<boolean> {
  const [row] = await db<{ ok: boolean }[]>`SELECT oauth_and_api_access AS ok FROM users WHERE id = ${userId}`
  return row?.ok ?? false
}

export async function isEighthAdminUser(db: Db, userId: number): Promise<boolean> {
  const [row] = await db<{ ok: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM user_groups ug JOIN groups g ON g.id = ug.group_id
                   WHERE ug.user_id = ${userId} AND g.name IN ('admin_all', 'admin_eighth')) AS ok`
  return row?.ok ?? false
}
