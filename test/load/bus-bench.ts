// The bus board under load (issue 9 item 10), on demand: `bun test/load/bus-bench.ts [--clients N]
// [--rounds R]`. Never part of the test suite; loopback only; bounded in time.
//
//  1. A scratch database ion_busbench_<pid> (migrated, the 60 demo routes, one student riding one
//     and one bus admin), Redis logical db 7 (flushed before and after) for the sessions and a key
//     and channel prefix of the run's own (pub/sub is server-wide), and the server as a subprocess on a free loopback port: Ion's app built as `ion
//     serve` builds it, with its relay timed (test/load/bus-bench-server.ts).
//  2. Connect storm: N WebSockets (default 5,000) open at once (at most 1,000 upgrades in flight),
//     each authenticated by its session cookie; the storm ends when every socket has its snapshot.
//  3. Memory per idle connection: the server's VmRSS (from /proc/<pid>/status) before the storm and
//     once the sockets sit idle, divided by N.
//  4. Updates: R times, the admin's socket sends one route update (Ion's protocol); the time from
//     sending it to each socket's receipt (write + Redis + relay + fan-out), p50/p99/max.
//  5. Server publish time: R times, one board published straight into the Redis channel (as another
//     instance would): the server's own server.publish() to N sockets (timed in the server), and
//     the time until every client has it.
//  6. Who pays: CPU (user + system, /proc/<pid>/stat) of the bench client, the server, the
//     PostgreSQL backends of the server's pool and redis-server over the storm and the updates; the
//     SQL statements and Redis commands the server issued during the storm; and the legs of an
//     update (admin send → the server's publish → first socket → last socket).
// BUS_BENCH_SERVER_FLAGS passes bun flags to the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
// Prints a readable summary and one JSON line (the last line of stdout).
import { cpus, loadavg } from 'node:os'
import { connectDb } from '../../src/platform/db.ts'
import { migrate } from '../../src/platform/migrate.ts'
import { Redis } from '../../src/platform/redis.ts'
import { createSession, SESSION_COOKIE } from '../../src/platform/session.ts'
import { upsertRoutes } from '../../src/features/bus/bus.sql.ts'
import { demoRoutes } from '../../src/features/bus/seed.ts'
import { cpuMeter, fdLimit, rssKiB, serviceMeter } from './proc-meters.ts'
import { Cleanup, createDatabase, dropDatabase, dropStaleScratch, freePort, percentile, redisDbUrl, ROOT, serviceEnv, sleep, withTimeout } from './harness.ts'

const argv = process.argv.slice(2)
const opt = (name: string, def: number) => {
  const i = argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(argv[i + 1]) : def
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} wants a positive whole number`)
  return v
}
const N = opt('clients', 5000)
const ROUNDS = opt('rounds', 5)
const IN_FLIGHT = 1000
const REDIS_DB = 7
const OVERALL_LIMIT_MS = 4 * 60_000
const log = (s: string) => process.stderr.write(`bus-bench: ${s}\n`)
const ms = (x: number) => `${x.toFixed(1)} ms`

type BenchServer = { url: string; pid: number; publishes: number[]; publishedAt: number[]; stats: { statements: number; redis: number }; output: string[]; stop(): Promise<void> }

/** test/load/bus-bench-server.ts as a subprocess; resolves once it listens. */
async function startServer(env: Record<string, string>): Promise<BenchServer> {
  const port = freePort()
  const url = `http://127.0.0.1:${port}`
  // BUS_BENCH_SERVER_FLAGS: extra bun flags for the server, e.g. "--cpu-prof-md --cpu-prof-dir=/tmp/prof".
  const flags = (process.env.BUS_BENCH_SERVER_FLAGS ?? '').split(/\s+/).filter(Boolean)
  const proc = Bun.spawn([process.execPath, ...flags, 'test/load/bus-bench-server.ts'], {
    cwd: ROOT, stdout: 'pipe', stderr: 'pipe',
    env: { ...process.env, ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), BASE_URL: url, ION_LOG_REQUESTS: 'off' },
  })
  const server: BenchServer = {
    url, pid: proc.pid, publishes: [], publishedAt: [], stats: { statements: 0, redis: 0 }, output: [],
    async stop() {
      proc.kill('SIGTERM')
      if ((await Promise.race([proc.exited, sleep(5000).then(() => null)])) === null) proc.kill('SIGKILL')
    },
  }
  let ready: () => void = () => {}
  const isReady = new Promise<void>((r) => { ready = r })
  void (async () => {
    const dec = new TextDecoder()
    let buf = ''
    for await (const chunk of proc.stdout as unknown as AsyncIterable<Uint8Array>) {
      buf += dec.decode(chunk, { stream: true })
      const lines = buf.split('\n')
      buf = lines.pop() ?? ''
      for (const l of lines) {
        if (l.startsWith('PUBLISH ')) {
          server.publishes.push(Number(l.split(' ')[2]))
          server.publishedAt.push(performance.now()) // when its line reached us (a pipe's latency after the publish)
        }
        else if (l.startsWith('READY ')) ready()
        else if (l.startsWith('STATS ')) server.stats = { statements: Number(l.split(' ')[1]), redis: Number(l.split(' ')[2]) }
        else server.output.push(l)
      }
    }
  })()
  void (async () => { for await (const c of proc.stderr as unknown as AsyncIterable<Uint8Array>) server.output.push(new TextDecoder().decode(c)) })()
  await withTimeout(Promise.race([isReady, proc.exited.then((c) => { throw new Error(`server exited with ${c}: ${server.output.join('\n').slice(-2000)}`) })]), 30_000, 'server start')
  return server
}

