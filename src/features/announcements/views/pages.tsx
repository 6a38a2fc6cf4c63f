import { fmtDateTime, Notice, trustedHtml } from '../../../platform/html/components.tsx'
import { displayName } from '../../users/names.ts'
import type { AnnouncementRow } from '../announcements.sql.ts'
import { isNever } from '../form.ts'
import type { RequestBrief, RequestRow } from '../requests.sql.ts'

// The smaller announcement pages: expire/delete confirmation, the request pages' details and
// confirmations, the teacher's queue and the admin status page.

export function DeleteConfirm({ r, admin, expired }: { r: AnnouncementRow; admin: boolean; expired: boolean }) {
  const action = `/announcements/delete/${r.id}`
  return (
    <section class="card narrow" aria-labelledby="del-title">
      <h1 id="del-title" safe>{expired ? `Delete “${r.title}”?` : `Expire “${r.title}”?`}</h1>
      <p>{expired ? 'It has already expired and is only in the archive.' : 'Expiring removes it from the dashboard now; it stays in the archive.'}</p>
      <form method="post" action={action} class="actions">
        {expired ? '' : <button type="submit">Expire it now</button>}
        {admin ? <button type="submit" name="full_delete" value="1" class="danger" data-confirm="Delete this announcement for good? This cannot be undone.">Delete for good</button> : ''}
        <a href={`/announcements/${r.id}`}>Cancel</a>
      </form>
    </section>
  )
}

const who = (first: string | null, last: string | null, nick: string | null) => (last !== null ? displayName({ firstName: first ?? '', lastName: last, nickname: nick }) : 'A former user')

const STATE_LABEL = { requested: 'waiting', approved: 'approved', rejected: 'rejected' } as const

/** What an approver sees above the form: who asked, whom, their notes and the text as it will look. */
export function RequestFacts({ r, tz }: { r: RequestRow; tz: string }) {
  return (
    <section class="card" aria-labelledby="req-facts">
      <h2 id="req-facts">Request</h2>
      <dl class="facts">
        <dt>Requested by</dt><dd safe>{who(r.requesterFirst, r.requesterLast, r.requesterNickname)}</dd>
        <dt>Submitted</dt><dd safe>{fmtDateTime(r.added, tz)}</dd>
        <dt>Teachers</dt>
        <dd safe>{r.teachers.map((t) => `${displayName({ firstName: t.firstName, lastName: t.lastName, nickname: t.nickname })} (${STATE_LABEL[t.state]})`).join(', ')}</dd>
        <dt>Expires</dt><dd safe>{isNever(r.expirationDate) ? 'Never' : fmtDateTime(r.expirationDate, tz)}</dd>
        {r.notes ? <><dt>Notes</dt><dd class="pre" safe>{r.notes}</dd></> : ''}
        {r.postedId !== null ? <><dt>Status</dt><dd><a href={`/announcements/${r.postedId}`}>Posted</a></dd></> : ''}
        {r.rejected ? <><dt>Status</dt><dd>Rejected by an administrator</dd></> : ''}
      </dl>
      <h3>Preview</h3>
      <div class="rich preview">{trustedHtml(r.content)}</div>
    </section>
  )
}

export function RequestSent({ self }: { self: boolean }) {
  return (
    <section class="card narrow" aria-labelledby="sent-title">
      <h1 id="sent-title">Request sent</h1>
      {self ? (
        <p>Because you approved it yourself, it now goes straight to the announcement administrators, who will post it soon.</p>
      ) : (
        <p>The teachers you chose have been emailed. Once one of them approves it, an administrator will post it.</p>
      )}
      <p class="actions"><a href="/announcements/request/mine">Your requests</a> <a href="/">Back to the dashboard</a></p>
    </section>
  )
}

function state(b: RequestBrief): string {
  if (b.postedId !== null) return 'Posted'
  if (b.rejected) return 'Rejected'
  return b.approvals ? 'Waiting for an administrator' : 'Waiting for a teacher'
}

