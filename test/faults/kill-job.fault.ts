// Fault: `ion serve` SIGKILLed in the middle of a scheduled job's body. Run by `bun run faults`
// (test/faults/run.ts), never by the suite.
//
// The killed slot's job_runs row is left "running"; after a restart its missing heartbeat gets it
// marked 'abandoned' within JOB_LEASE_SECONDS (+ one sweep); its body is never started a second
// time (by the restarted scheduler, its catch-up, or anyone); and the job's next slots each run
// once, to the end, with outcome ok.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { migrate } from '../../src/platform/migrate.ts'
import type { Sql } from '../../src/platform/db.ts'
import { Cleanup } from '../load/harness.ts'
import { openDb, startIonProcess, type IonProcess } from './ion.ts'
import { faultJobEnv, slotRecords, waitFor } from './jobs.ts'
import { faultLog, reportFigures } from './school.ts'
import { startServices, type Services } from './services.ts'

const log = faultLog('kill-job')
const LEASE_S = 3
const BODY_MS = 2500
const env = faultJobEnv({ schedule: '*/4 * * * * *', bodyMs: BODY_MS, leaseSeconds: LEASE_S })

const cleanup = new Cleanup()
let services: Services
let sql: Sql

beforeAll(async () => {
  services = await startServices()
  cleanup.add('stop the services', () => services.stop())
  sql = openDb(services.databaseUrl)
  cleanup.add('close the test pool', () => sql.end({ timeout: 2 }))
  await migrate(sql)
}, 90_000)
afterAll(() => cleanup.run(), 60_000)

async function start(): Promise<IonProcess> {
  const ion = await startIonProcess({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, env })
  cleanup.add(`stop ion ${ion.proc.pid}`, () => ion.stop())
  return ion
}

test('SIGKILL during a scheduled job: the slot is marked abandoned, never run twice; the next slots run once', async () => {
  const first = await start()
  // The first body that has begun and not finished: kill the process 1 s into it.
  const killed = await waitFor(async () => (await slotRecords(sql)).find((r) => r.starts.length === 1 && r.ends.length === 0), 15_000, 'a fault.tick body to begin')
  await Bun.sleep(1000)
  first.kill('SIGKILL')
  const killedAt = performance.now()
  expect(await first.exited).not.toBe(0)
  const atKill = (await slotRecords(sql)).find((r) => r.slot === killed.slot)!
  log(`killed pid ${first.proc.pid} during slot ${killed.slot}: run ${JSON.stringify(atKill.run)}`)
  expect(atKill.run?.outcome).toBeNull() // left "running"
  expect(atKill.ends).toEqual([])

  const second = await start()
  const abandoned = await waitFor(async () => {
    const r = (await slotRecords(sql)).find((x) => x.slot === killed.slot)
    return r?.run?.outcome ? r : null
  }, (LEASE_S + 10) * 1000, 'the killed run to be finished')
  const abandonedMs = Math.round(performance.now() - killedAt)
  log(`slot ${killed.slot} is ${abandoned.run!.outcome} ${abandonedMs} ms after the kill: ${abandoned.run!.error}`)

  // Two more slots of the restarted instance run to the end.
  const after = await waitFor(async () => {
    const done = (await slotRecords(sql)).filter((r) => r.slot > killed.slot && r.run?.outcome === 'ok')
    return done.length >= 2 ? done : null
  }, 20_000, 'two later slots to finish')
  const exit = await second.stop()
  const all = await slotRecords(sql)
  const later = all.filter((r) => r.slot > killed.slot)
  const twice = all.filter((r) => r.starts.length > 1)
  const unclaimed = all.filter((r) => r.run === null) // a body without its claim
  const figures = {
    killedSlot: killed.slot, outcome: abandoned.run!.outcome, abandonedAfterMs: abandonedMs,
    bodiesOfKilledSlot: abandoned.starts.length, slotsRunTwice: twice.length, unclaimedBodies: unclaimed.length,
    laterSlots: later.length, laterOk: later.filter((r) => r.run?.outcome === 'ok' && r.starts.length === 1 && r.ends.length === 1).length,
    secondExit: exit,
  }
  log(JSON.stringify(figures))
  reportFigures('SIGKILL during a scheduled job', {
    'killed slot': `${killed.slot}: marked ${figures.outcome} ${(abandonedMs / 1000).toFixed(1)} s after the kill (lease ${LEASE_S} s); its body ran ${figures.bodiesOfKilledSlot} time(s)`,
    'later slots': `${figures.laterOk} of ${figures.laterSlots} ran once to the end (ok) on the restarted instance; slots run twice: ${twice.length}`,
  })

  expect(abandoned.run!.outcome).toBe('abandoned')
  expect(abandoned.run!.instance).toContain(`:${first.proc.pid}`)
  expect(abandoned.starts).toEqual([first.proc.pid]) // begun once, by the killed process, never again
  expect(abandoned.ends).toEqual([])
  expect(twice).toEqual([])
  expect(unclaimed).toEqual([])
  expect(after.every((r) => r.run!.instance.endsWith(`:${second.proc.pid}`) && r.starts.length === 1 && r.ends.length === 1)).toBe(true)
  // Every later slot that finished did so normally (the one cut by the final SIGTERM may be abandoned later).
  expect(later.filter((r) => r.run?.outcome && r.run.outcome !== 'ok' && r.run.outcome !== 'abandoned')).toEqual([])
  expect(exit).toBe(0)
}, 120_000)