type Sock = { ws: WebSocket; got: number; at: number[] }

/** The storm; per socket, the upgrade's time (connect → open) and the snapshot's wait after it (open → first message). */
async function storm(url: string, cookie: string, origin: string): Promise<{ socks: Sock[]; ms: number; upgrade: number[]; snapshot: number[] }> {
  const socks: Sock[] = []
  const upgrade: number[] = []
  const snapshot: number[] = []
  const t0 = performance.now()
  let next = 0
  const one = () => new Promise<void>((resolve, reject) => {
    const start = performance.now()
    let opened = 0
    const s: Sock = { ws: new WebSocket(url, { headers: { cookie, origin } } as never), got: 0, at: [] }
    socks.push(s)
    s.ws.onopen = () => { opened = performance.now(); upgrade.push(opened - start) }
    s.ws.onmessage = () => {
      if (s.got === 0) snapshot.push(performance.now() - (opened || start))
      s.got++
      s.at.push(performance.now())
      if (s.got === 1) resolve() // the snapshot
    }
    s.ws.onerror = () => reject(new Error(`socket ${socks.length} failed`))
    s.ws.onclose = () => reject(new Error(`socket ${socks.length} closed`))
  })
  const lane = async () => { while (next < N) { next++; await one() } }
  await withTimeout(Promise.all(Array.from({ length: Math.min(IN_FLIGHT, N) }, lane)), 90_000, 'connect storm')
  return { socks, ms: performance.now() - t0, upgrade, snapshot }
}

/** Waits until every socket has `count` messages; the delivery times of the last one. */
async function deliveries(socks: Sock[], count: number, since: number, limitMs: number): Promise<number[]> {
  const end = performance.now() + limitMs
  while (socks.some((s) => s.got < count)) {
    if (performance.now() > end) throw new Error(`${socks.filter((s) => s.got < count).length} sockets missed a message within ${limitMs} ms`)
    await sleep(2)
  }
  return socks.map((s) => s.at[count - 1]! - since)
}

