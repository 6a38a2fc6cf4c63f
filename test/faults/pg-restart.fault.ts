// Fault: PostgreSQL restarted (`pg_ctl restart -m fast`) in the middle of a signup rush over HTTP
// against a real `ion serve`. Run by `bun run faults` (test/faults/run.ts), never by the suite.
//
// Every answer is 2xx, 4xx or 503 (each 503 with Retry-After; never a 500, never "unhandled" in the
// server's log, never a request left without an answer); signups work again within 5 s of
// PostgreSQL being back; afterwards every signup that answered 2xx is in the database, students
// who were only refused are unchanged, nothing is half-written, capacity and one-per-block hold.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { planRush, rush, type Outcome } from '../load/signup-rush.ts'
import { byStatus, isOk, signupOnce, signupsInBlock, unexpectedStatuses, unhandledLines, verifySignups } from './signup-checks.ts'
import { faultLog, reportFigures, startSchool, type School } from './school.ts'

const log = faultLog('pg-restart')
const STUDENTS = 2000
/** Students kept out of the rush: each one signs up once, alone, to see when signups work again. */
const PROBES = 200
const CONCURRENCY = 100
/** The restart starts when this share of the rush's answers is in. */
const RESTART_AT = 0.25
const RECOVERY_LIMIT_MS = 5000

let school: School | null = null

beforeAll(async () => {
  school = await startSchool({ students: STUDENTS, log })
}, 90_000)

afterAll(async () => {
  await school?.stop()
}, 60_000)

test('PostgreSQL restarted in the middle of a signup rush', async () => {
  const { stage, tokens, ion, services, sql } = school!
  const before = await signupsInBlock(sql, stage.blockId)
  const rushers = stage.students.slice(0, -PROBES)
  const probers = stage.students.slice(-PROBES)
  const quiet = stage.targets.filter((t) => t.open && !t.hot)
  const plans = planRush({ ...stage, students: rushers }, 11, 0.7)
  const expected = plans.reduce((n, p) => n + (p.second ? 2 : 1), 0)

  // The rush; when a quarter of its answers are in, PostgreSQL restarts.
  const answers: Outcome[] = []
  let restart: Promise<void> | null = null
  let restartAt = 0
  let pgBackAt = 0
  const restartPg = async () => {
    restartAt = performance.now()
    log(`pg_ctl restart -m fast after ${answers.length} of ${expected} answers`)
    await services.pgRestart()
    pgBackAt = performance.now()
    log(`postgres back after ${Math.round(pgBackAt - restartAt)} ms`)
  }
  const burst = rush(ion.url, 'contract', stage, tokens, plans, {
    concurrency: CONCURRENCY, timeoutMs: 15_000, limitMs: 70_000,
    onAnswer: (o) => {
      answers.push(o)
      if (!restart && answers.length >= expected * RESTART_AT) restart = restartPg()
    },
  })

  // Meanwhile, from the moment the restart starts: one lone signup after another (a student who
  // got a 503 and tries again), until one that was sent after PostgreSQL came back succeeds.
  const probes: Outcome[] = []
  const probing = (async () => {
    while (!restart) await Bun.sleep(10)
    for (let i = 0; i < probers.length; i++) {
      const o = await signupOnce(ion.url, stage, tokens, probers[i]!, quiet[i % quiet.length]!)
      probes.push(o)
      if (pgBackAt && o.start >= pgBackAt && isOk(o)) return
      if (pgBackAt && performance.now() - pgBackAt > 20_000) return
      await Bun.sleep(50)
    }
  })()

  const { outcomes } = await burst
  await restart
  await probing
  const rushEnd = Math.max(...outcomes.map((o) => o.end))
  await Bun.sleep(500) // let the server settle the connections it lost

  const all = [...outcomes, ...probes]
  const statuses = byStatus(all)
  const recovered = probes.find((o) => o.start >= pgBackAt && isOk(o)) ?? outcomes.filter((o) => o.start >= pgBackAt && isOk(o)).sort((a, b) => a.end - b.end)[0]
  const recoveryMs = recovered ? Math.round(recovered.end - pgBackAt) : null
  const no503RetryAfter = all.filter((o) => o.status === 503 && !o.retryAfter).length
  const unhandled = unhandledLines([...ion.logs(), ...ion.errors()])
  const db = await verifySignups(sql, stage, all, before)
  const figures = {
    requests: all.length, statuses, unexpected: unexpectedStatuses(statuses), no503RetryAfter, unhandled: unhandled.length,
    restartMs: Math.round(pgBackAt - restartAt), restartDuringRush: restartAt < rushEnd, recoveryMs,
    signupsVerified: db.verified, lost: db.lost.length, changed: db.changed.length, halfWritten: db.halfWritten,
    overCapacity: db.overCapacity, duplicates: db.duplicates, leftOpen: db.leftOpen,
  }
  log(JSON.stringify(figures))
  if (unhandled.length) log(`server log:\n${unhandled.slice(0, 5).join('\n').slice(0, 3000)}`)
  if (db.lost.length) log(`lost: ${JSON.stringify(db.lost.slice(0, 5))}`)
  const failed = all.filter((o) => typeof o.status !== 'number')
  for (const o of failed.slice(0, 10)) log(`no answer: ${o.kind} user ${o.userId} -> ${o.target.scheduledId}${o.target.hot ? ' (hot)' : ''}, sent ${Math.round(o.start - restartAt)} ms after the restart began, ${o.reason}`)
  if (failed.length) log(`no answer: ${failed[0]!.reason}; server ${ion.proc.exitCode === null ? 'running' : `exited with ${ion.proc.exitCode}`}:\n${[...ion.logs(), ...ion.errors()].slice(-15).join('\n').slice(0, 4000)}`)
  reportFigures('PostgreSQL restart during a signup rush', {
    requests: `${all.length} (${Object.entries(statuses).map(([k, n]) => `${k}: ${n}`).join(', ')})`,
    recovery: recoveryMs === null ? 'never' : `${(recoveryMs / 1000).toFixed(2)} s after PostgreSQL was back (restart took ${figures.restartMs} ms)`,
    signups: `${db.verified} answered 2xx and are in the database; ${db.lost.length} lost, ${db.halfWritten} half-written, ${db.overCapacity} over capacity, ${db.duplicates} duplicates`,
  })

  expect(figures.restartDuringRush).toBe(true)
  expect(figures.unexpected).toEqual({})
  expect(no503RetryAfter).toBe(0)
  expect(unhandled).toEqual([])
  expect(recoveryMs).not.toBeNull()
  expect(recoveryMs!).toBeLessThanOrEqual(RECOVERY_LIMIT_MS)
  expect(db.lost).toEqual([])
  expect(db.changed).toEqual([])
  expect(db.verified).toBeGreaterThan(0)
  expect(db.halfWritten).toBe(0)
  expect(db.overCapacity).toBe(0)
  expect(db.duplicates).toBe(0)
  expect(db.leftOpen).toBe(0)
}, 120_000)
