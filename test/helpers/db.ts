import postgres from 'postgres'
import { connectDb, type Sql } from '../../src/platform/db.ts'
import { migrate } from '../../src/platform/migrate.ts'
import { MIGRATIONS } from '../../src/migrations.ts'

// Each test file gets its own database, cloned from a migrated template (named by the hash of
// the migrations, so a changed migration rebuilds it).

const baseUrl = () => process.env.DATABASE_URL!
const urlFor = (db: string) => {
  const u = new URL(baseUrl())
  u.pathname = '/' + db
  return u.toString()
}

let templatePromise: Promise<string> | null = null

async function ensureTemplate(): Promise<string> {
  const hash = Bun.hash(MIGRATIONS.map((m) => m.name + m.sql).join('\n')).toString(36)
  const name = `ion_tpl_${hash}`
  const admin = postgres(urlFor('postgres'), { max: 1, onnotice: () => {} })
  try {
    await admin`SELECT pg_advisory_lock(42424242)`
    const exists = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`
    if (!exists.length) {
      const old = await admin`SELECT datname FROM pg_database WHERE datname LIKE 'ion_tpl_%'`
      for (const o of old) await admin.unsafe(`DROP DATABASE IF EXISTS "${o.datname}"`).catch(() => {})
      await admin.unsafe(`CREATE DATABASE "${name}"`)
      const sql = connectDb(urlFor(name), { max: 1, tz: 'America/New_York' })
      await migrate(sql)
      await sql.end()
    }
    await admin`SELECT pg_advisory_unlock(42424242)`
  } finally {
    await admin.end()
  }
  return name
}

export type TestDb = { sql: Sql; url: string; name: string; drop(): Promise<void> }

export async function createTestDb(opts: { max?: number; tz?: string; debug?: (connection: number, query: string, parameters: unknown[]) => void } = {}): Promise<TestDb> {
  templatePromise ??= ensureTemplate()
  const template = await templatePromise
  const name = `ion_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = postgres(urlFor('postgres'), { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
  } finally {
    await admin.end()
  }
  const url = urlFor(name)
  const sql = connectDb(url, { max: opts.max ?? 10, tz: opts.tz ?? 'America/New_York', debug: opts.debug })
  return {
    sql, url, name,
    async drop() {
      await sql.end({ timeout: 2 })
      const a = postgres(urlFor('postgres'), { max: 1, onnotice: () => {} })
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await a.end()
      }
    },
  }
}

/** An empty database (no migrations): for migration tests. */
export async function createEmptyDb(): Promise<TestDb> {
  const name = `ion_e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = postgres(urlFor('postgres'), { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
  const url = urlFor(name)
  const sql = connectDb(url, { max: 10, tz: 'America/New_York' })
  return {
    sql, url, name,
    async drop() {
      await sql.end({ timeout: 2 })
      const a = postgres(urlFor('postgres'), { max: 1, onnotice: () => {} })
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await a.end()
      }
    },
  }
}
