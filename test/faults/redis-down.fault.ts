// Fault: Redis stopped for 30 s under load (signed-in students opening pages and signing up)
// against a real `ion serve`. Run by `bun run faults` (test/faults/run.ts), never by the suite.
//
// Nobody's session cookie is cleared or expired by any answer; while Redis is down signed-in
// requests answer 503 with Retry-After (never a 500, never a redirect to the login page), /healthz
// answers 200 and /readyz 503; when Redis is back (started from its append-only file) the SAME
// sessions work again within 5 s; every signup that answered 2xx is in PostgreSQL.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { SESSION_COOKIE } from '../../src/platform/session.ts'
import { mulberry32 } from '../load/harness.ts'
import type { Outcome } from '../load/signup-rush.ts'
import { byStatus, clearsSession, signupOnce, signupsInBlock, unexpectedStatuses, unhandledLines, verifySignups } from './signup-checks.ts'
import { faultLog, reportFigures, startSchool, type School } from './school.ts'

const log = faultLog('redis-down')
const STUDENTS = 120
const WORKERS = 12
const BASELINE_MS = 3000
const OUTAGE_MS = 30_000
const RECOVERY_LIMIT_MS = 5000
/** Pages a signed-in student opens (HTML and the JSON API). */
const PAGES = ['/', '/eighth/signup', '/announcements', '/api/signups/user']

type Hit = { path: string; start: number; end: number; status: number | 'timeout' | 'error'; retryAfter: string | null; setCookie: string | null; location: string | null }

let school: School | null = null

beforeAll(async () => {
  school = await startSchool({ students: STUDENTS, log })
}, 90_000)

afterAll(async () => {
  await school?.stop()
}, 60_000)

async function hit(url: string, path: string, token: string | null): Promise<Hit> {
  const start = performance.now()
  const h: Hit = { path, start, end: start, status: 'error', retryAfter: null, setCookie: null, location: null }
  try {
    const res = await fetch(url + path, { redirect: 'manual', headers: token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}, signal: AbortSignal.timeout(10_000) })
    await res.arrayBuffer()
    Object.assign(h, { status: res.status, retryAfter: res.headers.get('retry-after'), setCookie: res.headers.get('set-cookie'), location: res.headers.get('location') })
  } catch (e) {
    h.status = (e as Error).name === 'TimeoutError' ? 'timeout' : 'error'
  }
  h.end = performance.now()
  return h
}

