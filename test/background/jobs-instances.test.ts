import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'

// Two Ion processes sharing PostgreSQL and Redis run the same per-second schedule: each slot
// is claimed by one of them (INSERT … ON CONFLICT DO NOTHING) and its body runs once.

let db: TestDb
beforeAll(async () => { db = await createTestDb() })
afterAll(async () => { await db.drop() })

test('two instances, one schedule: one run per slot', async () => {
  const spawn = () => Bun.spawn(['bun', 'test/background/fixtures/scheduler.ts'], {
    env: { ...process.env, DATABASE_URL: db.url, RUN_MS: '3200', REDIS_PREFIX: `t:${db.name}:`, NODE_ENV: 'test' },
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const procs = [spawn(), spawn()]
  const outs = await Promise.all(procs.map(async (p) => {
    const text = await new Response(p.stdout).text()
    expect(await p.exited).toBe(0)
    return JSON.parse(text.trim().split('\n').at(-1)!) as { ran: number }
  }))
  const runs = await db.sql<{ slot: string; outcome: string }[]>`SELECT slot, outcome FROM job_runs WHERE job = 'test.tick' ORDER BY slot`
  const bodies = await db.sql<{ slot: string }[]>`SELECT target_id AS slot FROM audit_log WHERE action = 'test.tick' ORDER BY target_id`
  expect(runs.length).toBeGreaterThanOrEqual(2)
  expect(runs.every((r) => r.outcome === 'ok')).toBe(true)
  // each slot's body ran exactly once, across both processes
  expect(bodies.map((b) => b.slot)).toEqual(runs.map((r) => r.slot))
  expect(outs[0]!.ran + outs[1]!.ran).toBe(runs.length)
  // consecutive whole seconds: nobody ran a slot twice under two names
  const secs = runs.map((r) => Date.parse(r.slot) / 1000)
  expect(secs.every((s) => Number.isInteger(s))).toBe(true)
  expect(secs.at(-1)! - secs[0]!).toBe(secs.length - 1)
}, 30_000)
