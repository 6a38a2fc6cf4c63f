import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runSeeds } from '../../src/features/seeds.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import type { Sql } from '../../src/platform/db.ts'
import { findPgTool, libpqConnection, parseToolVersion, pgToolsReport, toolProblem } from '../../src/platform/backup.ts'
import { publicTables } from '../../src/platform/backup.sql.ts'
import { testConfig } from '../helpers/app.ts'
import { runIon } from '../helpers/cli.ts'
import { createEmptyDb, createTestDb, type TestDb } from '../helpers/db.ts'
import { makeUser } from '../helpers/factories.ts'

// `ion backup` / `ion restore` (issue 11, item 7): the demo school is dumped by the real command,
// restored into an empty database, and that database passes `ion check` with every table's row
// count equal to the source's. Refusals leave files and databases as they were.
setDefaultTimeout(120_000)

let src: TestDb
const dbs: TestDb[] = []
let dir = ''
const envFor = (db: TestDb) => ({ DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL })

/** The demo school's backup, made once by the real command (the first test checks its output). */
let made: Promise<{ file: string; run: Awaited<ReturnType<typeof runIon>> }> | null = null
const schoolBackup = () => (made ??= (async () => {
  const file = join(dir, 'school.dump')
  return { file, run: await runIon(['backup', file], envFor(src), 60_000) }
})())

