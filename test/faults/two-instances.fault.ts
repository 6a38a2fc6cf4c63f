// Fault (or rather, scale-out): two `ion serve` processes on two ports, one PostgreSQL and one
// Redis, nothing in front. Run by `bun run faults` (test/faults/run.ts), never by the suite.
//
// - A signup rush split between the two keeps every invariant (each 2xx signup stored, capacity
//   and one-per-block hold, nothing half-written): the decision is in PostgreSQL, not in a process.
// - A bus admin's change on instance 1 reaches every bus-board socket of both, once each (Redis
//   pub/sub relays to each instance's own sockets).
// - Each scheduled slot runs once: the per-second `fault.tick` job and every real job's catch-up at
//   start have one job_runs row and one body per slot, whichever instance won it.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { halfOf } from '../../src/features/bus/board.ts'
import { registeredJobs } from '../../src/platform/jobs/index.ts'
import '../../src/features/index.ts'
import { SESSION_COOKIE } from '../../src/platform/session.ts'
import { planRush, rush } from '../load/signup-rush.ts'
import { client, type Client } from '../bus/helpers.ts'
import { mintSessions, startIonProcess, type IonProcess } from './ion.ts'
import { FAULT_JOB, faultJobEnv, slotRecords } from './jobs.ts'
import { faultLog, reportFigures, startSchool, type School } from './school.ts'
import { byStatus, signupsInBlock, unexpectedStatuses, unhandledLines, verifySignups } from './signup-checks.ts'

const log = faultLog('two-instances')
const STUDENTS = 1200
const SOCKETS_EACH = 6
const env = faultJobEnv({ schedule: '* * * * * *', bodyMs: 50 })

let school: School | null = null
let second: IonProcess | null = null
const sockets: Client[] = []

beforeAll(async () => {
  school = await startSchool({ students: STUDENTS, log, env })
  second = await startIonProcess({ databaseUrl: school.services.databaseUrl, redisUrl: school.services.redisUrl, env })
  log(`second instance at ${second.url}`)
}, 120_000)
afterAll(async () => {
  for (const s of sockets) s.ws.close()
  await second?.stop()
  await school?.stop()
}, 60_000)

