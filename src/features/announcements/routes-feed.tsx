import { Elysia } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base, Deps } from '../../platform/http.ts'
import { trustedHtml } from '../../platform/html/components.tsx'
import { isPartial } from '../../platform/html/page.tsx'
import { redirect, safeNext } from '../../platform/redirect.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { isAnnouncementAdmin, mayModify, NOT_FOUND, scopeOf } from './access.ts'
import { announcementRow } from './announcements.sql.ts'
import { dashboardFeed, feedPage, renderBanners } from './feed.ts'
import { one, formOf } from './form.ts'
import { setHide } from './posts.ts'
import { act, ctx, flashOf, idParam, itemOpts, page, pageParam, truthy, type Ctx } from './route-kit.tsx'
import { FeedChunk, FeedLinks, FeedList, FeedWidget, type FeedFlags } from './views/feed.tsx'
import { AnnouncementItem } from './views/item.tsx'

// The feed pages: /announcements (and its archive), /announcements/club, the htmx "load more"
// fragment, one announcement, and hide/show. The dashboard widget renders the same partials.

function flagsOf(c: Ctx): FeedFlags {
  const q = c.query
  const club = c.path.startsWith('/announcements/club') || q.club !== undefined
  return {
    mode: club ? 'club' : q.feed === 'dashboard' ? 'dashboard' : 'announcements',
    showExpired: c.path === '/announcements/archive' || truthy(q.show_expired),
    showAll: truthy(q.show_all) && isAnnouncementAdmin(c.viewer),
    tab: q.club === 'unsubscribed' || q.tab === 'unsubscribed' ? 'unsubscribed' : 'subscribed',
  }
}

const pageOf = (c: Ctx, f: FeedFlags, n: number) => feedPage(c.deps, c.viewer, {
  page: n, showExpired: f.showExpired, showAll: f.showAll, withSources: f.mode === 'dashboard', club: f.mode === 'club' ? f.tab : 'none',
})

/** The dashboard's main column (registered as the 'feed' widget). */
export async function renderFeedWidget(deps: Deps, viewer: Viewer): Promise<string> {
  const admin = isAnnouncementAdmin(viewer)
  const flags: FeedFlags = { mode: 'dashboard', showExpired: false, showAll: false }
  const [{ page: p, club, pending }, banners] = await Promise.all([dashboardFeed(deps, viewer), renderBanners(deps, viewer)])
  return FeedWidget({ v: { flags, page: p, club, banners, pending, admin, o: { tz: deps.config.schoolTz, now: deps.clock.now(), next: '/' } } })
}

async function listPage(c: Ctx) {
  const f = flagsOf(c)
  const n = pageParam(c.query.page)
  const p = await pageOf(c, f, n)
  const admin = isAnnouncementAdmin(c.viewer)
  const title = f.mode === 'club' ? 'Club announcements' : f.showExpired ? 'Announcement archive' : 'Announcements'
  const self = f.mode === 'club' ? '/announcements/club' : '/announcements'
  const next = `${self}?${new URLSearchParams(Object.entries(c.query).filter(([, v]) => v !== undefined) as [string, string][]).toString()}`
  const list = await FeedList({ p, f, o: itemOpts(c, { next, level: 2 }), empty: f.mode === 'club' ? 'No club announcements here.' : f.showExpired ? 'The archive is empty.' : 'There are no announcements right now.' })
  return page(c, title, (
    <section class="feed-page" aria-labelledby="feed-h">
      <h1 id="feed-h">{n > 1 ? `${title} · page ${n}` : title}</h1>
      <FeedLinks admin={admin} mode={f.mode === 'club' ? 'club' : 'announcements'} />
      {f.mode === 'club' ? (
        <nav class="tabs" aria-label="Club announcements">
          <a href="/announcements/club" aria-current={f.tab === 'subscribed' ? 'page' : undefined}>Your clubs</a>
          <a href="/announcements/club?tab=unsubscribed" aria-current={f.tab === 'unsubscribed' ? 'page' : undefined}>Other clubs</a>
          <a href="/announcements/club/add">Post a club announcement</a>
        </nav>
      ) : admin ? (
        <p class="actions">
          {f.showAll ? <a href={f.showExpired ? '/announcements/archive' : '/announcements'}>Show only what you can see</a>
            : <a href={`${f.showExpired ? '/announcements/archive' : '/announcements'}?show_all=1`}>Show every announcement (admin)</a>}
        </p>
      ) : ''}
      {trustedHtml(list)}
    </section>
  ), flashOf(c))
}

