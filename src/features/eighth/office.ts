import type { Clock } from '../../platform/clock.ts'
import type { Sql, Tx } from '../../platform/db.ts'
import type { Mail } from '../../platform/mail/enqueue.ts'
import { composeEmail, defineEmail } from '../../platform/mail/render.tsx'
import type { Config } from '../../config.ts'
import { blockText } from './format.ts'
import {
  auditScheduled, decidePass, emailsOfUsers, memberIds, lockScheduledRow, lockSignup, membersToEmail, replaceStickyStudents, setCancelled, stickyStudentsOf,
} from './office.sql.ts'
import { lockStudent } from './signup.sql.ts'
import { signUpInTx, type EighthCfg, type Requester, type SignupOutcome } from './signup.ts'

// The office's operations that the signup rules depend on (pages come with the office issue).

export type OfficeDeps = { sql: Sql; clock: Clock; config: Config; mail: Mail }
const cfgOf = (d: OfficeDeps): EighthCfg => ({ tz: d.config.schoolTz, turnoverMonth: d.config.yearTurnoverMonth })

export const cancelledEmail = defineEmail('eighth.cancelled', (d: { activity: string; block: string }) => ({
  subject: `Activity Cancelled on ${d.block}`,
  heading: 'An activity you signed up for was cancelled',
  blocks: [
    { p: `${d.activity} has been cancelled for ${d.block}. You will need to select a new activity.` },
    { link: { href: '/eighth/signup', label: 'Choose another activity' } },
  ],
}))

export const stickiedEmail = defineEmail('eighth.stickied', (d: { activity: string; block: string; added: boolean }) => ({
  subject: d.added ? 'You have been stickied into an activity' : 'You have been unstickied from an activity',
  heading: d.added ? 'You have been placed in an activity' : 'You may choose your activity again',
  blocks: d.added
    ? [{ p: `The eighth-period office placed you in ${d.activity} for ${d.block}. You cannot switch out of it.` }]
    : [{ p: `You are no longer stuck in ${d.activity} for ${d.block}. Please select a new eighth-period activity.` }, { link: { href: '/eighth/signup', label: 'Choose an activity' } }],
}))

/**
 * Cancel a scheduled activity: signups stay (students must pick again) and the members who want
 * eighth-period email are told — in both blocks of a both-blocks pair (Ion skipped every B block).
 */
export async function cancelScheduled(d: OfficeDeps, id: number, actorId: number | null): Promise<{ ok: boolean; emailed: number }> {
  return d.sql.begin((tx) => cancelScheduledInTx(tx, d, id, actorId))
}

/** cancelScheduled inside a caller's transaction (the scheduling grid saves many rows at once). */
export async function cancelScheduledInTx(tx: Tx, d: OfficeDeps, id: number, actorId: number | null): Promise<{ ok: boolean; emailed: number }> {
  const sa = await lockScheduledRow(tx, id)
  if (!sa) return { ok: false, emailed: 0 }
  if (sa.cancelled) return { ok: true, emailed: 0 }
  await setCancelled(tx, id, true, d.clock.now())
  const to = (await membersToEmail(tx, id)).map((m) => m.email)
  if (to.length) {
    await d.mail.enqueue(tx, composeEmail(cancelledEmail, { activity: sa.name, block: blockText(sa) }, { to, key: `eighth-cancel-${id}-${d.clock.now().getTime()}`, audience: 'bulk' }, d.config))
  }
  await auditScheduled(tx, { actorId, action: 'eighth.cancel', scheduledId: id, now: d.clock.now(), students: await memberIds(tx, id) })
  return { ok: true, emailed: to.length }
}

export async function uncancelScheduled(d: OfficeDeps, id: number, actorId: number | null): Promise<boolean> {
  return d.sql.begin(async (tx) => {
    const sa = await lockScheduledRow(tx, id)
    if (!sa) return false
    await setCancelled(tx, id, false, d.clock.now())
    await auditScheduled(tx, { actorId, action: 'eighth.uncancel', scheduledId: id, now: d.clock.now(), students: await memberIds(tx, id) })
    return true
  })
}

/**
 * Ion's set_sticky_students: every listed student is moved into this activity (forced, no pass)
 * and stuck there; students taken off the list are released. Both groups are emailed.
 */
export async function setStickyStudents(d: OfficeDeps, id: number, userIds: number[], requester: Requester): Promise<{ ok: boolean; failures: { userId: number; outcome: SignupOutcome }[] }> {
  const wanted = [...new Set(userIds)].sort((a, b) => a - b)
  return d.sql.begin(async (tx) => {
    // Students first (in id order), then the scheduled activity: the same order as a signup.
    for (const u of wanted) await lockStudent(tx, u)
    const sa = await lockScheduledRow(tx, id)
    if (!sa) return { ok: false, failures: [] }
    const before = await stickyStudentsOf(tx, id)
    const failures: { userId: number; outcome: SignupOutcome }[] = []
    for (const u of wanted) {
      const out = await signUpInTx(tx, d.clock, cfgOf(d), { userId: u, scheduledId: id, requester, force: true, noAfterDeadline: true })
      if (!out.ok) failures.push({ userId: u, outcome: out })
    }
    const ok = wanted.filter((u) => !failures.some((f) => f.userId === u))
    await replaceStickyStudents(tx, id, ok)
    const added = ok.filter((u) => !before.includes(u))
    const removed = before.filter((u) => !ok.includes(u))
    const block = blockText(sa)
    const key = `eighth-sticky-${id}-${d.clock.now().getTime()}`
    const addedTo = await emailsOfUsers(tx, added, true)
    if (addedTo.length) await d.mail.enqueue(tx, composeEmail(stickiedEmail, { activity: sa.name, block, added: true }, { to: addedTo, key: key + '-add', audience: 'bulk' }, d.config))
    const removedTo = await emailsOfUsers(tx, removed, true)
    if (removedTo.length) await d.mail.enqueue(tx, composeEmail(stickiedEmail, { activity: sa.name, block, added: false }, { to: removedTo, key: key + '-rm', audience: 'bulk' }, d.config))
    return { ok: true, failures }
  })
}

/** Accept or reject a pass (a signup made after the block locked). Only for a locked block. */
export async function decideOnPass(d: OfficeDeps, signupId: number, accept: boolean): Promise<'ok' | 'not-found' | 'not-locked'> {
  return d.sql.begin(async (tx) => {
    const s = await lockSignup(tx, signupId)
    if (!s) return 'not-found'
    if (!s.blockLocked) return 'not-locked'
    await decidePass(tx, signupId, accept)
    return 'ok'
  })
}
