import { registerJob, type JobCtx } from '../../platform/jobs/registry.ts'
import { createPubSub } from '../../platform/pubsub.ts'
import { resetBoundaries } from './board.ts'
import { resetBoard, type BoardEnv } from './writes.ts'

// Ion's route resets (every route back to on time, spaces cleared) at 00:00 and one minute after
// the changeover hour (BUS_CHANGEOVER_HOUR, 10:01 by default), then a broadcast to every board.
//
// A job's cron pattern is fixed when it registers, before the configuration is read, so the
// changeover job runs at minute 1 of every hour and resets only once today's changeover has
// passed and the routes were not reset since. The reset is one statement that checks and records
// bus_board.reset_at, so catch-up after a restart (run-once) resets exactly when a reset was
// missed — never twice, and never over a board that admins have filled since. "Run now" (a
// manual slot) always resets.

const envOf = (ctx: JobCtx): BoardEnv => {
  const pubsub = createPubSub(ctx.redis, ctx.log) // publish only: the relay is `ion serve`'s
  return { sql: ctx.sql, log: ctx.log, publish: (topic, payload) => pubsub.publish(topic, payload) }
}

async function reset(ctx: JobCtx, boundary: Date | null): Promise<string> {
  const manual = ctx.slot.startsWith('manual:')
  if (!manual && boundary && ctx.now < boundary) return 'not due yet'
  const r = await resetBoard(envOf(ctx), manual ? null : boundary, ctx.now)
  return r.due ? `reset ${r.routes} route(s)` : 'already reset'
}

registerJob({
  name: 'bus.reset-midnight',
  description: 'Reset every bus route to on time with no space, at midnight',
  schedule: '0 0 * * *',
  catchUp: 'run-once',
  run: (ctx) => reset(ctx, resetBoundaries(ctx.now, ctx.config.schoolTz, ctx.config.busChangeoverHour).midnight),
})

registerJob({
  name: 'bus.reset-changeover',
  description: 'Reset every bus route one minute after the changeover hour (checked hourly; resets once a day)',
  schedule: '1 * * * *',
  catchUp: 'run-once',
  run: (ctx) => reset(ctx, resetBoundaries(ctx.now, ctx.config.schoolTz, ctx.config.busChangeoverHour).changeover),
})
