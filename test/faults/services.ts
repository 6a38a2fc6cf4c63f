// A throwaway PostgreSQL and Redis for ONE fault test: their own temp directory and free loopback
// ports (never the developer's 54329/63799), started with scripts/services.sh, so a test can stop,
// restart and break them without touching anyone else. Redis keeps an append-only file
// (ION_REDIS_APPENDONLY=yes), so stopping and starting it keeps the sessions, as in production.
// Never imported by the test suite.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, ROOT } from '../load/harness.ts'

export type Services = {
  databaseUrl: string
  redisUrl: string
  pgPort: number
  redisPort: number
  dataDir: string
  /** `pg_ctl restart -m fast`: every connection is cut (57P01), then the server is back. */
  pgRestart(): Promise<void>
  /** `pg_ctl stop -m fast`. */
  pgStop(): Promise<void>
  /** Starts PostgreSQL again (its data kept) and waits until it accepts connections. */
  pgStart(): Promise<void>
  /** SHUTDOWN: Redis flushes its append-only file and exits. */
  redisStop(): Promise<void>
  /** Starts Redis again from its append-only file (the sessions are still there). */
  redisStart(): Promise<void>
  /** Stops both and removes the directory; safe to call twice. */
  stop(): Promise<void>
}

const PREFIX = 'ion-fault-'
const SCRIPT = `${ROOT}/scripts/services.sh`

async function sh(cmd: string[], env: Record<string, string> = {}, limitMs = 60_000): Promise<string> {
  const p = Bun.spawn(cmd, { env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' })
  const timer = setTimeout(() => p.kill('SIGKILL'), limitMs)
  try {
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    if (code !== 0) throw new Error(`${cmd.join(' ')} exited with ${code}:\n${err.slice(-1500)}`)
    return out
  } finally {
    clearTimeout(timer)
  }
}

/** Runs as the postgres OS user when we are root (pg_ctl refuses root), like services.sh does. */
const asPg = (cmd: string[]) => (process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...cmd] : cmd)

let pgBinDir: string | null = null
async function pgBin(): Promise<string> {
  pgBinDir ??= (await sh(['bash', SCRIPT, 'pgbin'])).trim()
  return pgBinDir
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'
  }
}

/** Stops the services of fault runs whose process is gone (a run that was SIGKILLed) and removes their directories. */
export async function sweepStale(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue
    const dir = join(tmpdir(), name)
    try {
      const ports = JSON.parse(readFileSync(join(dir, 'ports.json'), 'utf8')) as { pg: number; redis: number }
      await sh(['bash', SCRIPT, 'stop'], { ION_DATA_DIR: dir, ION_PG_PORT: String(ports.pg), ION_REDIS_PORT: String(ports.redis) })
    } catch {}
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function startServices(): Promise<Services> {
  await sweepStale()
  const dataDir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`))
  const pgPort = freePort()
  let redisPort = freePort()
  while (redisPort === pgPort) redisPort = freePort()
  writeFileSync(join(dataDir, 'ports.json'), JSON.stringify({ pg: pgPort, redis: redisPort }))
  const env = { ION_DATA_DIR: dataDir, ION_PG_PORT: String(pgPort), ION_REDIS_PORT: String(redisPort), ION_REDIS_APPENDONLY: 'yes' }
  const pgData = join(dataDir, 'postgres')
  const pgLog = join(dataDir, 'postgres.log')
  const start = () => sh(['bash', SCRIPT, 'start'], env, 120_000)
  const redisCli = (...args: string[]) => sh(['redis-cli', '-h', '127.0.0.1', '-p', String(redisPort), ...args], {}, 15_000)

  let stopped = false
  const services: Services = {
    databaseUrl: `postgres://postgres@127.0.0.1:${pgPort}/ion`,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    pgPort, redisPort, dataDir,
    async pgRestart() {
      await sh(asPg([`${await pgBin()}/pg_ctl`, '-D', pgData, '-l', pgLog, '-m', 'fast', '-w', '-t', '30', 'restart']), {}, 60_000)
    },
    async pgStop() {
      await sh(asPg([`${await pgBin()}/pg_ctl`, '-D', pgData, '-m', 'fast', '-w', '-t', '30', 'stop']), {}, 60_000)
    },
    async pgStart() {
      await start() // starts whatever is not running, waits for pg_isready
    },
    async redisStop() {
      await redisCli('shutdown').catch(() => {}) // the connection drops as Redis exits
      const pidFile = join(dataDir, 'redis.pid')
      for (let i = 0; i < 100 && existsSync(pidFile); i++) await Bun.sleep(100)
      if (existsSync(pidFile)) throw new Error('redis did not exit within 10 s')
    },
    async redisStart() {
      await start()
    },
    async stop() {
      if (stopped) return
      stopped = true
      try {
        await sh(['bash', SCRIPT, 'stop'], env, 60_000)
      } finally {
        rmSync(dataDir, { recursive: true, force: true })
      }
    },
  }
  try {
    await start()
  } catch (e) {
    await services.stop().catch(() => {})
    throw e
  }
  return services
}