test('two instances on one PostgreSQL and Redis: rush invariants, bus fan-out, one run per slot', async () => {
  const { stage, tokens, ion: first, sql, services } = school!
  const instances = [first, second!]
  const t0 = new Date()

  // 1. The rush, every other student on the other instance.
  const before = await signupsInBlock(sql, stage.blockId)
  const plans = planRush(stage, 7, 0.7)
  const halves = [plans.filter((_, i) => i % 2 === 0), plans.filter((_, i) => i % 2 === 1)]
  const bursts = await Promise.all(instances.map((ion, i) => rush(ion.url, 'contract', stage, tokens, halves[i]!, { concurrency: 50, timeoutMs: 15_000, limitMs: 90_000 })))
  const answers = bursts.flatMap((b) => b.outcomes)
  const statuses = byStatus(answers)
  const perInstance = bursts.map((b) => byStatus(b.outcomes))
  const db = await verifySignups(sql, stage, answers, before)
  const refusals = byStatus(answers.filter((a) => a.status !== 200).map((a) => ({ status: `${a.status} ${a.reason}` })))
  log(`rush: ${JSON.stringify(perInstance)}; refusals ${JSON.stringify(refusals)}; ${JSON.stringify({ verified: db.verified, lost: db.lost.length, overCapacity: db.overCapacity, duplicates: db.duplicates })}`)

  // 2. The bus board: sockets on both, a change on instance 1.
  const [admin] = await sql<{ id: number }[]>`SELECT id FROM users WHERE username = 'admin'`
  const riders = stage.students.slice(0, SOCKETS_EACH * 2)
  const adminToken = (await mintSessions(services.redisUrl, [admin!.id])).get(admin!.id)!
  const open = async (ion: IonProcess, token: string) => {
    const c = await client(`${ion.url.replace('http', 'ws')}/bus/ws`, { cookie: `${SESSION_COOKIE}=${token}`, origin: ion.url })
    sockets.push(c)
    await c.next(5000) // the snapshot
    return c
  }
  const adminSocket = await open(first, adminToken)
  const watchers = await Promise.all(riders.map((id, i) => open(instances[i % 2]!, tokens.get(id)!)))
  const [route] = await sql<{ id: number; status: string }[]>`SELECT id, status FROM bus_routes WHERE status <> 'd' ORDER BY id LIMIT 1`
  const half = halfOf(new Date(), process.env.SCHOOL_TZ ?? 'America/New_York', Number(process.env.BUS_CHANGEOVER_HOUR ?? 10))
  const sentAt = performance.now()
  adminSocket.send({ id: route!.id, status: 'd', time: half })
  const everyone = [adminSocket, ...watchers]
  const delivered = await Promise.all(everyone.map(async (c) => {
    for (;;) {
      const m = JSON.parse(await c.next(5000)) as { allRoutes?: { id: number; status: string }[] }
      if (m.allRoutes?.find((r) => r.id === route!.id)?.status === 'd') return { ms: performance.now() - sentAt, copy: JSON.stringify(m) }
    }
  }))
  await Bun.sleep(500) // a second copy would be here by now
  const copies = everyone.map((c, i) => c.got.filter((g) => g === delivered[i]!.copy).length)
  const busMs = Math.round(Math.max(...delivered.map((d) => d.ms)))
  log(`bus: ${everyone.length} sockets (${1 + Math.ceil(riders.length / 2)} on :${first.port}, ${Math.floor(riders.length / 2)} on :${second!.port}) got the change within ${busMs} ms; copies ${JSON.stringify(copies)}`)

  // 3. Scheduled jobs: let the per-second job run a few more slots, then look at job_runs.
  await Bun.sleep(3000)
  const slots = (await slotRecords(sql)).filter((r) => r.run && r.run.startedAt >= t0)
  const pids = instances.map((i) => i.proc.pid)
  const twice = slots.filter((r) => r.starts.length !== 1)
  const wrongBody = slots.filter((r) => !r.run!.instance.endsWith(`:${r.starts[0]}`))
  const byInstance = pids.map((pid) => slots.filter((r) => r.starts[0] === pid).length)
  const secs = slots.map((r) => Date.parse(r.slot) / 1000)
  const gaps = secs.length ? secs.at(-1)! - secs[0]! + 1 - secs.length : 0
  const realJobs = registeredJobs().filter((j) => j.name !== FAULT_JOB).map((j) => j.name)
  const real = await sql<{ job: string; n: number; slots: number }[]>`
    SELECT job, count(*)::int AS n, count(DISTINCT slot)::int AS slots FROM job_runs WHERE job = ANY(${realJobs}) GROUP BY job ORDER BY job`
  const instancesOfRuns = await sql<{ instance: string }[]>`SELECT DISTINCT instance FROM job_runs WHERE job = ANY(${realJobs})`
  log(`jobs: ${FAULT_JOB} ${slots.length} slots (${byInstance.join(' + ')} by the two), ${twice.length} run twice, ${gaps} skipped; real jobs ${JSON.stringify(real.map((r) => [r.job, r.n]))} by ${instancesOfRuns.length} instance(s)`)

  const unhandled = unhandledLines(instances.flatMap((i) => [...i.logs(), ...i.errors()]))
  reportFigures('two instances, one PostgreSQL and Redis', {
    rush: `${answers.length} requests (${Object.entries(statuses).map(([k, n]) => `${k}: ${n}`).join(', ')}), split ${halves[0]!.length}/${halves[1]!.length} students; ${db.verified} 2xx signups stored, ${db.lost.length} lost, ${db.overCapacity} over capacity, ${db.duplicates} duplicates, ${db.halfWritten} half-written`,
    bus: `a change on instance 1 reached ${delivered.length} of ${everyone.length} sockets on both instances within ${busMs} ms, ${copies.filter((n) => n !== 1).length} got it more than once`,
    jobs: `${slots.length} per-second slots: each one run once (${byInstance.join(' by instance 1, ')} by instance 2), ${twice.length} twice, ${gaps} skipped; ${real.length} real jobs caught up once each`,
  })

  expect(unexpectedStatuses(statuses)).toEqual({})
  expect(perInstance.every((s) => Object.keys(s).some((k) => k.startsWith('2')))).toBe(true)
  expect(db.verified).toBeGreaterThan(0)
  expect(db.lost).toEqual([])
  expect(db.changed).toEqual([])
  expect(db.overCapacity).toBe(0)
  expect(db.duplicates).toBe(0)
  expect(db.halfWritten).toBe(0)
  expect(copies).toEqual(everyone.map(() => 1))
  expect(slots.length).toBeGreaterThanOrEqual(3)
  expect(twice).toEqual([])
  expect(wrongBody).toEqual([])
  for (const r of real) expect([r.job, r.n]).toEqual([r.job, r.slots]) // one run per (job, slot)
  expect(real.length).toBeGreaterThan(0)
  expect(unhandled).toEqual([])
}, 180_000)