async function hideOrShow(c: Ctx, hidden: boolean) {
  const f = formOf(c.body)
  const raw = one(f, 'announcement_id')
  if (!/^\d{1,9}$/.test(raw)) throw new HttpError(404, NOT_FOUND)
  const r = await setHide(act(c), Number(raw), hidden)
  if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
  if (!isPartial(c.request)) {
    const next = one(f, 'next')
    if (!next) return new Response(hidden ? 'Hidden' : 'Unhidden', { headers: { 'content-type': 'text/plain; charset=utf-8' } })
    return redirect(c.request, `${safeNext(next)}#announcement-${raw}`)
  }
  const canModify = await mayModify(c.deps, c.viewer, r.value)
  return page(c, r.value.title, <AnnouncementItem e={{ kind: 'announcement', row: r.value, canModify }} o={itemOpts(c, { next: safeNext(one(f, 'next')), level: one(f, 'level') === '2' ? 2 : 3 })} />)
}

export function feedRoutes(base: Base) {
  return new Elysia({ name: 'announcements-feed' })
    .use(base)
    .get('/announcements', (c) => listPage(ctx(c)), { policy: 'member' })
    .get('/announcements/archive', (c) => listPage(ctx(c)), { policy: 'member' })
    .get('/announcements/club', (c) => listPage(ctx(c)), { policy: 'member' })
    .get('/announcements/feed', async (c) => {
      const x = ctx(c)
      const f = flagsOf(x)
      const n = pageParam(x.query.page)
      const qs = new URLSearchParams(Object.entries(x.query).filter(([, v]) => v !== undefined) as [string, string][]).toString()
      if (!isPartial(x.request)) return redirect(x.request, `${f.mode === 'club' ? '/announcements/club' : '/announcements'}?${qs}`)
      const next = f.mode === 'dashboard' ? '/' : `/announcements?${qs}`
      return page(x, 'Announcements', trustedHtml(await FeedChunk({ p: await pageOf(x, f, n), f, o: itemOpts(x, { next, level: f.mode === 'dashboard' ? 3 : 2 }) })))
    }, { policy: 'member' })
    .post('/announcements/hide', (c) => hideOrShow(ctx(c), true), { policy: 'member' })
    .post('/announcements/show', (c) => hideOrShow(ctx(c), false), { policy: 'member' })
    .get('/announcements/:id', async (c) => {
      const x = ctx(c)
      if (x.params.id === 'hide' || x.params.id === 'show') throw new HttpError(405, 'That action is not allowed here.')
      const id = idParam(x)
      const scope = scopeOf(x.deps, x.viewer, isAnnouncementAdmin(x.viewer))
      const row = scope ? await announcementRow(x.deps.sql, id, x.viewer.id, scope) : null
      if (!row) throw new HttpError(404, NOT_FOUND)
      const canModify = await mayModify(x.deps, x.viewer, row)
      const sent = x.query.sent !== undefined && /^\d{1,7}$/.test(x.query.sent) ? ` Emailed ${x.query.sent} ${x.query.sent === '1' ? 'person' : 'people'}.` : ''
      const flash = flashOf(x)
      return page(x, row.title, (
        <>
          <p class="back"><a href="/">← Dashboard</a></p>
          <AnnouncementItem e={{ kind: 'announcement', row: { ...row, hidden: false }, canModify }} o={itemOpts(x, { level: 1, single: true })} />
        </>
      ), flash ? flash + sent : undefined)
    }, { policy: 'member' })
}