test('Redis down for 30 s under load', async () => {
  const { stage, tokens, ion, services, sql } = school!
  const before = await signupsInBlock(sql, stage.blockId)
  const quiet = stage.targets.filter((t) => t.open && !t.hot)
  const rand = mulberry32(5)
  const pages: Hit[] = []
  const signups: Outcome[] = []
  const health: Hit[] = []
  let stopping = false

  // Signed-in students: mostly pages, one request in five a signup.
  const worker = async () => {
    while (!stopping) {
      const userId = stage.students[Math.floor(rand() * stage.students.length)]!
      if (rand() < 0.2) signups.push(await signupOnce(ion.url, stage, tokens, userId, quiet[Math.floor(rand() * quiet.length)]!))
      else pages.push(await hit(ion.url, PAGES[Math.floor(rand() * PAGES.length)]!, tokens.get(userId)!))
      await Bun.sleep(20)
    }
  }
  const prober = async () => {
    while (!stopping) {
      health.push(await hit(ion.url, '/healthz', null), await hit(ion.url, '/readyz', null))
      await Bun.sleep(250)
    }
  }
  const load = Promise.all([...Array.from({ length: WORKERS }, worker), prober()])

  await Bun.sleep(BASELINE_MS)
  const downAt = performance.now()
  await services.redisStop()
  const stoppedAt = performance.now()
  log(`redis stopped (${Math.round(stoppedAt - downAt)} ms); ${pages.length + signups.length} requests so far`)
  await Bun.sleep(OUTAGE_MS)
  const restartingAt = performance.now()
  await services.redisStart()
  const backAt = performance.now()
  log(`redis started again after ${Math.round((backAt - stoppedAt) / 1000)} s`)

  // Every student's session, tried until it works (or for 10 s): when does each work again? (The
  // signup page answers 200 only when signed in; a lost session gets a 303 to the login page.)
  const workAgain = await Promise.all(stage.students.map(async (userId) => {
    while (performance.now() - backAt < 10_000) {
      const h = await hit(ion.url, '/eighth/signup', tokens.get(userId)!)
      pages.push(h)
      if (h.status === 200) return h.end - backAt
      await Bun.sleep(100)
    }
    return null
  }))
  await Bun.sleep(1000)
  stopping = true
  await load

  const during = <T extends { start: number; end: number }>(xs: T[]) => xs.filter((x) => x.start >= stoppedAt && x.end <= restartingAt)
  const baseline = (xs: Hit[]) => xs.filter((x) => x.end <= downAt)
  const outagePages = during(pages)
  const outageSignups = during(signups)
  const healthzDown = during(health).filter((h) => h.path === '/healthz')
  const readyzDown = during(health).filter((h) => h.path === '/readyz')
  const cleared = [...pages, ...signups, ...health].filter((x) => clearsSession(x.setCookie)).length
  // Signed out: a 401 (the API) or a 303 to the login page (these pages and the signup never redirect a signed-in student).
  const loggedOut = [...pages, ...signups].filter((x) => x.status === 401 || x.status === 303).length
  const statuses = { pages: byStatus(pages), signups: byStatus(signups), health: byStatus(health) }
  const worked = workAgain.filter((x): x is number => x !== null)
  const allBackMs = worked.length === workAgain.length ? Math.round(Math.max(...worked)) : null
  const unhandled = unhandledLines([...ion.logs(), ...ion.errors()])
  const db = await verifySignups(sql, stage, signups, before)
  const figures = {
    statuses, cleared, loggedOut, unhandled: unhandled.length,
    baselinePages: byStatus(baseline(pages)),
    outage: { pages: byStatus(outagePages), signups: byStatus(outageSignups), healthz: byStatus(healthzDown), readyz: byStatus(readyzDown) },
    outageWithoutRetryAfter: [...outagePages, ...outageSignups].filter((x) => x.status === 503 && !x.retryAfter).length,
    outageRedirects: outagePages.filter((x) => typeof x.status === 'number' && x.status >= 300 && x.status < 400).length,
    sessions: workAgain.length, sessionsBack: worked.length, firstBackMs: worked.length ? Math.round(Math.min(...worked)) : null, allBackMs,
    signupsVerified: db.verified, lost: db.lost.length, overCapacity: db.overCapacity, duplicates: db.duplicates,
  }
  log(JSON.stringify(figures))
  if (unhandled.length) log(`server log:\n${unhandled.slice(0, 5).join('\n').slice(0, 3000)}`)
  const fmt = (c: Record<string, number>) => Object.entries(c).map(([k, n]) => `${k}: ${n}`).join(', ')
  reportFigures('Redis down 30 s under load', {
    requests: `pages ${fmt(statuses.pages)}; signups ${fmt(statuses.signups)}; during the outage pages ${fmt(figures.outage.pages)}, signups ${fmt(figures.outage.signups)}, /healthz ${fmt(figures.outage.healthz)}, /readyz ${fmt(figures.outage.readyz)}`,
    recovery: allBackMs === null ? `${worked.length} of ${workAgain.length} sessions back` : `all ${workAgain.length} sessions work again ${(allBackMs / 1000).toFixed(2)} s after Redis was back (first ${(figures.firstBackMs! / 1000).toFixed(2)} s)`,
    cookies: `${cleared} answers cleared a session cookie; ${loggedOut} answers treated a student as signed out`,
    signups: `${db.verified} answered 2xx and are in the database; ${db.lost.length} lost`,
  })

  // Before the outage everything works, so what follows is the outage's doing.
  expect(Object.keys(figures.baselinePages)).toEqual(['200'])
  expect(cleared).toBe(0)
  expect(loggedOut).toBe(0)
  expect(unexpectedStatuses(statuses.pages)).toEqual({})
  expect(unexpectedStatuses(statuses.signups)).toEqual({})
  expect(unexpectedStatuses(statuses.health)).toEqual({})
  expect(unhandled).toEqual([])
  expect(outagePages.length).toBeGreaterThan(0)
  expect(figures.outage.pages).toEqual({ 503: outagePages.length })
  expect(figures.outage.signups).toEqual(outageSignups.length ? { 503: outageSignups.length } : {})
  expect(figures.outageWithoutRetryAfter).toBe(0)
  expect(readyzDown.length).toBeGreaterThan(0)
  expect(figures.outage.healthz).toEqual({ 200: healthzDown.length })
  expect(figures.outage.readyz).toEqual({ 503: readyzDown.length })
  expect(allBackMs).not.toBeNull()
  expect(allBackMs!).toBeLessThanOrEqual(RECOVERY_LIMIT_MS)
  expect(db.lost).toEqual([])
  expect(db.overCapacity).toBe(0)
  expect(db.duplicates).toBe(0)
}, 120_000)