/** Requests as a list (phones first): the title, who asked and when, and optionally the state. */
function BriefList({ rows, tz, href, empty, caption, states }: { rows: RequestBrief[]; tz: string; href: (b: RequestBrief) => string; empty: string; caption: string; states?: boolean }) {
  if (!rows.length) return <p class="muted" safe>{empty}</p>
  return (
    <ul class="request-list" aria-label={caption}>
      {rows.map((b) => (
        <li>
          <a href={href(b)} safe>{b.title}</a>
          <span class="muted" safe>{`${who(b.requesterFirst, b.requesterLast, null)} · ${fmtDateTime(b.added, tz)}`}</span>
          {states ? <span class="badge" safe>{state(b)}</span> : ''}
        </li>
      ))}
    </ul>
  )
}

/** Ion's admin_status: this school year's requests in four buckets. */
export function AdminStatus({ rows, tz }: { rows: RequestBrief[]; tz: string }) {
  const open = rows.filter((b) => b.postedId === null && !b.rejected)
  const buckets: [string, string, RequestBrief[], string][] = [
    ['awaiting-admin', 'Waiting for admin approval', open.filter((b) => b.approvals > 0), 'None are waiting for you.'],
    ['awaiting-teacher', 'Waiting for teacher approval', open.filter((b) => b.approvals === 0), 'None are waiting for a teacher.'],
    ['approved', 'Approved', rows.filter((b) => b.postedId !== null), 'None posted this year yet.'],
    ['rejected', 'Rejected', rows.filter((b) => b.rejected), 'None rejected this year.'],
  ]
  return (
    <>
      <h1>Announcement requests</h1>
      <p class="actions"><a href="/announcements/add">Post an announcement</a> <a href="/announcements">Announcements</a></p>
      {buckets.map(([id, title, list, empty]) => (
        <section class="card" id={id} aria-labelledby={`${id}-h`}>
          <h2 id={`${id}-h`} safe>{`${title} (${list.length})`}</h2>
          <BriefList rows={list} tz={tz} caption={title} empty={empty} href={(b) => (b.postedId !== null ? `/announcements/${b.postedId}` : `/announcements/admin_approve/${b.id}`)} />
        </section>
      ))}
    </>
  )
}

/** A teacher's requests: the ones waiting for them, then the ones they decided. */
export function TeacherQueue({ rows, tz, flash }: { rows: RequestBrief[]; tz: string; flash?: string }) {
  const waiting = rows.filter((b) => b.myState === 'requested' && b.postedId === null && !b.rejected)
  const decided = rows.filter((b) => !waiting.includes(b))
  return (
    <>
      <h1>Requests for your approval</h1>
      {flash ? <Notice kind="ok"><p safe>{flash}</p></Notice> : ''}
      <section class="card" aria-labelledby="q-wait">
        <h2 id="q-wait">Waiting for you</h2>
        <BriefList rows={waiting} tz={tz} caption="Waiting for you" empty="Nothing is waiting for your approval." href={(b) => `/announcements/approve/${b.id}`} />
      </section>
      <section class="card" aria-labelledby="q-done">
        <h2 id="q-done">Already decided</h2>
        <BriefList states rows={decided} tz={tz} caption="Already decided" empty="You have not decided any requests yet." href={(b) => (b.postedId !== null ? `/announcements/${b.postedId}` : `/announcements/approve/${b.id}`)} />
      </section>
    </>
  )
}

export function MyRequests({ rows, tz }: { rows: RequestBrief[]; tz: string }) {
  return (
    <>
      <h1>Your announcement requests</h1>
      <p><a href="/announcements/request">Request another announcement</a></p>
      <section class="card">
        <BriefList states rows={rows} tz={tz} caption="Your requests" empty="You have not requested any announcements." href={(b) => (b.postedId !== null ? `/announcements/${b.postedId}` : '/announcements/request/mine')} />
      </section>
    </>
  )
}
