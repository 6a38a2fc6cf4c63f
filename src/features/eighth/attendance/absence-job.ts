import { registerJob } from '../../../platform/jobs/registry.ts'
import { sendAbsenceEmails } from './absences.ts'

// Ion's absence_email cron: 16:05 every day in SCHOOL_TZ. After a restart a missed run happens
// once (each absence is emailed once whatever the number of runs: absence_emailed).

registerJob({
  name: 'eighth.absence-emails',
  description: 'Email students about eighth-period absences (once per absence, respecting their preferences)',
  schedule: '5 16 * * *',
  catchUp: 'run-once',
  run: async (ctx) => {
    const r = await sendAbsenceEmails(ctx)
    return `${r.absences} absence(s): ${r.emailed} emailed, ${r.skipped} without email`
  },
})
