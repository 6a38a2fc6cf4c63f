import { registerJob } from '../../platform/jobs/registry.ts'
import { refreshEmergency } from './state.ts'

// Ion refreshed its emergency cache every 270 s; here every 5 minutes, and once at start when a
// run was missed, so a restarted site shows the feed's current state.
registerJob({
  name: 'emerg.refresh',
  description: 'Read the emergency alert feed (EMERGENCY_FEED_URL) and keep its newest item; a failing feed keeps the last good value',
  schedule: '*/5 * * * *',
  catchUp: 'run-once',
  run: (ctx) => refreshEmergency(ctx),
})
