// Shared plumbing for the on-demand benchmarks (test/load/): the local services' URLs, scratch
// databases, a real `ion serve` subprocess on a free loopback port, pgbench, and a cleanup list
// that runs on success, on failure, on Ctrl-C and when the overall time limit fires.
// Never imported by the test suite.
import { readFileSync } from 'node:fs'
import postgres from 'postgres'

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '')

/** DATABASE_URL / REDIS_URL from the environment, else from scripts/services.sh. */
export function serviceEnv(): { databaseUrl: string; redisUrl: string } {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    const out = Bun.spawnSync(['bash', `${ROOT}/scripts/services.sh`, 'env']).stdout.toString()
    for (const line of out.split('\n')) {
      const [k, ...v] = line.split('=')
      if (k && v.length) process.env[k] ??= v.join('=')
    }
  }
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('DATABASE_URL and REDIS_URL are needed (scripts/services.sh start)')
  return { databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL }
}

export const dbUrl = (base: string, name: string) => {
  const u = new URL(base)
  u.pathname = '/' + name
  return u.toString()
}

/** A Redis URL selecting a logical database (Bun's RedisClient honours redis://host:port/<db>). */
export const redisDbUrl = (base: string, db: number) => {
  const u = new URL(base)
  u.pathname = '/' + db
  return u.toString()
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: no answer within ${ms} ms`)), ms) })])
  } finally {
    clearTimeout(t)
  }
}

/** Undo steps, run last-in first-out, each bounded; safe to run twice. */
export class Cleanup {
  private steps: { name: string; fn: () => Promise<unknown> | unknown }[] = []
  private running: Promise<void> | null = null

  add(name: string, fn: () => Promise<unknown> | unknown): void {
    this.steps.push({ name, fn })
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const s of this.steps.reverse()) {
        try {
          await withTimeout(Promise.resolve().then(s.fn), 15_000, `cleanup ${s.name}`)
        } catch (e) {
          process.stderr.write(`cleanup: ${s.name} failed: ${(e as Error).message}\n`)
        }
      }
      this.steps = []
    })()
    return this.running
  }

  /**
   * Ctrl-C, SIGTERM and an overall deadline all clean up before exiting. (A SIGKILL cannot be
   * caught: `dropStaleScratch` removes what such a run left behind the next time.)
   */
  guard(limitMs: number, label: string): void {
    const bail = (why: string, code: number) => {
      process.stderr.write(`${label}: ${why}; cleaning up\n`)
      void this.run().finally(() => process.exit(code))
    }
    process.on('SIGINT', () => bail('interrupted', 130))
    process.on('SIGTERM', () => bail('terminated', 143))
    setTimeout(() => bail(`over the overall limit of ${Math.round(limitMs / 1000)} s`, 3), limitMs).unref()
  }
}

/** An admin connection to the server's `postgres` database, for CREATE/DROP DATABASE. */
async function admin<T>(base: string, fn: (a: postgres.Sql) => Promise<T>): Promise<T> {
  const a = postgres(dbUrl(base, 'postgres'), { max: 1, onnotice: () => {}, connect_timeout: 5 })
  try {
    return await fn(a)
  } finally {
    await a.end({ timeout: 2 })
  }
}

export async function createDatabase(base: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`)
  await admin(base, (a) => a.unsafe(`CREATE DATABASE "${name}"`))
  return dbUrl(base, name)
}

