// The pages bench (issue 10), on demand: `bun test/load/pages.ts`. Never part of the test suite.
//
//  1. A scratch database ion_pages_<pid>, migrated and loaded with the demo seed; Redis logical
//     db 6 (PAGES_REDIS_DB; flushed before and after) for two sessions written straight in with
//     createSession: one student, one teacher.
//  2. A real `ion serve` subprocess and a bare Bun.serve "hello" subprocess, each on a free
//     loopback port.
//  3. Closed loop: `wrk -t1 -c50 -d5s --latency` after a 1 s warm-up, for the hello server, the
//     signup page of the first upcoming block, the dashboard, the directory search (teacher) and
//     GET /api/blocks/<id> (student): req/s, p99, non-2xx answers.
//  4. Open loop: each page at a fixed 200 req/s for 5 s (requests fired on a timer whatever the
//     answers, 1,000 at most, each with a timeout): p50/p99/max and statuses.
// Prints a table and one JSON line (the last line of stdout).
import { connectDb, type Sql } from '../../src/platform/db.ts'
import { migrate } from '../../src/platform/migrate.ts'
import { Redis } from '../../src/platform/redis.ts'
import { createSession, SESSION_COOKIE } from '../../src/platform/session.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { silentLogger } from '../../src/platform/log.ts'
import { loadConfig } from '../../src/config.ts'
import { runSeeds } from '../../src/features/seeds.ts'
import { isUpcoming } from '../../src/features/eighth/effective.ts'
import {
  Cleanup, createDatabase, dropDatabase, dropStaleScratch, freePort, percentile, redisDbUrl, serviceEnv, sleep, startIon, withTimeout,
  type IonServer,
} from './harness.ts'

const REDIS_DB = Number(process.env.PAGES_REDIS_DB ?? 6)
const OVERALL_LIMIT_MS = 4 * 60_000
const WRK_ARGS = ['-t1', '-c50', '-d5s', '--latency']
const RATE = 200
const OPEN_SECONDS = 5
const REQUEST_TIMEOUT_MS = 5_000
const TZ = process.env.SCHOOL_TZ ?? 'America/New_York'

const log = (s: string) => process.stderr.write(`pages: ${s}\n`)

async function seedDemo(sql: Sql, env: Record<string, string>): Promise<void> {
  const config = loadConfig({ ...process.env, ...env })
  const clock = systemClock(config.schoolTz)
  await runSeeds({ sql, config, clock, log: silentLogger })
}

// -------------------------------------------------------------------- wrk ---

type WrkResult = { reqPerSec: number; p99Ms: number; p50Ms: number; requests: number; non2xx: number; socketErrors: string | null }

const toMs = (v: string, unit: string) => Number(v) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 1)

export function parseWrk(out: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)
  const p99 = /^\s*99(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\b/m.exec(out)
  const p50 = /^\s*50(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\b/m.exec(out)
  const reqs = /(\d+) requests in/.exec(out)
  if (!rps || !p99 || !p50 || !reqs) throw new Error(`wrk printed no figures:\n${out.slice(-800)}`)
  const non = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out)
  const sock = /Socket errors:[^\n]*/.exec(out)
  return { reqPerSec: Number(rps[1]), p99Ms: toMs(p99[1]!, p99[2]!), p50Ms: toMs(p50[1]!, p50[2]!), requests: Number(reqs[1]), non2xx: non ? Number(non[1]) : 0, socketErrors: sock ? sock[0] : null }
}

/** The wrk running now, killed by the cleanup when the bench is interrupted. */
let currentWrk: ReturnType<typeof Bun.spawn> | null = null

