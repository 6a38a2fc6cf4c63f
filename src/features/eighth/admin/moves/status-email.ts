import type { Clock } from '../../../../platform/clock.ts'
import { localParts } from '../../../../platform/clock.ts'
import type { Sql } from '../../../../platform/db.ts'
import type { Config } from '../../../../config.ts'
import type { Logger } from '../../../../platform/log.ts'
import { composeEmail, createMail, defineEmail, type Mail } from '../../../../platform/mail/index.ts'
import { addDays } from '../../../../platform/zoned.ts'
import { seniorYear } from '../../../users/grade.ts'
import { nameWithFlags } from '../../effective.ts'
import { blockText } from '../../format.ts'
import { blocksOn, nextBlockDate, statusRecipients, type DayBlock, type StatusSignup } from './unsigned.sql.ts'

// The signup-status emails (Ion's signup_status_email --only-today / --only-tomorrow): at 08:00 if
// the next block date is today, at 20:00 if it is tomorrow. Only current students who want
// eighth-period email, and only those with a block left empty or a signup in a cancelled activity.
// One personal email each, all enqueued in one transaction per run (in batches); each carries the
// key job + date + student, so a re-run of the same day never sends twice.

export const statusEmail = defineEmail('eighth.signup_status', (d: { day: string; lines: string[]; fixBy: string }) => ({
  subject: `Signup Status for ${d.day}`,
  heading: 'Your eighth-period signups need attention',
  blocks: [
    { p: `This is your eighth-period signup status for ${d.day}:` },
    { list: d.lines },
    { p: `Please fix this before ${d.fixBy}.` },
    { link: { href: '/eighth/signup', label: 'Sign up for an activity' } },
  ],
}))

/** "Wednesday, December 2" */
export function longDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' }).format(Date.UTC(y, m - 1, d))
}

/** "12:40" → "12:40 PM" */
export function clockText(hhmm: string): string {
  const [h, min] = hhmm.split(':').map(Number) as [number, number]
  return `${((h + 11) % 12) + 1}:${String(min).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`
}

/** One line per block: "No activity selected", the activity with a check, or a cancellation warning. */
export function statusLines(blocks: DayBlock[], signups: StatusSignup[]): string[] {
  return blocks.map((b) => {
    const s = signups.find((x) => x.blockId === b.id)
    if (!s) return `${blockText(b)}: No activity selected`
    const name = nameWithFlags(s.name, { title: s.title })
    return s.cancelled ? `${blockText(b)}: ${name} ⚠ This activity was cancelled: choose another one` : `${blockText(b)}: ${name} ✓`
  })
}

export type StatusEnv = { sql: Sql; clock: Clock; config: Config; log?: Logger; mail?: Mail }
export type Which = 'today' | 'tomorrow'
export const STATUS_JOBS: Record<Which, string> = { today: 'eighth.signup-status-morning', tomorrow: 'eighth.signup-status-evening' }
const BATCH = 200

/** The job body: returns what it did (kept with the job run). */
export async function sendSignupStatus(env: StatusEnv, which: Which, now: Date): Promise<string> {
  const local = localParts(now, env.config.schoolTz)
  const today = local.date
  const day = which === 'today' ? today : addDays(today, 1)
  // The next upcoming block: today's blocks stop being upcoming at 17:00.
  const next = await nextBlockDate(env.sql, today, local.hour >= 17)
  if (next !== day) return `next block date is ${next ?? 'none'}, not ${which}: nothing sent`
  const blocks = await blocksOn(env.sql, day)
  const mail = env.mail ?? createMail({ config: env.config, clock: env.clock, log: env.log })
  const fixBy = `${clockText(blocks.map((b) => b.signupTime).sort()[0]!)} on ${longDay(day)}`
  return env.sql.begin(async (tx) => {
    const people = await statusRecipients(tx, day, seniorYear(today, env.config.yearTurnoverMonth))
    let inserted = 0
    for (let i = 0; i < people.length; i += BATCH) {
      // The batch's inserts are pipelined on the transaction's connection.
      const done = await Promise.all(people.slice(i, i + BATCH).map((p) => mail.enqueue(tx, composeEmail(
        statusEmail, { day: longDay(day), lines: statusLines(blocks, p.signups), fixBy },
        { to: p.address, key: `${STATUS_JOBS[which]}:${day}:${p.id}`, audience: 'personal' }, env.config,
      ))))
      inserted += done.reduce((n, r) => n + r.inserted, 0)
    }
    return `${people.length} student(s) to remind for ${day}; ${inserted} new email(s)`
  })
}
