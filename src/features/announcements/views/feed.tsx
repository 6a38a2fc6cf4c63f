import { trustedHtml } from '../../../platform/html/components.tsx'
import type { AnnouncementEntry, FeedPage } from '../feed.ts'
import type { Pending } from '../requests.sql.ts'
import { LoadMore, renderEntries, type ItemOpts } from './item.tsx'

// The feed's pieces: the list with "load more", the club box, the approval counts, the links.
// The dashboard widget and /announcements use the same partials.

export type FeedMode = 'dashboard' | 'announcements' | 'club'
export type FeedFlags = { mode: FeedMode; showExpired: boolean; showAll: boolean; tab?: 'subscribed' | 'unsubscribed' }

/** The query string of a feed page (the full page and its htmx fragment share it). */
export function feedQuery(f: FeedFlags, page: number): string {
  const q = new URLSearchParams()
  q.set('page', String(page))
  if (f.mode === 'dashboard') q.set('feed', 'dashboard')
  if (f.mode === 'club') q.set('club', f.tab ?? 'subscribed')
  if (f.showExpired) q.set('show_expired', '1')
  if (f.showAll) q.set('show_all', '1')
  return q.toString()
}

const fullPath = (f: FeedFlags) => (f.mode === 'club' ? '/announcements/club' : '/announcements')

/** The items of one page, then the "load more" for the next (what the htmx fragment returns). */
export async function FeedChunk({ p, f, o }: { p: FeedPage; f: FeedFlags; o: ItemOpts }): Promise<string> {
  const items = await renderEntries(p.entries, o)
  const more = p.more ? ((<LoadMore href={`${fullPath(f)}?${feedQuery(f, p.page + 1)}`} hx={`/announcements/feed?${feedQuery(f, p.page + 1)}`} />) as string) : ''
  return items + more
}

export async function FeedList({ p, f, o, empty }: { p: FeedPage; f: FeedFlags; o: ItemOpts; empty: string }): Promise<string> {
  if (!p.entries.length) return (<p class="muted empty-feed" safe>{p.page > 1 ? 'There is nothing more to show.' : empty}</p>) as string
  return (<div class="feed-list">{trustedHtml(await FeedChunk({ p, f, o }))}</div>) as string
}

export async function ClubBox({ entries, o }: { entries: AnnouncementEntry[]; o: ItemOpts }): Promise<string> {
  if (!entries.length) return ''
  const items = await renderEntries(entries, { ...o, level: 3 })
  return (
    <details class="club-box card">
      <summary>
        <span class="club-box-title">Club announcements</span> <span class="badge" safe>{String(entries.length)}</span>
        <span class="club-box-latest muted" safe>{entries[0]!.row.title}</span>
      </summary>
      <div class="feed-list">{trustedHtml(items)}</div>
      <p><a href="/announcements/club">All club announcements</a></p>
    </details>
  ) as string
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

export function PendingBanner({ p }: { p: Pending | null }) {
  if (!p || (!p.forMe && !p.awaitingAdmin && !p.awaitingTeacher)) return ''
  return (
    <div class="alert info pending" role="status">
      <ul>
        {p.forMe ? <li><a href="/announcements/approve" safe>{`${plural(p.forMe, 'announcement request is', 'announcement requests are')} waiting for your approval`}</a></li> : ''}
        {p.awaitingAdmin ? <li><a href="/announcements/admin_status#awaiting-admin" safe>{`${plural(p.awaitingAdmin, 'request', 'requests')} waiting for admin approval`}</a></li> : ''}
        {p.awaitingTeacher ? <li><a href="/announcements/admin_status#awaiting-teacher" safe>{`${plural(p.awaitingTeacher, 'request', 'requests')} pending teacher approval`}</a></li> : ''}
      </ul>
    </div>
  )
}

export function FeedLinks({ admin, mode }: { admin: boolean; mode: FeedMode }) {
  return (
    <nav class="feed-links" aria-label="Announcements">
      <ul class="actions">
        {mode !== 'announcements' ? <li><a href="/announcements">All</a></li> : ''}
        <li><a href="/announcements/archive">Archive</a></li>
        {mode !== 'club' ? <li><a href="/announcements/club">Clubs</a></li> : ''}
        <li><a href="/announcements/request">Request a post</a></li>
        {admin ? <li><a href="/announcements/add">Post</a></li> : ''}
        {admin ? <li><a href="/announcements/admin_status">Requests</a></li> : ''}
      </ul>
    </nav>
  )
}

export type FeedView = {
  flags: FeedFlags
  page: FeedPage
  club: AnnouncementEntry[]
  banners: string[]
  pending: Pending | null
  admin: boolean
  o: ItemOpts
}

/** The dashboard's main column (the feed widget). */
export async function FeedWidget({ v }: { v: FeedView }): Promise<string> {
  return (
    <div class="feed">
      {trustedHtml(v.banners.join(''))}
      <div class="feed-head">
        <h2 id="feed-title">Announcements</h2>
        <FeedLinks admin={v.admin} mode="dashboard" />
      </div>
      <PendingBanner p={v.pending} />
      {trustedHtml(await ClubBox({ entries: v.club, o: v.o }))}
      {trustedHtml(await FeedList({ p: v.page, f: v.flags, o: v.o, empty: 'There are no announcements right now.' }))}
    </div>
  ) as string
}
