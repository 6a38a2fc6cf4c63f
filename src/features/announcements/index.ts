import { Elysia } from 'elysia'
import { depsOf, type Base } from '../../platform/http.ts'
import { richTextExcerpt } from '../../platform/richtext.ts'
import { isRestricted } from '../../platform/viewer.ts'
import { registerSearchSection } from '../directory/index.ts'
import { isAnnouncementAdmin, scopeOf } from './access.ts'
import { searchRows } from './announcements.sql.ts'
import { announcementsApi } from './api.ts'
import { adminRoutes } from './routes-admin.tsx'
import { clubPostRoutes } from './routes-club.tsx'
import { feedRoutes, renderFeedWidget } from './routes-feed.tsx'
import { requestRoutes } from './routes-request.tsx'

export { feedBanners, feedSources, type FeedBanner, type FeedCtx, type FeedItem, type FeedSource } from './feed.ts'

const SEARCH_HITS = 20

/**
 * Announcements (ion-apps.md §8): the dashboard feed (the main column, after the who-widget),
 * posts, requests and approvals, club posts, hiding, the search section and the API.
 */
export function announcementsFeature(base: Base) {
  const deps = depsOf(base)
  const reg = deps.registries
  reg.dashboard.push({ id: 'feed', order: 50, visible: (v) => !isRestricted(v), render: ({ viewer }) => renderFeedWidget(deps, viewer) })
  reg.admin.push(
    { href: '/announcements/add', label: 'Post an announcement', group: 'News', visible: isAnnouncementAdmin },
    { href: '/announcements/admin_status', label: 'Announcement requests', group: 'News', visible: isAnnouncementAdmin },
  )
  registerSearchSection(reg, {
    id: 'announcements', title: 'Announcements', order: 20, visible: (v) => !isRestricted(v),
    find: async ({ viewer, words, now }) => {
      const scope = scopeOf(deps, viewer)
      if (!scope) return []
      const rows = await searchRows(deps.sql, scope, words, now, SEARCH_HITS)
      return rows.map((r) => ({ title: r.title, href: `/announcements/${r.id}`, detail: richTextExcerpt(r.content, 160) || undefined }))
    },
  })
  return new Elysia({ name: 'announcements' })
    .use(feedRoutes(base))
    .use(adminRoutes(base))
    .use(requestRoutes(base))
    .use(clubPostRoutes(base))
    .use(announcementsApi(base))
}
