import { registerJob } from '../../../../platform/jobs/registry.ts'
import { sendSignupStatus, STATUS_JOBS } from './status-email.ts'

// Signup-status reminders, in SCHOOL_TZ. A missed run is not made up after a restart ('skip'): a
// late reminder about a block that may already have started helps nobody.

registerJob({
  name: STATUS_JOBS.today,
  description: 'Eighth period: email students with an empty block or a cancelled activity today (runs only if the next block is today)',
  schedule: '0 8 * * *',
  catchUp: 'skip',
  run: (ctx) => sendSignupStatus(ctx, 'today', ctx.now),
})

registerJob({
  name: STATUS_JOBS.tomorrow,
  description: 'Eighth period: email students with an empty block or a cancelled activity tomorrow (runs only if the next block is tomorrow)',
  schedule: '0 20 * * *',
  catchUp: 'skip',
  run: (ctx) => sendSignupStatus(ctx, 'tomorrow', ctx.now),
})
