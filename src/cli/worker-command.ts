import { command } from './registry.ts'
import { openRuntime } from './runtime.ts'
import { onTermination, STOP_BUDGET_MS, stopWithin, type Stop } from './shutdown.ts'
import { workerHooks } from './background-hooks.ts'
import '../features/index.ts' // every feature registers its scheduled jobs on import

// `ion worker`: `serve`'s background half without HTTP, for a deployment that keeps background work
// off its web instances (or adds capacity to it). Running it beside any number of `serve`s is safe:
// the outbox is claimed row by row (SKIP LOCKED + lease) and each job slot by one instance.

command({
  name: 'worker',
  usage: 'worker',
  summary: 'Run the mail worker and the scheduled jobs without HTTP (`serve` runs both too)',
  positionals: [0, 0],
  run: async () => {
    const rt = openRuntime({ poolMax: 5 })
    const services: Record<string, unknown> = {}
    const stops: Stop[] = []
    for (const hook of workerHooks) {
      const stop = await hook({ ...rt, services })
      if (stop) stops.push({ name: hook.name || 'background', stop })
    }
    rt.log.info('worker started', { services: stops.map((s) => s.name) })
    onTermination(rt.log, async () => {
      await stopWithin(stops, STOP_BUDGET_MS, rt.log)
      await Promise.race([rt.close(), Bun.sleep(1500)])
    })
    return await new Promise<number>(() => {})
  },
})