export async function dropDatabase(base: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`)
  await admin(base, (a) => a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'
  }
}

/** Drops `<prefix><pid>` databases whose process is gone (a run that was SIGKILLed). */
export async function dropStaleScratch(base: string, prefixes: string[]): Promise<string[]> {
  const names = await admin(base, (a) => a<{ datname: string }[]>`SELECT datname FROM pg_database`)
  const stale = names.map((r) => r.datname).filter((n) => prefixes.some((p) => {
    const m = new RegExp(`^${p}(\\d+)$`).exec(n)
    return m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]))
  }))
  for (const n of stale) await dropDatabase(base, n)
  return stale
}

/** A free loopback TCP port (bound and released; the server binds it right after). */
export function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = s.port
  s.stop(true)
  return port
}

/** Keeps the last lines of a child's output (and keeps the pipe drained). */
function tail(stream: ReadableStream<Uint8Array>, keep = 60): { lines: string[]; done: Promise<void> } {
  const lines: string[] = []
  const done = (async () => {
    const dec = new TextDecoder()
    let buf = ''
    const reader = stream.getReader()
    for (;;) {
      const { value: chunk, done } = await reader.read()
      if (done) break
      buf += dec.decode(chunk, { stream: true })
      const parts = buf.split('\n')
      buf = parts.pop() ?? ''
      for (const l of parts) {
        lines.push(l)
        if (lines.length > keep) lines.shift()
      }
    }
    if (buf) lines.push(buf)
  })().catch(() => {})
  return { lines, done }
}

export type IonServer = {
  url: string; port: number; pid: number; proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>
  /** The last lines of stdout then stderr. */
  output(): string[]
  /** The last `keep` lines of stdout alone (the JSON log). */
  stdout(): string[]
  stderr(): string[]
  stop(): Promise<number | null>
}

/** `bun src/main.ts serve` as a subprocess; resolves once /readyz answers 200. */
export async function startIon(env: Record<string, string>, opts: { readyMs?: number; port?: number; keep?: number } = {}): Promise<IonServer> {
  const port = opts.port ?? freePort()
  const url = `http://127.0.0.1:${port}`
  const proc = Bun.spawn([process.execPath, 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), BASE_URL: url, ION_LOG_REQUESTS: 'off', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = tail(proc.stdout, opts.keep)
  const err = tail(proc.stderr, opts.keep)
  let exited: number | null = null
  void proc.exited.then((c) => { exited = c })
  const server: IonServer = {
    url, port, pid: proc.pid, proc,
    output: () => [...out.lines, ...err.lines],
    stdout: () => [...out.lines],
    stderr: () => [...err.lines],
    async stop() {
      if (exited !== null) return exited
      proc.kill('SIGTERM')
      const code = await Promise.race([proc.exited, sleep(6000).then(() => null)])
      if (code === null) {
        proc.kill('SIGKILL')
        return await proc.exited
      }
      return code
    },
  }
  const deadline = Date.now() + (opts.readyMs ?? 30_000)
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`ion serve exited with ${exited} before it was ready:\n${server.output().slice(-20).join('\n')}`)
    try {
      const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) })
      await r.arrayBuffer()
      if (r.status === 200) return server
    } catch {}
    await sleep(100)
  }
  await server.stop()
  throw new Error(`ion serve was not ready within ${opts.readyMs ?? 30_000} ms:\n${server.output().slice(-20).join('\n')}`)
}

async function run(cmd: string[], env: Record<string, string>, limitMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn(cmd, { env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' })
  const timer = setTimeout(() => p.kill('SIGKILL'), limitMs)
  try {
    const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    return { code, stdout, stderr }
  } finally {
    clearTimeout(timer)
  }
}

export type PgbenchResult = { tps: number; clients: number; threads: number; seconds: number; scale: number; command: string }

/**
 * pgbench's simple-update (-N) TPS on its own scratch database on the same server: the limit the
 * signup rate is compared with, measured in the same run on the same cores.
 */
export async function pgbench(base: string, name: string, o: { clients: number; threads: number; seconds: number; scale: number }): Promise<PgbenchResult> {
  const bin = Bun.spawnSync(['bash', `${ROOT}/scripts/services.sh`, 'pgbin']).stdout.toString().trim()
  const exe = bin ? `${bin}/pgbench` : 'pgbench'
  const u = new URL(dbUrl(base, name))
  const conn = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')]
  const env: Record<string, string> = u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}
  await createDatabase(base, name)
  try {
    const init = await run([exe, '-i', '-q', '-s', String(o.scale), ...conn, name], env, 120_000)
    if (init.code !== 0) throw new Error(`pgbench -i failed (${init.code}): ${init.stderr.slice(-500)}`)
    const args = ['-n', '-N', '-c', String(o.clients), '-j', String(o.threads), '-T', String(o.seconds)]
    const r = await run([exe, ...args, ...conn, name], env, (o.seconds + 30) * 1000)
    if (r.code !== 0) throw new Error(`pgbench failed (${r.code}): ${r.stderr.slice(-500)}`)
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout) ?? /tps = ([\d.]+)/.exec(r.stdout)
    if (!m) throw new Error(`pgbench printed no tps:\n${r.stdout.slice(-500)}`)
    return { tps: Number(m[1]), ...o, command: `pgbench ${args.join(' ')}` }
  } finally {
    await dropDatabase(base, name)
  }
}

/** Nearest-rank percentile of an unsorted list (ms). */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))]!
}

/** A small deterministic PRNG (mulberry32), so a run's plan can be repeated with the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc; null off Linux. */
export function processCpuMs(pid: number): number | null {
  try {
    const f = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ')
    return (Number(f[11]) + Number(f[12])) * (1000 / 100)
  } catch {
    return null
  }
}

/** The whole machine's CPU counters (ms summed over cores), from /proc/stat; null off Linux. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number) as number[]
    const idle = f[3]! + (f[4] ?? 0)
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
    return { busy: (total - idle) * 10, total: total * 10 }
  } catch {
    return null
  }
}

/** Share of all cores busy between two machineCpu() readings (0–1). */
export const busyShare = (a: ReturnType<typeof machineCpu>, b: ReturnType<typeof machineCpu>) =>
  a && b && b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : null
