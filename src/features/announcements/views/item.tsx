import { fmtDateTime, trustedHtml } from '../../../platform/html/components.tsx'
import { renderMemo } from '../../../platform/html/render-memo.ts'
import { displayName } from '../../users/names.ts'
import type { AnnouncementRow } from '../announcements.sql.ts'
import type { AnnouncementEntry, Entry } from '../feed.ts'
import { isNever } from '../form.ts'

// One announcement as the feed, the archive and its own page show it. The same partial answers
// the htmx hide/show request, replacing itself.

export type ItemOpts = { tz: string; now: Date; level?: 1 | 2 | 3; next?: string; single?: boolean }

export const authorOf = (r: Pick<AnnouncementRow, 'author' | 'posterFirst' | 'posterLast' | 'posterNickname'>) =>
  r.author || (r.posterLast !== null ? displayName({ firstName: r.posterFirst ?? '', lastName: r.posterLast ?? '', nickname: r.posterNickname }) : '')

function Heading({ r, level, single }: { r: AnnouncementRow; level: 1 | 2 | 3; single?: boolean }) {
  const id = `announcement-${r.id}-title`
  const inner = (
    <>
      {single ? <span safe>{r.title}</span> : <a href={`/announcements/${r.id}`} safe>{r.title}</a>}
    </>
  )
  return level === 1 ? <h1 id={id}>{inner}</h1> : level === 2 ? <h2 id={id}>{inner}</h2> : <h3 id={id}>{inner}</h3>
}

/** Subscribe or unsubscribe from the post's club (the eighth feature's routes decide who may). */
function ClubSubscription({ r }: { r: AnnouncementRow }) {
  if (r.activityId === null || (!r.subscribed && !r.clubSubscriptions)) return ''
  const action = `/eighth/activity/${r.activityId}/${r.subscribed ? 'unsubscribe' : 'subscribe'}`
  return (
    <form method="post" action={action}>
      <button type="submit" class="link" safe>{`${r.subscribed ? 'Unsubscribe from' : 'Subscribe to'} ${r.activityName ?? 'this club'}`}</button>
    </form>
  )
}

function HideForm({ r, next, level }: { r: AnnouncementRow; next: string; level: number }) {
  const action = r.hidden ? '/announcements/show' : '/announcements/hide'
  return (
    <form method="post" action={action} hx-post={action} hx-target={`#announcement-${r.id}`} hx-swap="outerHTML">
      <input type="hidden" name="announcement_id" value={String(r.id)} />
      <input type="hidden" name="next" value={next} />
      {level === 2 ? <input type="hidden" name="level" value="2" /> : ''}
      <button type="submit" class="link" aria-label={`${r.hidden ? 'Show' : 'Hide'} “${r.title}”`}>{r.hidden ? 'Show' : 'Hide'}</button>
    </form>
  )
}

export function AnnouncementItem({ e, o }: { e: AnnouncementEntry; o: ItemOpts }) {
  const r = e.row
  const expired = r.expirationDate.getTime() <= o.now.getTime()
  const by = authorOf(r)
  const modify = r.activityId !== null ? `/announcements/club/modify/${r.id}` : `/announcements/modify/${r.id}`
  const classes = ['announcement', 'card', r.pinned ? 'pinned' : '', r.hidden ? 'collapsed' : '', r.activityId !== null ? 'club' : ''].filter(Boolean).join(' ')
  return (
    <article class={classes} id={`announcement-${r.id}`} aria-labelledby={`announcement-${r.id}-title`}>
      <header>
        <Heading r={r} level={o.level ?? 3} single={o.single} />
        <p class="meta muted">
          {by ? <span safe>{by}</span> : ''}
          {by ? ' · ' : ''}
          <time datetime={r.added.toISOString()} safe>{fmtDateTime(r.added, o.tz)}</time>
          {r.activityName ? <> · <a href={`/eighth/activity/${r.activityId}`} safe>{r.activityName}</a></> : ''}
          {r.groups.length ? <span safe>{` · To ${r.groups.map((g) => g.name).join(', ')}`}</span> : ''}
          {expired ? <> <span class="badge warn">Expired</span></> : ''}
          {r.pinned ? <> <span class="badge">Pinned</span></> : ''}
        </p>
      </header>
      {r.hidden ? '' : <div class="rich">{trustedHtml(r.content)}</div>}
      {!r.hidden && (r.submitted || r.approved) ? (
        <p class="muted small">{r.submitted ? 'You submitted this announcement.' : 'You approved this announcement.'}</p>
      ) : ''}
      {!r.hidden && e.canModify && !isNever(r.expirationDate) && !expired ? (
        <p class="muted small" safe>{`Expires ${fmtDateTime(r.expirationDate, o.tz)}`}</p>
      ) : ''}
      <footer class="actions">
        {o.single ? '' : <HideForm r={r} next={o.next ?? '/'} level={o.level ?? 3} />}
        <ClubSubscription r={r} />
        {e.canModify ? <a href={modify} aria-label={`Edit “${r.title}”`}>Edit</a> : ''}
        {e.canModify ? <a href={`/announcements/delete/${r.id}`} aria-label={`Expire or delete “${r.title}”`}>{expired ? 'Delete' : 'Expire'}</a> : ''}
      </footer>
    </article>
  )
}

/**
 * Everything AnnouncementItem shows but the text (compared on a hit): the memo's key. A field the
 * item starts to show belongs here too.
 */
function itemKey(e: AnnouncementEntry, o: ItemOpts): string {
  const r = e.row
  return JSON.stringify([
    r.id, r.title, authorOf(r), r.added.getTime(), r.activityId, r.activityName, r.groups.map((g) => g.name), r.pinned, r.hidden, r.submitted,
    r.approved, r.subscribed, r.clubSubscriptions, r.expirationDate.getTime(), r.expirationDate.getTime() <= o.now.getTime(), e.canModify,
    o.tz, o.level ?? 3, o.next ?? '/', o.single ?? false,
  ])
}

/** One post as many viewers see it in the feed: rendered once per key (render-memo.ts). */
const items = renderMemo(2000, 16_000_000)

/** A list of entries: announcements here, other features' items as they rendered them. */
export async function renderEntries(entries: Entry[], o: ItemOpts): Promise<string> {
  const parts = entries.map((e) => (e.kind === 'announcement'
    ? items.get(itemKey(e, o), e.row.content, () => (<AnnouncementItem e={e} o={o} />) as string)
    : e.item.render()))
  // Awaited only when some source renders asynchronously (a page's worth of promises is measurable).
  return (parts.some((p) => typeof p !== 'string') ? await Promise.all(parts) : (parts as string[])).join('')
}

/** "Load more": htmx swaps the next page in for this button; without JavaScript it is a link to that page. */
export function LoadMore({ href, hx }: { href: string; hx: string }) {
  return (
    <div class="load-more">
      <a class="button secondary" href={href} hx-get={hx} hx-target="closest .load-more" hx-swap="outerHTML">Load more</a>
    </div>
  )
}
