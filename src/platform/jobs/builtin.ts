import { deleteRunsBefore } from './jobs.sql.ts'
import { registerJob } from './registry.ts'

const DAY = 24 * 3600_000

registerJob({
  name: 'jobs.runs-cleanup',
  description: 'Delete the record of job runs older than 90 days',
  schedule: '40 3 * * *',
  catchUp: 'run-once',
  run: async ({ sql, now }) => `deleted ${await deleteRunsBefore(sql, new Date(now.getTime() - 90 * DAY))} runs`,
})