async function rowCounts(sql: Sql): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of await publicTables(sql)) out[t] = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${sql(t)}`)[0]!.n
  return out
}

beforeAll(async () => {
  src = await createTestDb()
  const config = testConfig()
  const ctx = { sql: src.sql, config, clock: fixedClock('2026-11-30T14:00:00Z', config.schoolTz), log: memoryLogger() }
  await runSeeds(ctx)
  dir = mkdtempSync(join(tmpdir(), 'ion-backup-'))
})
afterAll(async () => {
  for (const d of dbs) await d.drop()
  await src?.drop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('ion backup → ion restore', () => {
  test('a restored demo school passes ion check and has every table with the same row count', async () => {
    const { file, run: b } = await schoolBackup()
    expect([b.code, b.stderr]).toEqual([0, ''])
    expect(b.stdout).toMatch(/^backup: .*school\.dump \(\d+\.\d MB, pg_dump \d+/)
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP')

    const dst = await createEmptyDb()
    dbs.push(dst)
    const r = await runIon(['restore', file], envFor(dst), 60_000)
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toContain('restore: ')

    const check = await runIon(['check'], envFor(dst))
    expect(check.stdout).toContain('schema up to date')
    expect(check.stdout).toMatch(/^pg_dump\/pg_restore: ok /m)
    expect(check.stdout).toContain('verdict: ready')
    expect(check.code).toBe(0)

    const [before, after] = await Promise.all([rowCounts(src.sql), rowCounts(dst.sql)])
    expect(Object.keys(after).length).toBeGreaterThan(30)
    expect(after).toEqual(before)
    // The demo school is in it: people, eighth period, news.
    for (const t of ['users', 'eighth_activities', 'eighth_signups', 'announcements', 'bus_routes']) expect([t, after[t]! > 0]).toEqual([t, true])
    // Sequences came along: a new row does not collide with a restored one.
    const u = await makeUser(dst.sql, {})
    expect(u.id).toBeGreaterThan((await dst.sql<{ m: number }[]>`SELECT max(id)::int AS m FROM users WHERE id <> ${u.id}`)[0]!.m)
  })

  test('restore into a database that has tables is refused and changes nothing', async () => {
    const { file } = await schoolBackup()
    const target = await createTestDb() // migrated: has tables
    dbs.push(target)
    await makeUser(target.sql, { username: 'alreadyhere' })
    const before = await rowCounts(target.sql)
    const r = await runIon(['restore', file], envFor(target), 60_000)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^ion restore: the database "ion_t_[^"]+" is not empty \(\d+ tables, e\.g\. /)
    expect(await rowCounts(target.sql)).toEqual(before)
  })

  test('a broken backup restores nothing (one transaction): the database stays empty', async () => {
    const whole = readFileSync((await schoolBackup()).file)
    const broken = join(dir, 'broken.dump')
    writeFileSync(broken, whole.subarray(0, Math.floor(whole.length / 2)))
    const dst = await createEmptyDb()
    dbs.push(dst)
    const r = await runIon(['restore', broken], envFor(dst), 60_000)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('ion restore: pg_restore failed')
    expect(await publicTables(dst.sql)).toEqual([])
  })

  test('a file that is not a backup, or is missing, is refused before connecting', async () => {
    const notDump = join(dir, 'notes.txt')
    writeFileSync(notDump, 'hello')
    const dst = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', REDIS_URL: process.env.REDIS_URL }
    const a = await runIon(['restore', notDump], dst)
    expect([a.code, a.stderr]).toEqual([1, `ion restore: ${notDump} is not a backup made by ion backup (pg_dump --format=custom)\n`])
    const b = await runIon(['restore', join(dir, 'missing.dump')], dst)
    expect([b.code, b.stderr]).toEqual([1, `ion restore: ${join(dir, 'missing.dump')}: no such file\n`])
  })
})

describe('ion backup refusals and usage', () => {
  test('an existing file is kept unless --force; with --force it is replaced by a complete backup', async () => {
    const file = join(dir, 'existing.dump')
    writeFileSync(file, 'an older backup')
    const r = await runIon(['backup', file], envFor(src))
    expect([r.code, r.stderr]).toEqual([1, `ion backup: ${file} exists; say --force to replace it\n`])
    expect(readFileSync(file, 'utf8')).toBe('an older backup')
    const f = await runIon(['backup', file, '--force'], envFor(src), 60_000)
    expect(f.code).toBe(0)
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP')
  })

  test('a database that cannot be reached fails with exit 1 and leaves no file', async () => {
    const file = join(dir, 'unreachable.dump')
    const r = await runIon(['backup', file], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', REDIS_URL: process.env.REDIS_URL })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^ion backup: cannot reach PostgreSQL/)
    expect(readdirSync(dir).filter((f) => f.includes('unreachable'))).toEqual([])
  })

  test('usage errors exit 2', async () => {
    for (const args of [['backup'], ['restore'], ['backup', 'a', 'b'], ['backup', 'x', '--overwrite']]) {
      const r = await runIon(args, envFor(src))
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2])
    }
  })
})

describe('finding pg_dump and passing the password', () => {
  test('the password goes to PGPASSWORD, not into the connection string on argv', () => {
    const c = libpqConnection('postgres://ion:p%40ss%20w0rd@db.internal:5433/ion?sslmode=require')
    expect(c.dbname).toBe('postgres://ion@db.internal:5433/ion?sslmode=require')
    expect(c.env.PGPASSWORD).toBe('p@ss w0rd')
    expect(libpqConnection('postgres://postgres@127.0.0.1:54329/ion').env.PGPASSWORD).toBe(process.env.PGPASSWORD)
  })

  test('versions: "pg_dump (PostgreSQL) 15.18 (Debian …)" is major 15', () => {
    expect(parseToolVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toEqual({ version: '15.18', major: 15 })
    expect(parseToolVersion('pg_restore (PostgreSQL) 17.2')).toEqual({ version: '17.2', major: 17 })
    expect(parseToolVersion('pg_dump (PostgreSQL) 9.6.24')).toEqual({ version: '9.6.24', major: 9.6 })
    expect(parseToolVersion('something else')).toBeNull()
  })

  test('found on PATH or in /usr/lib/postgresql/<major>/bin; a server newer than every tool is a warning naming the package', async () => {
    const onPath = await findPgTool('pg_dump', 15)
    const debianOnly = await findPgTool('pg_dump', 15, '/nonexistent')
    expect(onPath?.matches).toBe(true)
    expect(debianOnly?.tool.path).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin\/pg_dump$/)
    const tooNew = await findPgTool('pg_restore', 99)
    expect(tooNew?.matches).toBe(false)
    expect(toolProblem('pg_restore', tooNew, 99)).toContain('is older than the server (PostgreSQL 99): install PostgreSQL 99\'s client tools (Debian/Ubuntu: apt-get install postgresql-client-99)')
    expect(toolProblem('pg_dump', null, 15)).toMatch(/^pg_dump is not installed/)
    const report = await pgToolsReport(99)
    expect(report.ok).toBe(false)
    expect(report.line).toMatch(/^pg_dump\/pg_restore: WARNING: /)
  })
})
