import type { Tx } from '../../platform/db.ts'
import type { Deps } from '../../platform/http.ts'
import { composeEmail, defineEmail, mailOf, selectRecipients, type EmailBlock } from '../../platform/mail/index.ts'
import { richTextToPlain } from '../../platform/richtext.ts'
import { displayName } from '../users/names.ts'
import { seniorYear } from '../users/grade.ts'
import { addressesOf, announcementAdmins, clubAudience, postAudience } from './recipients.sql.ts'

// Every email announcements send, each enqueued in the transaction that made the change (Ion's
// notifications.py): the request to the chosen teachers, "approval needed" to announcement admins,
// approved/rejected to the requester (and approving teachers), and the post itself to its
// audience, honouring receive_news_emails unless an admin chose "email everyone" (audited).

/** Rich text as email blocks: paragraphs, and "- item" runs as lists. */
export function contentBlocks(html: string, baseUrl: string): EmailBlock[] {
  return richTextToPlain(html, baseUrl).split(/\n{2,}/).map((para): EmailBlock => {
    const lines = para.split('\n').filter(Boolean)
    return lines.every((l) => l.startsWith('- ')) ? { list: lines.map((l) => l.slice(2)) } : { p: lines.join(' ') }
  }).filter((b) => ('p' in b ? b.p.trim() : true))
}

type PostData = { id: number; title: string; content: string; author: string; baseUrl: string; club: string | null }

export const postedEmail = defineEmail('announcements.posted', (d: PostData) => ({
  subject: d.club ? `Club Announcement for ${d.club}: ${d.title}` : `Announcement: ${d.title}`,
  heading: d.title,
  blocks: [
    ...(d.author ? [{ note: `From ${d.author}` }] : []),
    ...contentBlocks(d.content, d.baseUrl),
    { link: { href: `/announcements/${d.id}`, label: 'Read it on the intranet' } },
  ],
}))

type RequestData = { id: number; title: string; requester: string; content: string; notes: string; baseUrl: string }

export const requestEmail = defineEmail('announcements.request', (d: RequestData) => ({
  subject: `News Post Confirmation Request from ${d.requester}`,
  heading: 'An announcement needs your approval',
  blocks: [
    { p: `${d.requester} asked you to approve this announcement before it goes to an administrator.` },
    { facts: [['Title', d.title], ...(d.notes ? [['Notes', d.notes] as [string, string]] : [])] },
    ...contentBlocks(d.content, d.baseUrl),
    { link: { href: `/announcements/approve/${d.id}`, label: 'Review the request' } },
  ],
}))

export const approvalNeededEmail = defineEmail('announcements.approval_needed', (d: RequestData & { approvedBy: string }) => ({
  subject: `News Post Approval Needed (${d.title})`,
  heading: 'An announcement request is ready to post',
  blocks: [
    { facts: [['Title', d.title], ['Requested by', d.requester], ['Approved by', d.approvedBy], ...(d.notes ? [['Notes', d.notes] as [string, string]] : [])] },
    ...contentBlocks(d.content, d.baseUrl),
    { link: { href: `/announcements/admin_approve/${d.id}`, label: 'Review and post' } },
  ],
}))

export const approvedEmail = defineEmail('announcements.approved', (d: { announcementId: number; title: string; role: 'submitted' | 'approved' }) => ({
  subject: `Announcement Approved: ${d.title}`,
  heading: 'Your announcement was posted',
  blocks: [
    { p: d.role === 'submitted' ? `The announcement you submitted, “${d.title}”, has been approved and posted.` : `The announcement you approved, “${d.title}”, has been posted.` },
    { link: { href: `/announcements/${d.announcementId}`, label: 'See the announcement' } },
  ],
}))

export const rejectedEmail = defineEmail('announcements.rejected', (d: { title: string }) => ({
  subject: `Announcement Request Rejected: ${d.title}`,
  heading: 'Your announcement request was not approved',
  blocks: [
    { p: `An administrator did not approve your announcement request “${d.title}”.` },
    { p: 'You can submit a new request if you would like to change it and try again.' },
    { link: { href: '/announcements/request', label: 'Request an announcement' } },
  ],
}))

const nameOf = (p: { firstName: string | null; lastName: string | null; nickname: string | null }) =>
  displayName({ firstName: p.firstName ?? '', lastName: p.lastName ?? '', nickname: p.nickname })

export type SentCount = { to: number; skipped: number; overridden: number }

/**
 * The post's email, when it asks for one: a club post to its club's subscribers (if the club has
 * subscriptions on), any other post to its audience; `everyone` ignores opt-outs and is audited.
 */