async function main(): Promise<number> {
  const limit = fdLimit()
  if (limit < N + 500) {
    log(`the open-files limit is ${limit}; ${N} clients need about ${N + 500} here (and as many in the server). Run: ulimit -n ${Math.max(20000, N * 2)}`)
    return 2
  }
  const { databaseUrl, redisUrl } = serviceEnv()
  const cleanup = new Cleanup()
  cleanup.guard(OVERALL_LIMIT_MS, 'bus-bench')
  const stale = await dropStaleScratch(databaseUrl, ['ion_busbench_'])
  if (stale.length) log(`dropped scratch databases left by killed runs: ${stale.join(', ')}`)
  const dbName = `ion_busbench_${process.pid}`
  // Pub/sub channels are server-wide, not per logical database: a prefix of this run's own, so another
  // Ion on the same Redis (a colleague's bench, an e2e server) can't publish into these sockets.
  const env = { DATABASE_URL: '', REDIS_URL: redisDbUrl(redisUrl, REDIS_DB), REDIS_PREFIX: `busbench${process.pid}:`, DB_POOL_MAX: '20' }
  let server: BenchServer | null = null
  try {
    env.DATABASE_URL = await createDatabase(databaseUrl, dbName)
    cleanup.add(`drop ${dbName}`, () => dropDatabase(databaseUrl, dbName))
    const sql = connectDb(env.DATABASE_URL, { max: 2, tz: 'America/New_York', appName: 'bus-bench' })
    cleanup.add('close the bench pool', () => sql.end({ timeout: 2 }))
    await migrate(sql)
    await upsertRoutes(sql, demoRoutes(), new Date())
    const [jt1] = await sql<{ id: number }[]>`SELECT id FROM bus_routes WHERE route_name = 'JT-1'`
    const users = await sql<{ id: number }[]>`
      INSERT INTO users (username, user_type, first_name, last_name, graduation_year, bus_route_id) VALUES
        ('rider', 'student', 'Ria', 'Rider', 2027, ${jt1!.id}), ('lotboss', 'teacher', 'Lot', 'Boss', NULL, NULL) RETURNING id`
    await sql`INSERT INTO user_groups (user_id, group_id) SELECT ${users[1]!.id}, id FROM groups WHERE name = 'admin_bus'`

    const redis = new Redis(env.REDIS_URL, { prefix: env.REDIS_PREFIX, timeoutMs: 5000 })
    await redis.send('FLUSHDB', [])
    cleanup.add(`flush redis db ${REDIS_DB}`, async () => { await redis.send('FLUSHDB', []); redis.close() })
    const session = async (id: number) => `${SESSION_COOKIE}=${(await createSession(redis, id, Date.now(), { trusted: true, ua: 'bus-bench', ip: '127.0.0.1' })).token}`
    const [rider, admin] = [await session(users[0]!.id), await session(users[1]!.id)]

    server = await startServer(env)
    cleanup.add('stop the server', () => server?.stop())
    const wsUrl = server.url.replace('http', 'ws') + '/bus/ws'
    log(`server pid ${server.pid} at ${server.url}; ${N} clients, ${ROUNDS} rounds; open-files limit ${limit}`)

    // Warm the paths a socket takes, then the baseline.
    for (let i = 0; i < 20; i++) {
      const w = new WebSocket(wsUrl, { headers: { cookie: rider, origin: server.url } } as never)
      await new Promise<void>((resolve) => { w.onmessage = () => { w.close(); resolve() } })
    }
    await sleep(1500)
    /** VmRSS after a full collection in the server (what is retained, not garbage awaiting the collector). */
    const retainedKiB = async () => { process.kill(server!.pid, 'SIGUSR2'); await sleep(800); return rssKiB(server!.pid) }
    const rss0 = await retainedKiB()
    const stats0 = { ...server.stats }

    const backends = async () => (await sql<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = ${dbName} AND application_name <> 'bus-bench'`).map((r) => r.pid)
    const redisPid = Number(/process_id:(\d+)/.exec(String(await redis.send('INFO', ['server'])))?.[1] ?? 0)
    const services = await serviceMeter(backends, redisPid)
    const stormCpu = cpuMeter(server.pid)
    const st = await storm(wsUrl, rider, server.url)
    const stormCpuMs = stormCpu()
    const stormServices = await services()
    log(`connect storm: ${N} sockets with their snapshots in ${ms(st.ms)}`)
    await sleep(3000) // idle
    const rss1NoGc = rssKiB(server.pid)
    const rss1 = await retainedKiB()
    const perConn = ((rss1 - rss0) * 1024) / N
    const stormStatements = server.stats.statements - stats0.statements
    const stormRedis = server.stats.redis - stats0.redis

    // Updates through an admin's socket, as Ion's page sends them.
    const adminWs = new WebSocket(wsUrl, { headers: { cookie: admin, origin: server.url } } as never)
    await new Promise<void>((resolve, reject) => { adminWs.onmessage = () => resolve(); adminWs.onerror = () => reject(new Error('admin socket')) })
    const update: number[] = []
    /** The legs of each update: admin send → the server's publish (write, session check, Redis, relay) → first and last socket. */
    const legs: { toPublish: number; first: number; last: number }[] = []
    const updateCpu = cpuMeter(server.pid)
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now()
      adminWs.send(JSON.stringify({ id: jt1!.id, status: r % 2 ? 'o' : 'a', space: r % 2 ? '' : '_1', time: 'afternoon' }))
      const seen = server.publishedAt.length
      const d = await deliveries(st.socks, 2 + r, t, 20_000)
      update.push(...d)
      if (server.publishedAt.length > seen) legs.push({ toPublish: server.publishedAt[seen]! - t, first: Math.min(...d), last: Math.max(...d) })
      await sleep(300)
    }

    const updateCpuMs = updateCpu()
    // The relay alone: a board published into Redis as another instance would.
    const board = await (async () => {
      const routes = await sql`SELECT id, route_name, bus_number, space, status FROM bus_routes ORDER BY id`
      return JSON.stringify({ allRoutes: routes, announcement: '' })
    })()
    const envelope = JSON.stringify({ t: 'bus', d: board })
    const relay: number[] = []
    const allIn: number[] = []
    const before = server.publishes.length
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now()
      await redis.send('PUBLISH', [redis.key('live'), envelope]) // the channel of createPubSub
      const d = await deliveries(st.socks, 2 + ROUNDS + r, t, 20_000)
      relay.push(...d)
      allIn.push(Math.max(...d))
      await sleep(300)
    }
    const publish = server.publishes.slice(before)
    const updatePublish = server.publishes.slice(0, before)
    const rss2 = rssKiB(server.pid)
    for (const s of st.socks) { s.ws.onclose = null; s.ws.close() }
    adminWs.close()

    const result = {
      clients: N,
      connect_storm_ms: Math.round(st.ms),
      connects_per_s: Math.round(N / (st.ms / 1000)),
      rss_before_kib: rss0, rss_idle_before_gc_kib: rss1NoGc, rss_idle_kib: rss1, rss_after_updates_kib: rss2,
      bytes_per_idle_connection: Math.round(perConn),
      update_p50_ms: +percentile(update, 0.5).toFixed(1), update_p99_ms: +percentile(update, 0.99).toFixed(1), update_max_ms: +Math.max(...update).toFixed(1),
      relay_p50_ms: +percentile(relay, 0.5).toFixed(1), relay_p99_ms: +percentile(relay, 0.99).toFixed(1),
      relay_all_in_ms_median: +percentile(allIn, 0.5).toFixed(1),
      server_publish_ms_median: +percentile([...publish, ...updatePublish], 0.5).toFixed(2),
      server_publish_ms_max: +Math.max(...publish, ...updatePublish).toFixed(2),
      message_bytes: board.length,
      update_to_server_publish_ms_median: +percentile(legs.map((l) => l.toPublish), 0.5).toFixed(1),
      update_first_socket_ms_median: +percentile(legs.map((l) => l.first), 0.5).toFixed(1),
      update_last_socket_ms_median: +percentile(legs.map((l) => l.last), 0.5).toFixed(1),
      storm_upgrade_ms_p50: +percentile(st.upgrade, 0.5).toFixed(1), storm_upgrade_ms_p99: +percentile(st.upgrade, 0.99).toFixed(1),
      storm_snapshot_wait_ms_p50: +percentile(st.snapshot, 0.5).toFixed(1), storm_snapshot_wait_ms_p99: +percentile(st.snapshot, 0.99).toFixed(1),
      storm_statements: stormStatements, storm_redis_commands: stormRedis,
      storm_cpu_client_ms: stormCpuMs.client, storm_cpu_server_ms: stormCpuMs.server,
      storm_cpu_postgres_ms: stormServices.postgres, storm_cpu_redis_ms: stormServices.redis,
      updates_cpu_client_ms: updateCpuMs.client, updates_cpu_server_ms: updateCpuMs.server,
      rounds: ROUNDS,
      cores: cpus().length,
      load_average_1m: +loadavg()[0]!.toFixed(2),
    }
    const machine = `${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (clients, server, PostgreSQL and Redis share them)`
    process.stdout.write([
      `bus board, ${N} subscribers on one server process (loopback), ${ROUNDS} rounds each; ${machine}:`,
      `  connect storm        ${ms(st.ms)} for ${N} sockets with their snapshots (${result.connects_per_s}/s); CPU: client ${stormCpuMs.client} ms, server ${stormCpuMs.server} ms, PostgreSQL ${stormServices.postgres} ms, Redis ${stormServices.redis} ms; ${stormStatements} SQL statements, ${stormRedis} Redis commands`,
      `    per socket         upgrade p50 ${ms(result.storm_upgrade_ms_p50)} p99 ${ms(result.storm_upgrade_ms_p99)}; snapshot after open p50 ${ms(result.storm_snapshot_wait_ms_p50)} p99 ${ms(result.storm_snapshot_wait_ms_p99)}`,
      `  memory per idle conn ${(perConn / 1024).toFixed(1)} KiB  (VmRSS after a full GC ${rss0} → ${rss1} kB; ${rss1NoGc} kB before that GC)`,
      `  admin update → each  p50 ${ms(result.update_p50_ms)}  p99 ${ms(result.update_p99_ms)}  max ${ms(result.update_max_ms)}  (write, Redis, relay, fan-out); CPU over the ${ROUNDS} rounds: client ${updateCpuMs.client} ms, server ${updateCpuMs.server} ms`,
      `    legs (median)      send → server publish ${ms(result.update_to_server_publish_ms_median)} (session check, write, Redis, relay); → first socket ${ms(result.update_first_socket_ms_median)}; → last ${ms(result.update_last_socket_ms_median)}`,
      `  Redis → each socket  p50 ${ms(result.relay_p50_ms)}  p99 ${ms(result.relay_p99_ms)}  all in ${ms(result.relay_all_in_ms_median)} (median)`,
      `  server publish       ${result.server_publish_ms_median} ms median, ${result.server_publish_ms_max} ms max: server.publish() of one ${board.length}-byte board to ${N} sockets (${publish.length + updatePublish.length} timed)`,
      JSON.stringify(result),
    ].join('\n') + '\n')
    return 0
  } catch (e) {
    log(`failed: ${(e as Error).stack ?? e}`)
    if (server) log(`server output:\n${server.output.slice(-20).join("\n")}`)
    return 1
  } finally {
    await cleanup.run()
  }
}

process.exit(await main())
