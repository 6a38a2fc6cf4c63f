import { ConfigError, loadConfig, type Config } from '../config.ts'
import { connectDb, type Sql } from '../platform/db.ts'
import { Redis } from '../platform/redis.ts'
import { systemClock, type Clock } from '../platform/clock.ts'
import { jsonLogger, type Logger } from '../platform/log.ts'

/** Exits with one line naming the bad variable. */
export function configOrExit(): Config {
  try {
    return loadConfig()
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`ion: configuration error: ${e.message}\n`)
      process.exit(1)
    }
    throw e
  }
}

export type Runtime = { config: Config; sql: Sql; redis: Redis; clock: Clock; log: Logger; close(): Promise<void> }

export function openRuntime(opts: { redis?: boolean; poolMax?: number } = {}): Runtime {
  const config = configOrExit()
  const sql = connectDb(config.databaseUrl, { max: opts.poolMax ?? config.dbPoolMax, tz: config.schoolTz })
  const redis = new Redis(config.redisUrl, { prefix: config.redisPrefix })
  return {
    config, sql, redis, clock: systemClock(config.schoolTz), log: jsonLogger(),
    async close() {
      redis.close()
      await sql.end({ timeout: 5 })
    },
  }
}

/** A text progress bar on stderr for long CLI jobs. */
export function progressBar(label: string, total: number) {
  const tty = process.stderr.isTTY
  let last = -1
  return {
    tick(done: number) {
      const pct = total ? Math.floor((done / total) * 100) : 100
      if (pct === last) return
      last = pct
      const w = 30
      const bar = '#'.repeat(Math.round((pct / 100) * w)).padEnd(w, '.')
      if (tty) process.stderr.write(`\r${label} [${bar}] ${pct}% (${done}/${total})`)
      else if (pct % 10 === 0) process.stderr.write(`${label} ${pct}% (${done}/${total})\n`)
    },
    done() { if (tty) process.stderr.write('\n') },
  }
}
