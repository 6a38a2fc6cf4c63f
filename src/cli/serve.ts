import { buildApp } from '../app.tsx'
import { closeLiveSockets, WS_RESTART } from '../platform/live.ts'
import { migrate } from '../platform/migrate.ts'
import { openRuntime } from './runtime.ts'
import { onTermination, STOP_BUDGET_MS, stopWithin, type Stop } from './shutdown.ts'
import { startHooks } from './start-hooks.ts'

/**
 * `ion serve`: HTTP, plus whatever background services features start. On SIGTERM: stop accepting
 * connections, close WebSockets with 1012 (clients reconnect), let requests in flight finish, stop
 * the mail worker (the message in flight finishes or its lease expires: nothing is lost) and the
 * scheduler (a run cut short is marked abandoned after its lease), then exit 0 within 10 s.
 */
export async function serve(): Promise<number> {
  const rt = openRuntime()
  if (rt.config.autoMigrate) {
    const applied = await migrate(rt.sql)
    if (applied.length) rt.log.info('migrated', { applied })
  }
  const services: Record<string, unknown> = {}
  const stops: Stop[] = []
  for (const hook of startHooks) {
    const stop = await hook({ ...rt, services })
    if (stop) stops.push({ name: hook.name || 'background', stop })
  }
  const app = buildApp({ sql: rt.sql, redis: rt.redis, clock: rt.clock, config: rt.config, log: rt.log, services })
  app.listen({ port: rt.config.port, hostname: rt.config.host, idleTimeout: 30, maxRequestBodySize: 8 * 1024 * 1024 })
  rt.log.info('listening', { url: rt.config.baseUrl, port: app.server?.port, standalone: Boolean((Bun as { isStandaloneExecutable?: boolean }).isStandaloneExecutable) })

  onTermination(rt.log, async () => {
    // Bun stops listening at once and resolves when the requests in flight have answered.
    const http = app.stop(false)
    const sockets = closeLiveSockets(services, WS_RESTART, 'Service restart')
    rt.log.info('shutdown: closed WebSockets', { sockets, code: WS_RESTART })
    await stopWithin([{ name: 'http', stop: () => http }, ...stops], STOP_BUDGET_MS, rt.log)
    await Promise.race([rt.close(), Bun.sleep(1500)])
  })
  return await new Promise<number>(() => {})
}
