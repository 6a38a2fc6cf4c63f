import { registerJob } from '../jobs/registry.ts'
import { deleteFinishedBefore } from './outbox.sql.ts'

registerJob({
  name: 'mail.outbox-retention',
  description: 'Delete sent (and discarded) mail older than 30 days; failed mail waits for an admin',
  schedule: '20 3 * * *',
  catchUp: 'run-once',
  run: async ({ sql, now }) => `deleted ${await deleteFinishedBefore(sql, new Date(now.getTime() - 30 * 24 * 3600_000))} messages`,
})
