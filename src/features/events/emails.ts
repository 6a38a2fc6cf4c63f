import type { Tx } from '../../platform/db.ts'
import type { Deps } from '../../platform/http.ts'
import { composeEmail, defineEmail, mailOf } from '../../platform/mail/index.ts'
import { richTextToPlain } from '../../platform/richtext.ts'
import { notificationEmail } from '../users/names.ts'
import { emailsOf } from '../users/users.sql.ts'
import { eventAdminAddresses } from './events.sql.ts'

// The event workflow's emails, each enqueued in the transaction that made the change: a request
// goes to the events admins (Ion mailed APPROVAL_EMAIL); the decision goes back to the requester.

type RequestData = { id: number; title: string; when: string; location: string; requester: string; description: string }

export const eventRequestEmail = defineEmail('events.request', (d: RequestData) => ({
  subject: `Event Approval Needed: ${d.title}`,
  heading: 'An event needs your approval',
  blocks: [
    { p: `${d.requester} asked to add this event to the calendar.` },
    { facts: [['Title', d.title], ['When', d.when], ...(d.location ? [['Where', d.location] as [string, string]] : [])] },
    ...(d.description ? [{ p: d.description.slice(0, 2000) }] : []),
    { link: { href: `/events/${d.id}`, label: 'Review the event' } },
  ],
}))

export const eventDecisionEmail = defineEmail('events.decision', (d: { id: number; title: string; when: string; approved: boolean }) => ({
  subject: d.approved ? `Event Approved: ${d.title}` : `Event Request Rejected: ${d.title}`,
  heading: d.approved ? 'Your event was approved' : 'Your event request was not approved',
  blocks: d.approved
    ? [{ p: `Your event “${d.title}” (${d.when}) is now on the calendar.` }, { link: { href: `/events/${d.id}`, label: 'See the event' } }]
    : [{ p: `An administrator did not approve your event request “${d.title}” (${d.when}).` }, { p: 'You can send a new request with changes.' },
      { link: { href: '/events/request', label: 'Request an event' } }],
}))

export const fmtWhen = (d: Date, tz: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(d)

/** To every events admin with an address (one message, BCC'd). Returns how many. */
export async function sendRequestToAdmins(tx: Tx, deps: Deps, e: { id: number; title: string; startsAt: Date; location: string; description: string }, requester: string): Promise<number> {
  const to = (await eventAdminAddresses(tx)).map((a) => a.address).filter((a): a is string => !!a)
  if (!to.length) return 0
  const data: RequestData = {
    id: e.id, title: e.title, when: fmtWhen(e.startsAt, deps.config.schoolTz), location: e.location, requester,
    description: richTextToPlain(e.description, deps.config.baseUrl),
  }
  await mailOf(deps).enqueue(tx, composeEmail(eventRequestEmail, data, { to, key: `event-${e.id}-request`, audience: 'bulk' }, deps.config))
  return to.length
}

/** The requester hears the decision (nothing when they have no address on file). */
export async function sendDecision(tx: Tx, deps: Deps, e: { id: number; title: string; startsAt: Date; userId: number | null }, approved: boolean): Promise<boolean> {
  if (e.userId === null) return false
  const to = notificationEmail(await emailsOf(tx, e.userId))
  if (!to) return false
  await mailOf(deps).enqueue(tx, composeEmail(eventDecisionEmail, { id: e.id, title: e.title, when: fmtWhen(e.startsAt, deps.config.schoolTz), approved },
    { to, key: `event-${e.id}-${approved ? 'approved' : 'rejected'}`, audience: 'personal' }, deps.config))
  return true
}
