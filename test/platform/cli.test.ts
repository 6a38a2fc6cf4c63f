import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { runIon } from '../helpers/cli.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'

// `ion` is `bun src/main.ts` here; test/platform/binary.test.ts runs the compiled binary.
const ENV = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL }

describe('usage errors exit 2', () => {
  test('no arguments: usage on stdout, exit 2', async () => {
    const r = await runIon([])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('Usage: ion <command>')
    for (const c of ['serve', 'migrate', 'seed', 'check']) expect(r.stdout).toContain(c)
  })

  test('unknown command: names it, prints usage, exit 2', async () => {
    const r = await runIon(['frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown command "frobnicate"')
    expect(r.stderr).toContain('Usage: ion <command>')
  })

  test('unknown flag: exit 2 with the command\'s usage', async () => {
    const r = await runIon(['migrate', '--frobnicate'], ENV)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown option --frobnicate')
    expect(r.stderr).toContain('Usage: ion migrate')
  })

  test('unexpected positional argument: exit 2', async () => {
    const r = await runIon(['migrate', 'now'], ENV)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unexpected argument "now"')
  })

  test('a boolean flag given a value: exit 2', async () => {
    const r = await runIon(['seed', '--demo=yes'], ENV)
    expect(r.code).toBe(2)
  })

  test('seed without --demo: exit 2', async () => {
    const r = await runIon(['seed'], ENV)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--demo')
  })
})

describe('help exits 0', () => {
  test('--help, -h and help print the usage', async () => {
    for (const a of ['--help', '-h', 'help']) {
      const r = await runIon([a])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('Usage: ion <command>')
    }
  })

  test('<command> --help prints that command\'s usage without running it', async () => {
    // No DATABASE_URL: had it run, it would fail on the configuration.
    const r = await runIon(['migrate', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: ion migrate')
  })
})

describe('seed --demo under NODE_ENV=production', () => {
  let db: TestDb
  beforeAll(async () => { db = await createTestDb() })
  afterAll(async () => { await db.drop() })

  test('refuses with exit 1 and changes nothing', async () => {
    const before = await db.sql`SELECT count(*)::int AS n FROM settings`
    const r = await runIon(['seed', '--demo'], { ...ENV, DATABASE_URL: db.url, NODE_ENV: 'production' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('NODE_ENV=production')
    expect(r.stdout).not.toContain('seed ')
    const after = await db.sql`SELECT count(*)::int AS n FROM settings`
    expect(after[0]!.n).toBe(before[0]!.n)
  })

  test('refuses before connecting: an unreachable database makes no difference', async () => {
    const r = await runIon(['seed', '--demo'], { ...ENV, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', NODE_ENV: 'production' })
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain('refusing')
  })
})

describe('migrate', () => {
  test('an unreachable database: exit 1 with one message, no stack trace', async () => {
    const r = await runIon(['migrate'], { ...ENV, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^ion: /)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})
