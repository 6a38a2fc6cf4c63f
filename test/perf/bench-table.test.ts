import { expect, test } from 'bun:test'
import { rowsOf, tabulate } from '../load/table.ts'

// The bench table (issue 10): figures from each bench's JSON line, judged against their targets,
// with the ratio to the limit measured in the same run.

const raw = {
  rush: { pgbenchTps: 7000, signupsPerSec: 2100, latencyMs: { p50: 50, p99: 260, max: 400 }, fiveXx: 0, overCapacity: 0, duplicates: 1 },
  pages: { hello: { reqPerSec: 100_000 }, openRate: 200, pages: [{ name: 'signup page', reqPerSec: 2600, p99Ms: 41, at200: { p99Ms: 20 }, bytes: 1000 }] },
  bus: { clients: 5000, connect_storm_ms: 900, server_publish_ms_median: 1.2, update_p50_ms: 100, update_p99_ms: 301, bytes_per_idle_connection: 5000 },
  binary: { coldStartMs: 140, idleRssMb: 80, sizeMb: 121 },
  mail: { recipients: 2000, toSinkMedianMs: 200, enqueueMedianUs: 300 },
}

test('each figure is judged against its target, with the ratio to its limit', () => {
  const rows = rowsOf(raw)
  const get = (f: string) => rows.find((r) => r.figure.startsWith(f))!
  expect(get('signups/s end').met).toBe(true)
  expect(get('signups/s end').ofLimit!.ratio).toBeCloseTo(0.3, 5)
  expect(get('signups/s ÷').measured).toBe(30)
  expect(get('latency p99').met).toBe(false)
  expect(get('duplicate').met).toBe(false)
  expect(get('over-capacity').met).toBe(true)
  expect(get('signup page: req/s').met).toBe(true)
  expect(get('signup page: req/s').ofLimit!.ratio).toBeCloseTo(0.026, 5)
  expect(get('signup page: p99 (wrk)').met).toBe(false)
  expect(get('signup page: p99 at 200').met).toBe(true)
  expect(get('update delivery p99').met).toBe(false)
  expect(get('memory per idle').met).toBe(false)
  expect(get('cold start').met).toBe(true)
  expect(get('file size').met).toBe(false)
  expect(get('2000-recipient').met).toBe(true)
})

test('the printed table names every figure and counts the misses', () => {
  const { text, rows } = tabulate(raw)
  expect(text).toContain('MISS')
  expect(text).toContain('% of pgbench TPS')
  expect(text.trim().split('\n').at(-1)).toBe(`${rows.filter((r) => r.met).length} targets met, ${rows.filter((r) => r.met === false).length} missed`)
  expect(tabulate({}).rows).toEqual([])
})
