import type { Config } from '../../../config.ts'
import type { Clock } from '../../../platform/clock.ts'
import type { Sql } from '../../../platform/db.ts'
import type { Deps } from '../../../platform/http.ts'
import type { Logger } from '../../../platform/log.ts'
import { createMail, type Mail } from '../../../platform/mail/enqueue.ts'
import { composeEmail, defineEmail } from '../../../platform/mail/render.tsx'
import { isEighthAdmin, type Viewer } from '../../../platform/viewer.ts'
import { addDays } from '../../../platform/zoned.ts'
import { sponsorName } from '../effective.ts'
import { blockText } from '../format.ts'
import { schoolYear } from '../profile.ts'
import { absencesOf, absenceUser, claimUnsentAbsences, clearAbsenceRow, markAbsencesEmailed, type AbsenceRow, type AbsenceUser } from './absences.sql.ts'
import { auditEighth } from './fragments.sql.ts'

// Students' absences (ion-eighth.md §3.1 /eighth/absences, §5 absence_email): the list, the
// office clearing one, and the daily email — once per absence, only to students who want
// eighth-period email, through the outbox in the same transaction that marks it handled.

/** A student may clear an absence up to this many days after the block (Ion's CLEAR_ABSENCE_DAYS). */
export const CLEAR_ABSENCE_DAYS = 14

export type AbsenceEntry = AbsenceRow & { clearable: boolean }
export type AbsencesModel = { user: AbsenceUser; self: boolean; office: boolean; absences: AbsenceEntry[] }
export type AbsencesResult = { kind: 'ok'; model: AbsencesModel } | { kind: 'forbidden' } | { kind: 'notFound' }

/** Yourself, or anyone for the office. */
export async function loadAbsences(deps: Deps, viewer: Viewer, uidParam: string | undefined): Promise<AbsencesResult> {
  const uid = uidParam === undefined ? viewer.id : /^\d{1,9}$/.test(uidParam) ? Number(uidParam) : null
  if (uid === null) return { kind: 'notFound' }
  const office = isEighthAdmin(viewer)
  if (uid !== viewer.id && !office) return { kind: 'forbidden' }
  const [user, rows] = await Promise.all([absenceUser(deps.sql, uid), absencesOf(deps.sql, uid)])
  if (!user) return { kind: 'notFound' }
  const today = deps.clock.today()
  const absences = rows.map((r) => ({ ...r, clearable: today <= addDays(r.date, CLEAR_ABSENCE_DAYS) }))
  return { kind: 'ok', model: { user, self: uid === viewer.id, office, absences } }
}

/** The office clears an absence (the student brought the sponsor's signature). Audited. */
export async function clearAbsence(deps: Deps, viewer: Viewer, signupId: number): Promise<{ ok: true; userId: number } | { ok: false; message: string }> {
  return deps.sql.begin(async (tx) => {
    const row = await clearAbsenceRow(tx, signupId)
    if (!row) return { ok: false, message: 'That absence does not exist (or was already cleared).' }
    await auditEighth(tx, { at: deps.clock.now(), actorId: viewer.id, action: 'eighth.absence_clear', targetType: 'signup', targetId: signupId, students: [row.userId], details: { scheduledActivityId: row.scheduledActivityId } })
    return { ok: true, userId: row.userId }
  })
}

export const absenceEmail = defineEmail('eighth.absence', (d: { activity: string; block: string; sponsors: string }) => ({
  subject: 'Eighth Period Absence Information',
  heading: 'You were marked absent',
  blocks: [
    { p: `You were marked absent for ${d.activity} on ${d.block}.` },
    { facts: [['Activity', d.activity], ['Block', d.block], ...(d.sponsors ? [['Sponsors', d.sponsors] as [string, string]] : [])] },
    { p: `If you were there, print your absences page, have your sponsor sign it, and bring it to the eighth-period office within ${CLEAR_ABSENCE_DAYS} days.` },
    { link: { href: '/eighth/absences', label: 'See your absences' } },
  ],
}))

export type AbsenceJobEnv = { sql: Sql; clock: Clock; config: Config; log?: Logger; mail?: Mail }
export type AbsenceRun = { absences: number; emailed: number; skipped: number; pretend: boolean }

const BATCH = 500

/**
 * Emails every absence of this school year, up to today, not yet handled. Each batch is one
 * transaction: the outbox rows and the absence_emailed flags commit together. Students who turned
 * eighth-period email off (or have no address) are marked handled without an email.
 * `pretend` only counts: nothing is sent or marked.
 */
export async function sendAbsenceEmails(env: AbsenceJobEnv, opts: { pretend?: boolean } = {}): Promise<AbsenceRun> {
  const today = env.clock.today()
  const { start } = schoolYear(today, env.config.yearTurnoverMonth)
  if (opts.pretend) {
    const rows = await claimUnsentAbsences(env.sql, start, today, 100_000)
    const emailed = rows.filter((r) => r.wantsEmail && r.email).length
    return { absences: rows.length, emailed, skipped: rows.length - emailed, pretend: true }
  }
  const mail = env.mail ?? createMail({ config: env.config, clock: env.clock, log: env.log })
  const run: AbsenceRun = { absences: 0, emailed: 0, skipped: 0, pretend: false }
  for (;;) {
    const n = await env.sql.begin(async (tx) => {
      const rows = await claimUnsentAbsences(tx, start, today, BATCH)
      for (const r of rows) {
        if (!r.wantsEmail || !r.email) { run.skipped++; continue }
        const activity = r.title ? `${r.name} - ${r.title}` : r.name
        const data = { activity, block: blockText(r), sponsors: r.sponsors.map(sponsorName).join(', ') }
        await mail.enqueue(tx, composeEmail(absenceEmail, data, { to: r.email, key: `eighth-absence-${r.signupId}`, audience: 'personal' }, env.config))
        run.emailed++
      }
      await markAbsencesEmailed(tx, rows.map((r) => r.signupId))
      return rows.length
    })
    run.absences += n
    if (n < BATCH) return run
  }
}
