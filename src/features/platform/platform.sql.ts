import type { Db } from '../../platform/db.ts'

export async function ping(db: Db): Promise<void> {
  await db`SELECT 1`
}

export async function serverVersion(db: Db): Promise<string> {
  const [row] = await db<{ v: string }[]>`SELECT current_setting('server_version') AS v`
  return row?.v ?? '?'
}

/** Adds settings that are missing; returns the keys added. */
export async function insertMissingSettings(db: Db, rows: { key: string; value: unknown }[]): Promise<string[]> {
  const inserted = await db<{ key: string }[]>`
    INSERT INTO settings ${db(rows.map((r) => ({ key: r.key, value: JSON.stringify(r.value) })))}
    ON CONFLICT (key) DO NOTHING RETURNING key`
  return inserted.map((r) => r.key)
}
