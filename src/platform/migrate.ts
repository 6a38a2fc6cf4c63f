import type { Sql } from './db.ts'
import { MIGRATIONS } from '../migrations.ts'

// Forward-only migrations, embedded in the binary, applied in one transaction under an advisory
// lock so that two instances (or two `ion migrate`s) starting together are safe.
const LOCK_KEY = 7_340_215_001

export type Migration = { name: string; sql: string }

export async function migrate(sql: Sql, list: Migration[] = MIGRATIONS): Promise<string[]> {
  const names = list.map((m) => m.name)
  const sorted = [...names].sort()
  if (names.some((n, i) => n !== sorted[i])) throw new Error('migrations are not listed in order')
  if (new Set(names).size !== names.length) throw new Error('duplicate migration name')
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_KEY})`
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`
    const done = new Set((await tx<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name))
    const applied: string[] = []
    for (const m of list) {
      if (done.has(m.name)) continue
      await tx.unsafe(m.sql)
      await tx`INSERT INTO schema_migrations (name) VALUES (${m.name})`
      applied.push(m.name)
    }
    return applied
  })
}

export async function pendingMigrations(sql: Sql, list: Migration[] = MIGRATIONS): Promise<string[]> {
  const exists = await sql`SELECT to_regclass('schema_migrations') IS NOT NULL AS ok`
  if (!exists[0]?.ok) return list.map((m) => m.name)
  const done = new Set((await sql<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name))
  return list.map((m) => m.name).filter((n) => !done.has(n))
}
