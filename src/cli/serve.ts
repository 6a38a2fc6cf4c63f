import { buildApp } from '../app.tsx'
import { migrate } from '../platform/migrate.ts'
import { openRuntime } from './runtime.ts'
import { startHooks } from './start-hooks.ts'

/** `ion serve`: HTTP, plus whatever background services features start. Graceful on SIGTERM. */
export async function serve(): Promise<number> {
  const rt = openRuntime()
  if (rt.config.autoMigrate) {
    const applied = await migrate(rt.sql)
    if (applied.length) rt.log.info('migrated', { applied })
  }
  const services: Record<string, unknown> = {}
  const stops: (() => Promise<void> | void)[] = []
  for (const hook of startHooks) {
    const stop = await hook({ ...rt, services })
    if (stop) stops.push(stop)
  }
  const app = buildApp({ sql: rt.sql, redis: rt.redis, clock: rt.clock, config: rt.config, log: rt.log, services })
  app.listen({ port: rt.config.port, hostname: rt.config.host, idleTimeout: 30, maxRequestBodySize: 8 * 1024 * 1024 })
  rt.log.info('listening', { url: rt.config.baseUrl, port: app.server?.port, standalone: Boolean((Bun as { isStandaloneExecutable?: boolean }).isStandaloneExecutable) })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    rt.log.info('shutting down', { signal })
    const hard = setTimeout(() => process.exit(1), 10_000)
    try {
      await app.stop(false) // stop accepting; let in-flight requests finish
      for (const s of stops.reverse()) await s()
      await rt.close()
    } finally {
      clearTimeout(hard)
      process.exit(0)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
  return await new Promise<number>(() => {})
}
