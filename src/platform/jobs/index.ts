// Scheduled jobs: features call registerJob() at import time (see registry.ts).
import './builtin.ts'
import '../mail/jobs.ts'
export { registerJob, registeredJobs, findJob, type JobDef, type JobCtx, type JobEnv } from './registry.ts'
export { createScheduler, type Scheduler } from './scheduler.ts'
export { runNow, runSlot, type RunResult } from './run.ts'
