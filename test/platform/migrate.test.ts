import { afterEach, describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MIGRATIONS } from '../../src/migrations.ts'
import { migrate, pendingMigrations } from '../../src/platform/migrate.ts'
import { connectDb } from '../../src/platform/db.ts'
import { createEmptyDb, type TestDb } from '../helpers/db.ts'
import { ROOT } from '../helpers/cli.ts'

const dbs: TestDb[] = []
async function emptyDb(): Promise<TestDb> {
  const db = await createEmptyDb()
  dbs.push(db)
  return db
}
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.drop()
})

const tableExists = async (db: TestDb, name: string) =>
  (await db.sql`SELECT to_regclass(${name}) IS NOT NULL AS ok`)[0]!.ok as boolean

describe('the embedded list', () => {
  test('every file in migrations/ is listed in src/migrations.ts, in order, with the file\'s SQL', () => {
    const files = readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.sql')).sort()
    expect(files.length).toBeGreaterThan(0)
    expect(MIGRATIONS.map((m) => m.name + '.sql')).toEqual(files)
    for (const m of MIGRATIONS) expect(m.sql).toBe(readFileSync(join(ROOT, 'migrations', m.name + '.sql'), 'utf8'))
  })

  test('file names are NNNN_name.sql, each number used once', () => {
    for (const m of MIGRATIONS) expect(m.name).toMatch(/^\d{4}_[a-z0-9_]+$/)
    const numbers = MIGRATIONS.map((m) => m.name.slice(0, 4))
    expect(new Set(numbers).size).toBe(numbers.length)
  })

  test('migrate refuses a list out of order or with a duplicate', async () => {
    const db = await emptyDb()
    await expect(migrate(db.sql, [{ name: '0002_b', sql: 'SELECT 1' }, { name: '0001_a', sql: 'SELECT 1' }])).rejects.toThrow(/order/)
    await expect(migrate(db.sql, [{ name: '0001_a', sql: 'SELECT 1' }, { name: '0001_a', sql: 'SELECT 1' }])).rejects.toThrow(/duplicate/)
  })
})

describe('migrate on a real database', () => {
  test('an empty database gets every migration; a second run applies nothing', async () => {
    const db = await emptyDb()
    expect(await pendingMigrations(db.sql)).toEqual(MIGRATIONS.map((m) => m.name))
    const first = await migrate(db.sql)
    expect(first).toEqual(MIGRATIONS.map((m) => m.name))
    expect(await tableExists(db, 'settings')).toBe(true)
    expect(await tableExists(db, 'audit_log')).toBe(true)
    const rows = await db.sql<{ name: string }[]>`SELECT name FROM schema_migrations ORDER BY name`
    expect(rows.map((r) => r.name)).toEqual(first)

    expect(await migrate(db.sql)).toEqual([])
    expect(await pendingMigrations(db.sql)).toEqual([])
    expect((await db.sql`SELECT count(*)::int AS n FROM schema_migrations`)[0]!.n).toBe(MIGRATIONS.length)
  })

  test('two concurrent migrate() calls from two pools: both succeed, each migration is applied once', async () => {
    const db = await emptyDb()
    const a = connectDb(db.url, { max: 2, tz: 'America/New_York' })
    const b = connectDb(db.url, { max: 2, tz: 'America/New_York' })
    try {
      // Make the race real: both pools connected before either starts.
      await Promise.all([a`SELECT 1`, b`SELECT 1`])
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)])
      const all = [...ra, ...rb]
      expect(all.sort()).toEqual(MIGRATIONS.map((m) => m.name))
      expect(ra.length === 0 || rb.length === 0).toBe(true)
      const rows = await db.sql<{ name: string; n: number }[]>`SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name ORDER BY name`
      expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name))
      expect(rows.every((r) => r.n === 1)).toBe(true)
    } finally {
      await Promise.all([a.end(), b.end()])
    }
  })

  test('a failing migration rolls back everything, earlier ones in the same run included', async () => {
    const db = await emptyDb()
    const list = [
      { name: '0001_good', sql: 'CREATE TABLE mig_good (id int PRIMARY KEY); INSERT INTO mig_good VALUES (1);' },
      { name: '0002_bad', sql: 'CREATE TABLE mig_bad (id int); SELECT 1/0;' },
    ]
    await expect(migrate(db.sql, list)).rejects.toThrow(/division by zero/)
    expect(await tableExists(db, 'mig_good')).toBe(false)
    expect(await tableExists(db, 'mig_bad')).toBe(false)
    expect(await tableExists(db, 'schema_migrations')).toBe(false)

    // Fixed, the same list applies cleanly.
    list[1]!.sql = 'CREATE TABLE mig_bad (id int);'
    expect(await migrate(db.sql, list)).toEqual(['0001_good', '0002_bad'])
    expect(await tableExists(db, 'mig_bad')).toBe(true)
  })

  test('a failure in a later run leaves the earlier runs in place', async () => {
    const db = await emptyDb()
    const one = [{ name: '0001_one', sql: 'CREATE TABLE mig_one (id int);' }]
    expect(await migrate(db.sql, one)).toEqual(['0001_one'])
    await expect(migrate(db.sql, [...one, { name: '0002_two', sql: 'CREATE TABLE mig_one (id int);' }])).rejects.toThrow(/already exists/)
    expect(await tableExists(db, 'mig_one')).toBe(true)
    expect(await pendingMigrations(db.sql, [...one, { name: '0002_two', sql: '' }])).toEqual(['0002_two'])
  })
})