async function wrk(url: string, cookie: string | null, args: string[]): Promise<string> {
  const cmd = ['wrk', ...args, ...(cookie ? ['-H', `Cookie: ${SESSION_COOKIE}=${cookie}`] : []), url]
  const p = Bun.spawn(cmd, { stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' })
  currentWrk = p
  const timer = setTimeout(() => p.kill('SIGKILL'), 30_000)
  try {
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    if (code !== 0) throw new Error(`wrk exited with ${code}: ${err.slice(-500)}`)
    return out
  } finally {
    clearTimeout(timer)
    currentWrk = null
  }
}

async function closedLoop(url: string, cookie: string | null): Promise<WrkResult> {
  await wrk(url, cookie, ['-t1', '-c50', '-d1s'])
  return parseWrk(await wrk(url, cookie, WRK_ARGS))
}

// -------------------------------------------------------------- open loop ---

type OpenResult = { sent: number; p50Ms: number; p99Ms: number; maxMs: number; statuses: Record<string, number>; achievedRate: number }

/** RATE requests/s for OPEN_SECONDS, each fired on schedule whether or not earlier ones answered. */
async function openLoop(url: string, cookie: string): Promise<OpenResult> {
  const total = RATE * OPEN_SECONDS
  const interval = 1000 / RATE
  const lat: number[] = []
  const statuses: Record<string, number> = {}
  const inflight: Promise<void>[] = []
  const headers = { cookie: `${SESSION_COOKIE}=${cookie}` }
  const fire = async () => {
    const t = performance.now()
    let status: string
    try {
      const r = await fetch(url, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
      await r.arrayBuffer()
      status = String(r.status)
    } catch (e) {
      status = (e as Error).name === 'TimeoutError' ? 'timeout' : 'error'
    }
    lat.push(performance.now() - t)
    statuses[status] = (statuses[status] ?? 0) + 1
  }
  const t0 = performance.now()
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval
    const wait = due - performance.now()
    if (wait > 1) await sleep(wait)
    inflight.push(fire())
  }
  const firedIn = (performance.now() - t0) / 1000
  await Promise.all(inflight)
  return { sent: total, p50Ms: percentile(lat, 0.5), p99Ms: percentile(lat, 0.99), maxMs: Math.max(...lat), statuses, achievedRate: total / firedIn }
}

// ------------------------------------------------------------------ hello ---

async function startHello(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = freePort()
  const code = `Bun.serve({ hostname: '127.0.0.1', port: ${port}, fetch: () => new Response('hello') })`
  const p = Bun.spawn([process.execPath, '-e', code], { stdout: 'ignore', stderr: 'inherit', stdin: 'ignore' })
  const url = `http://127.0.0.1:${port}/`
  const stop = async () => {
    p.kill('SIGTERM')
    if ((await Promise.race([p.exited, sleep(3000).then(() => null)])) === null) p.kill('SIGKILL')
  }
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(500) })
      await r.arrayBuffer()
      if (r.ok) return { url, stop }
    } catch {}
    await sleep(50)
  }
  await stop()
  throw new Error('the hello server did not answer')
}

// ------------------------------------------------------------------- main ---

