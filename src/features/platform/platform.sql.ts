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

/**
 * Refreshes the planner's statistics for every table. A bulk load (the demo seed, an import)
 * leaves them empty until autovacuum gets round to it, and the signup page's plans were chosen
 * for empty tables meanwhile (issue 10).
 */
export async function analyzeAll(db: Db): Promise<void> {
  await db`ANALYZE`
}
