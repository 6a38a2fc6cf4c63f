import { buildApp } from '../app.tsx'
import { closeLiveSockets, WS_RESTART } from '../platform/live.ts'
import { migrate } from '../platform/migrate.ts'
import { lap } from '../platform/startup-trace.ts'
import { openRuntime } from './runtime.ts'
import { onTermination, STOP_BUDGET_MS, stopWithin, type Stop } from './shutdown.ts'
import { startHooks } from './start-hooks.ts'

/**
 * `ion serve`: HTTP, plus whatever background services features start. On SIGTERM: stop accepting
 * connections, close WebSockets with 1012 (clients reconnect), let requests in flight finish, stop
 * the mail worker (the message in flight finishes or its lease expires: nothing is lost) and the
 * scheduler (a run cut short is marked abandoned after its lease), then exit 0 within 10 s.
 *
 * It listens as early as it can (ION_STARTUP_TRACE=on shows the steps): the background services
 * gate no request, so they start after `listen`. Routes find them in `services` at request time
 * (mailOf, pubsubOf), and each hook sets its service before its first await, so no request can
 * run in between.
 */
export async function serve(): Promise<number> {
  const rt = openRuntime()
  lap('runtime opened')
  if (rt.config.autoMigrate) {
    const applied = await migrate(rt.sql)
    if (applied.length) rt.log.info('migrated', { applied })
    lap('migrated')
  }
  const services: Record<string, unknown> = {}
  const app = buildApp({ sql: rt.sql, redis: rt.redis, clock: rt.clock, config: rt.config, log: rt.log, services })
  lap('buildApp')
  app.listen({ port: rt.config.port, hostname: rt.config.host, idleTimeout: 30, maxRequestBodySize: 8 * 1024 * 1024 })
  lap('listen')
  rt.log.info('listening', { url: rt.config.baseUrl, port: app.server?.port, standalone: Boolean((Bun as { isStandaloneExecutable?: boolean }).isStandaloneExecutable) })

  const stops: Stop[] = []
  let stopping = false
  onTermination(rt.log, async () => {
    stopping = true
    // Bun stops listening at once and resolves when the requests in flight have answered.
    const http = app.stop(false)
    const sockets = closeLiveSockets(services, WS_RESTART, 'Service restart')
    rt.log.info('shutdown: closed WebSockets', { sockets, code: WS_RESTART })
    await stopWithin([{ name: 'http', stop: () => http }, ...stops], STOP_BUDGET_MS, rt.log)
    await Promise.race([rt.close(), Bun.sleep(1500)])
  })
  for (const hook of startHooks) {
    if (stopping) break // a SIGTERM while they start: start no more
    const stop = await hook({ ...rt, services, server: app.server ?? undefined })
    if (stop) stops.push({ name: hook.name || 'background', stop })
    lap(`started ${hook.name || 'background'}`)
  }
  return await new Promise<number>(() => {})
}
