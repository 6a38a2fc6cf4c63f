import type { Db } from './db.ts'

// What `ion backup`, `ion restore` and `ion check` ask the server before they run pg_dump/pg_restore.

/** The server's major version (150018 → 15): pg_dump/pg_restore must be at least this new. */
export async function serverMajorVersion(db: Db): Promise<number> {
  const [row] = await db<{ serverVersionNum: string }[]>`SHOW server_version_num`
  return Math.floor(Number(row?.serverVersionNum ?? 0) / 10000)
}

/** The tables in the public schema (a database to restore into must have none). */
export async function publicTables(db: Db): Promise<string[]> {
  const rows = await db<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`
  return rows.map((r) => r.tablename)
}