export async function sendPosted(
  tx: Tx, deps: Deps, p: { id: number; title: string; content: string; author: string; activityId: number | null; activityName: string | null; subscriptionsEnabled?: boolean; everyone: boolean },
  actorId: number, key: string,
): Promise<SentCount> {
  const now = deps.clock.now()
  const senior = seniorYear(deps.clock.today(), deps.config.yearTurnoverMonth)
  const people = p.activityId !== null
    ? (p.subscriptionsEnabled ? await clubAudience(tx, p.activityId, senior) : [])
    : await postAudience(tx, p.id, senior)
  // Ion: club mail goes to subscribed teachers whatever their news preference; students choose.
  const recipients = people.map((x) => ({ address: x.address, optedOut: !x.receiveNewsEmails && !(p.activityId !== null && x.userType !== 'student') }))
  const override = p.everyone && p.activityId === null ? { actorId, reason: `Announcement ${p.id} “${p.title}” sent to everyone (email everyone)` } : undefined
  const sel = await selectRecipients(tx, recipients, { kind: postedEmail.kind, now, override })
  if (sel.to.length) {
    await mailOf(deps).enqueue(tx, composeEmail(postedEmail, { id: p.id, title: p.title, content: p.content, author: p.author, baseUrl: deps.config.baseUrl, club: p.activityName },
      { to: sel.to, key, audience: 'bulk' }, deps.config))
  }
  return { to: sel.to.length, skipped: sel.skipped, overridden: sel.overridden }
}

type ReqLike = { id: number; title: string; content: string; notes: string; requesterFirst: string | null; requesterLast: string | null; requesterNickname: string | null }

const requestData = (deps: Deps, r: ReqLike): RequestData => ({
  id: r.id, title: r.title, content: r.content, notes: r.notes, baseUrl: deps.config.baseUrl,
  requester: nameOf({ firstName: r.requesterFirst, lastName: r.requesterLast, nickname: r.requesterNickname }) || 'Someone',
})

/** To each teacher asked (their school address), one personal email each. */
export async function sendRequestToTeachers(tx: Tx, deps: Deps, r: ReqLike, teacherIds: number[]): Promise<number> {
  const people = await addressesOf(tx, teacherIds, deps.config.schoolEmailDomains)
  let n = 0
  for (const t of people) {
    const to = t.schoolAddress ?? t.address
    if (!to) continue
    await mailOf(deps).enqueue(tx, composeEmail(requestEmail, requestData(deps, r), { to, key: `ann-request-${r.id}-teacher-${t.id}`, audience: 'personal' }, deps.config))
    n++
  }
  return n
}

export async function sendApprovalNeeded(tx: Tx, deps: Deps, r: ReqLike, approvedBy: string): Promise<number> {
  const to = (await announcementAdmins(tx)).map((a) => a.address).filter((a): a is string => !!a)
  if (!to.length) return 0
  await mailOf(deps).enqueue(tx, composeEmail(approvalNeededEmail, { ...requestData(deps, r), approvedBy }, { to, key: `ann-request-${r.id}-admins`, audience: 'bulk' }, deps.config))
  return to.length
}

/** "Announcement Approved" to the approving teachers and (separately) the submitter. */
export async function sendApproved(tx: Tx, deps: Deps, r: { id: number; userId: number | null; approvers: number[] }, announcementId: number, title: string): Promise<void> {
  const people = await addressesOf(tx, [...new Set([...r.approvers, ...(r.userId ? [r.userId] : [])])], deps.config.schoolEmailDomains)
  const teachers = people.filter((p) => r.approvers.includes(p.id) && p.id !== r.userId).map((p) => p.schoolAddress ?? p.address).filter((a): a is string => !!a)
  if (teachers.length) {
    await mailOf(deps).enqueue(tx, composeEmail(approvedEmail, { announcementId, title, role: 'approved' }, { to: teachers, key: `ann-request-${r.id}-approved-teachers` }, deps.config))
  }
  const submitter = people.find((p) => p.id === r.userId)
  const to = submitter?.address ?? submitter?.schoolAddress
  if (to) await mailOf(deps).enqueue(tx, composeEmail(approvedEmail, { announcementId, title, role: 'submitted' }, { to, key: `ann-request-${r.id}-approved-submitter`, audience: 'personal' }, deps.config))
}

export async function sendRejected(tx: Tx, deps: Deps, r: { id: number; userId: number | null; title: string }): Promise<void> {
  if (!r.userId) return
  const [p] = await addressesOf(tx, [r.userId], deps.config.schoolEmailDomains)
  const to = p?.address ?? p?.schoolAddress
  if (to) await mailOf(deps).enqueue(tx, composeEmail(rejectedEmail, { title: r.title }, { to, key: `ann-request-${r.id}-rejected`, audience: 'personal' }, deps.config))
}
