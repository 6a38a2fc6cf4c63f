import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runIon } from '../helpers/cli.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { toCsv } from '../../src/platform/csv.ts'

// `ion import <kind> <file>` through `bun src/main.ts`, against its own database.
let db: TestDb
let dir: string
let ENV: Record<string, string | undefined>
beforeAll(async () => {
  db = await createTestDb()
  dir = mkdtempSync(join(tmpdir(), 'ion-import-'))
  ENV = { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL }
})
afterAll(async () => { await db.drop() })

const file = (name: string, text: string | Uint8Array) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const count = async () => (await db.sql`SELECT count(*)::int AS n FROM users`)[0]!.n as number

describe('usage errors exit 2', () => {
  test('no kind, unknown kind, missing file, extra argument, unknown flag, a flag of another kind', async () => {
    const cases: [string[], string][] = [
      [['import'], 'say what to import'],
      [['import', 'frobs', 'x.csv'], 'unknown kind "frobs"'],
      [['import', 'users'], 'missing file'],
      [['import', 'users', 'a.csv', 'b.csv'], 'unexpected argument "b.csv"'],
      [['import', 'users', 'a.csv', '--nope'], 'unknown option --nope'],
      [['import', 'groups', 'a.csv', '--deactivate-missing'], 'does not take --deactivate-missing'],
      [['import', 'users', 'a.csv', '--dry-run=yes'], 'takes no value'],
    ]
    for (const [args, msg] of cases) {
      const r = await runIon(args, ENV)
      expect({ args, code: r.code }).toEqual({ args, code: 2 })
      expect(r.stderr).toContain(msg)
    }
    const kinds = await runIon(['import'], ENV)
    expect(kinds.stderr).toContain('ion import users <file.csv>')
    expect(kinds.stderr).toContain('ion import groups <file.csv>')
  })

  test('a missing or binary file: exit 1, one clear line', async () => {
    const missing = await runIon(['import', 'users', join(dir, 'nope.csv')], ENV)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('no such file')
    const bin = await runIon(['import', 'users', file('x.xlsx', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0]))], ENV)
    expect(bin.code).toBe(1)
    expect(bin.stderr).toContain('not a CSV text file')
  })
})

describe('ion import users', () => {
  const good = () => file('good.csv', toCsv([
    ['Student ID', 'First Name', 'Last Name', 'Grad Year'],
    ['6000001', 'Jane', 'Doe', '2027'],
    ['6000002', 'John', 'Doe', '2028'],
  ]))
  const mixed = () => file('mixed.csv', toCsv([
    ['Student ID', 'First Name', 'Last Name', 'Grad Year'],
    ['6000003', 'Ok', 'Row', '2027'],
    ['6000004', '', 'Row', '2027'],
  ]))

  test('--dry-run prints what would change and writes nothing', async () => {
    const before = await count()
    const r = await runIon(['import', 'users', good(), '--dry-run'], ENV)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/create {2}line 2 {2}\d{4}jdoe {2}student {2}Doe, Jane/)
    expect(r.stdout).toContain('dry run: 2 row(s): 2 to create')
    expect(await count()).toBe(before)
  })

  test('imports with a progress bar and a summary', async () => {
    const r = await runIon(['import', 'users', good()], ENV)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('import users 100% (2/2)')
    expect(r.stdout).toContain('2 created, 0 updated, 0 unchanged, 0 deactivated')
    const [a] = await db.sql`SELECT actor_id, details FROM audit_log WHERE action = 'import.users'`
    expect(a!.actorId).toBeNull()
    expect(a!.details).toMatchObject({ source: 'cli', created: 2 })
  })

  test('a row error: nothing written, exit 1, the line named; --valid-only imports the rest', async () => {
    const before = await count()
    const p = mixed()
    const r = await runIon(['import', 'users', p], ENV)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${p}:3: First name is required.`)
    expect(r.stderr).toContain('nothing was imported')
    expect(await count()).toBe(before)
    const v = await runIon(['import', 'users', p, '--valid-only'], ENV)
    expect(v.code).toBe(0)
    expect(v.stdout).toContain('1 created')
    expect(v.stdout).toContain('1 row(s) with errors skipped')
    expect(await count()).toBe(before + 1)
  })

  test('--deactivate-missing --dry-run reports how many would be deactivated', async () => {
    const r = await runIon(['import', 'users', good(), '--deactivate-missing', '--dry-run'], ENV)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('deactivate  ')
    expect(r.stdout).toContain('2 unchanged, 1 to deactivate')
  })
})

describe('ion import groups', () => {
  test('creates the group and adds members; admin_* is an error', async () => {
    const bad = file('groups.csv', 'group,username\nDebate,2027jdoe\nadmin_all,2027jdoe\n')
    const r = await runIon(['import', 'groups', bad], ENV)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(':3: admin_all is a permission group')
    const ok = file('groups2.csv', 'group,username\nDebate,2027jdoe\n')
    const r2 = await runIon(['import', 'groups', ok], ENV)
    expect(r2.code).toBe(0)
    expect(r2.stdout).toContain('1 group(s) created, 1 membership(s) added')
  })
})
