import { createMail } from '../platform/mail/enqueue.ts'
import { startMailWorker } from '../platform/mail/mailer.ts'
import { createScheduler } from '../platform/jobs/index.ts'
import { createPubSub } from '../platform/pubsub.ts'
import type { StartHook } from './start-hooks.ts'

// `ion serve`'s background services (DESIGN.md §6), exposed to routes as deps.services.*:
//   pubsub     Redis relay to this instance's WebSockets (attached by liveSocket when listening)
//   mail       enqueue + nudge the mail worker thread
//   scheduler  croner + job_runs

/** Names a hook for the start-up trace and the shutdown log (the minified binary renames functions). */
const named = (name: string, hook: StartHook): StartHook => Object.defineProperty(hook, 'name', { value: name })

const pubsubHook = named('pubsub', async ({ redis, log, services, server }) => {
  const pubsub = createPubSub(redis, log)
  services.pubsub = pubsub
  // `ion serve` is already listening: its start attached the server to a stand-in; this one relays.
  if (server) pubsub.attach(server)
  await pubsub.start()
  return () => pubsub.stop()
})

const mailHook = named('mail', async ({ config, clock, log, services }) => {
  const worker = startMailWorker(config, log, { delivery: { leaseMs: config.mailLeaseSeconds * 1000 } })
  services.mail = createMail({ config, clock, log, nudge: worker.nudge })
  // Not awaited: the thread's start-up (about 50 ms) must not delay the first answer. A nudge sent
  // before it is ready waits in the thread's message queue; the mail waits in the outbox.
  const slow = setTimeout(() => log.warn('mail worker is slow to start; mail waits in the outbox meanwhile'), 10_000)
  ;(slow as { unref?: () => void }).unref?.()
  void worker.ready.then(() => clearTimeout(slow), () => {})
  return () => worker.stop()
})

const jobsHook = named('jobs', async ({ sql, redis, clock, config, log, services }) => {
  const scheduler = createScheduler({ sql, redis, clock, config, log })
  scheduler.start()
  services.scheduler = scheduler
  return () => scheduler.stop()
})

export const backgroundHooks: StartHook[] = [pubsubHook, mailHook, jobsHook]
/** `ion worker`: no WebSockets to relay to, so no pubsub subscription. */
export const workerHooks: StartHook[] = [mailHook, jobsHook]