async function main(): Promise<number> {
  const { databaseUrl, redisUrl } = serviceEnv()
  const cleanup = new Cleanup()
  cleanup.guard(OVERALL_LIMIT_MS, 'pages')
  const stale = await dropStaleScratch(databaseUrl, ['ion_pages_'])
  if (stale.length) log(`dropped scratch databases left by killed runs: ${stale.join(', ')}`)
  const dbName = `ion_pages_${process.pid}`
  const env = { DATABASE_URL: '', REDIS_URL: redisDbUrl(redisUrl, REDIS_DB) }
  let server: IonServer | null = null
  try {
    const t = performance.now()
    env.DATABASE_URL = await createDatabase(databaseUrl, dbName)
    cleanup.add(`drop ${dbName}`, () => dropDatabase(databaseUrl, dbName))
    const sql = connectDb(env.DATABASE_URL, { max: 2, tz: TZ, appName: 'pages-bench' })
    cleanup.add('close the bench pool', () => sql.end({ timeout: 2 }))
    await migrate(sql)
    await seedDemo(sql, env)
    const blocks = await sql<{ id: number; date: string }[]>`SELECT id, date FROM eighth_blocks ORDER BY date, block_letter`
    const block = blocks.find((b) => isUpcoming(b.date, new Date(), TZ))
    if (!block) throw new Error('the demo seed made no upcoming block')
    const [countRow] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_scheduled_activities WHERE block_id = ${block.id}`
    const activities = countRow?.n ?? 0
    const [student] = await sql<{ id: number }[]>`SELECT id FROM users WHERE user_type = 'student' ORDER BY id LIMIT 1`
    const [teacher] = await sql<{ id: number }[]>`SELECT id FROM users WHERE user_type = 'teacher' ORDER BY id LIMIT 1`
    if (!student || !teacher) throw new Error('the demo seed made no student or no teacher')

    const redis = new Redis(env.REDIS_URL, { timeoutMs: 5000 })
    await redis.send('FLUSHDB', [])
    cleanup.add(`flush redis db ${REDIS_DB}`, async () => {
      await redis.send('FLUSHDB', [])
      redis.close()
    })
    const opts = { trusted: false, ua: 'pages-bench', ip: '127.0.0.1' }
    const studentToken = (await createSession(redis, student.id, Date.now(), opts)).token
    const teacherToken = (await createSession(redis, teacher.id, Date.now(), opts)).token
    log(`block ${block.id} (${block.date}, ${activities} activities), student ${student.id}, teacher ${teacher.id}; setup ${Math.round(performance.now() - t)} ms`)

    server = await startIon(env)
    cleanup.add('stop ion serve', () => server?.stop())
    cleanup.add('stop wrk', () => currentWrk?.kill('SIGKILL'))
    const hello = await startHello()
    cleanup.add('stop hello', () => hello.stop())

    const pages = [
      { name: 'signup page', path: `/eighth/signup/${block.id}`, who: 'student', token: studentToken },
      { name: 'dashboard', path: '/', who: 'student', token: studentToken },
      { name: 'search', path: '/search?q=smith', who: 'teacher', token: teacherToken },
      { name: 'block API', path: `/api/blocks/${block.id}`, who: 'student', token: studentToken },
    ]
    // Every page must answer 200 to its cookie, else the figures measure an error page.
    for (const p of pages) {
      const r = await fetch(server.url + p.path, { headers: { cookie: `${SESSION_COOKIE}=${p.token}` }, redirect: 'manual', signal: AbortSignal.timeout(5000) })
      const body = await r.arrayBuffer()
      if (r.status !== 200) throw new Error(`${p.path} answered ${r.status} to the ${p.who}`)
      ;(p as typeof p & { bytes: number }).bytes = body.byteLength
    }

    const helloWrk = await withTimeout(closedLoop(hello.url, null), 30_000, 'wrk hello')
    log(`hello: ${helloWrk.reqPerSec.toFixed(0)} req/s`)
    const rows: { name: string; path: string; who: string; bytes: number; wrk: WrkResult; open: OpenResult }[] = []
    for (const p of pages) {
      const w = await withTimeout(closedLoop(server.url + p.path, p.token), 30_000, `wrk ${p.path}`)
      log(`${p.name}: ${w.reqPerSec.toFixed(0)} req/s, p99 ${w.p99Ms.toFixed(1)} ms`)
      await sleep(500)
      const o = await withTimeout(openLoop(server.url + p.path, p.token), 30_000, `open loop ${p.path}`)
      log(`${p.name} at ${RATE} req/s: p99 ${o.p99Ms.toFixed(1)} ms`)
      rows.push({ name: p.name, path: p.path, who: p.who, bytes: (p as typeof p & { bytes: number }).bytes, wrk: w, open: o })
    }
    const serverErrors = server.output().filter((l) => /"level":"error"|unhandled/.test(l))

    const pad = (s: string, n: number) => s.padEnd(n)
    const r1 = (x: number) => Math.round(x * 10) / 10
    const target = (name: string) => name === 'signup page' ? '≥2500 req/s, p99≤40' : name === 'dashboard' ? '≥2500 req/s' : '–'
    const ok = (r: (typeof rows)[number]) => {
      const open = r.open.p99Ms <= 100
      if (r.name === 'signup page') return open && r.wrk.reqPerSec >= 2500 && r.wrk.p99Ms <= 40
      if (r.name === 'dashboard') return open && r.wrk.reqPerSec >= 2500
      return open
    }
    const lines = [
      '',
      `Pages — wrk ${WRK_ARGS.join(' ')} (1 s warm-up), then ${RATE} req/s open loop for ${OPEN_SECONDS} s; block ${block.id} with ${activities} activities`,
      `  ${pad('page', 13)}${pad('path', 26)}${pad('bytes', 8)}${pad('req/s', 8)}${pad('p99 ms', 8)}${pad('÷hello', 8)}${pad('non2xx', 8)}${pad('@200 p99', 10)}${pad('@200 max', 10)}${pad('target (+ p99≤100 @200)', 26)}ok`,
      `  ${pad('hello', 13)}${pad('Bun.serve', 26)}${pad('5', 8)}${pad(helloWrk.reqPerSec.toFixed(0), 8)}${pad(helloWrk.p99Ms.toFixed(1), 8)}${pad('1', 8)}${pad(String(helloWrk.non2xx), 8)}${pad('–', 10)}${pad('–', 10)}${pad('limit', 26)}`,
      ...rows.map((r) => `  ${pad(r.name, 13)}${pad(r.path, 26)}${pad(String(r.bytes), 8)}${pad(r.wrk.reqPerSec.toFixed(0), 8)}${pad(r.wrk.p99Ms.toFixed(1), 8)}${pad((r.wrk.reqPerSec / helloWrk.reqPerSec).toFixed(3), 8)}${pad(String(r.wrk.non2xx), 8)}${pad(r.open.p99Ms.toFixed(1), 10)}${pad(r.open.maxMs.toFixed(1), 10)}${pad(target(r.name), 26)}${ok(r) ? 'ok' : 'MISS'}`),
      `  open-loop answers: ${rows.map((r) => `${r.name} ${Object.entries(r.open.statuses).map(([k, n]) => `${k}×${n}`).join(' ')} (${r.open.achievedRate.toFixed(0)}/s fired)`).join('; ')}`,
      ...(serverErrors.length ? [`  ${serverErrors.length} error lines in the server log, last: ${serverErrors.at(-1)!.slice(0, 300)}`] : []),
    ]
    console.log(lines.join('\n'))
    const clean = rows.every((r) => r.wrk.non2xx === 0 && Object.keys(r.open.statuses).every((k) => k === '200'))
    console.log(JSON.stringify({
      bench: 'pages', pass: clean, blockId: block.id, activities, wrk: WRK_ARGS.join(' '), openRate: RATE, openSeconds: OPEN_SECONDS,
      hello: { reqPerSec: Math.round(helloWrk.reqPerSec), p99Ms: r1(helloWrk.p99Ms) },
      pages: rows.map((r) => ({
        name: r.name, path: r.path, who: r.who, bytes: r.bytes, reqPerSec: Math.round(r.wrk.reqPerSec), p99Ms: r1(r.wrk.p99Ms), p50Ms: r1(r.wrk.p50Ms),
        ratioToHello: Math.round((r.wrk.reqPerSec / helloWrk.reqPerSec) * 1000) / 1000, non2xx: r.wrk.non2xx, socketErrors: r.wrk.socketErrors,
        at200: { p50Ms: r1(r.open.p50Ms), p99Ms: r1(r.open.p99Ms), maxMs: r1(r.open.maxMs), statuses: r.open.statuses }, targetsMet: ok(r),
      })),
      serverErrors: serverErrors.length,
    }))
    return clean ? 0 : 1
  } catch (e) {
    process.stderr.write(`pages: failed: ${(e as Error).stack ?? e}\n`)
    if (server) process.stderr.write(`pages: last server output:\n${server.output().slice(-15).join('\n')}\n`)
    return 2
  } finally {
    await cleanup.run()
  }
}

process.exit(await main())
