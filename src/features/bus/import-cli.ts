import { registerImporter, type ImporterArgs } from '../../cli/importers.ts'
import { openRuntime } from '../../cli/runtime.ts'
import { decodeCsvBytes } from '../../platform/csv.ts'
import { createPubSub } from '../../platform/pubsub.ts'
import { applyRoutes, planRoutes } from './import.ts'
import { BroadcastFailed } from './writes.ts'

registerImporter({
  kind: 'routes',
  usage: 'routes <file.csv> [--dry-run]',
  summary: 'Add bus routes, or update their bus numbers (columns route_name, bus_number)',
  flags: { 'dry-run': { type: 'boolean', help: 'print what would change; write nothing' } },
  run: runRouteImport,
})

const out = (s: string) => process.stdout.write(s + '\n')
const err = (s: string) => process.stderr.write(s + '\n')

async function runRouteImport({ file, flags }: ImporterArgs): Promise<number> {
  const f = Bun.file(file)
  if (!(await f.exists())) {
    err(`ion import: cannot read ${file}: no such file`)
    return 1
  }
  const decoded = decodeCsvBytes(new Uint8Array(await f.arrayBuffer()))
  if (!decoded.ok) {
    err(`ion import: ${file} is not a CSV text file`)
    return 1
  }
  const plan = planRoutes(decoded.text)
  for (const e of plan.errors) err(`${file}:${e.line}: ${e.message}`)
  if (plan.errors.length) {
    err(`ion import: ${plan.errors.length} error(s); nothing imported`)
    return 1
  }
  if (flags['dry-run']) {
    for (const r of plan.rows) out(`route  line ${r.line}  ${r.routeName}${r.busNumber ? `  bus ${r.busNumber}` : ''}`)
    out(`dry run: ${plan.rows.length} route(s) in the file (nothing written)`)
    return 0
  }
  const rt = openRuntime({ poolMax: 2 })
  try {
    const pubsub = createPubSub(rt.redis, rt.log)
    const env = { sql: rt.sql, log: rt.log, publish: (topic: string, payload: string) => pubsub.publish(topic, payload) }
    try {
      const r = await applyRoutes(env, plan, rt.clock.now())
      out(`imported routes from ${file}: ${r.added} new, ${r.updated} updated, ${r.unchanged} unchanged`)
    } catch (e) {
      if (!(e instanceof BroadcastFailed)) throw e
      out(`imported routes from ${file}; open bus boards show them after a reload (Redis: ${e.message})`)
    }
    return 0
  } finally {
    await rt.close()
  }
}
