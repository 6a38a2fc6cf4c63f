import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { isAnnouncementAdmin, scopeOf } from './access.ts'
import { dashboardRows, feedRows, type AnnouncementRow, type ClubFilter, type DashboardRow } from './announcements.sql.ts'
import type { Pending } from './requests.sql.ts'
import { modifiableClubs } from './club.sql.ts'

// The dashboard feed (ion-apps.md §7): announcements plus whatever other features add, pinned
// first then newest (newest only in the archive and "show all"), 15 a page.
//
// Other features plug in here, per app (no module-level state):
//
//   feedSources(deps).push({ id: 'events', items: async (ctx) => [...] })
//       items: up to ctx.limit of YOUR newest items visible to ctx.viewer, each
//       { key: 'event-12', pinned: false, at: <added Date>, render: () => '<article …>' }
//       (rendered HTML, every value escaped). The feed merges, sorts and pages them.
//   feedBanners(deps).push({ id: 'emergency', order: 10, render: async (ctx) => '<div …>' | '' })
//       banners above the feed on the dashboard (warnings, emergency messages).

export type FeedCtx = { deps: Deps; viewer: Viewer; now: Date; today: string; showExpired: boolean; showAll: boolean; limit: number }
export type FeedItem = { key: string; pinned: boolean; at: Date; render: () => string | Promise<string> }
export type FeedSource = { id: string; items: (ctx: FeedCtx) => Promise<FeedItem[]> }
export type FeedBanner = { id: string; order: number; render: (ctx: FeedCtx) => string | Promise<string> }

type FeedRegistry = { sources: FeedSource[]; banners: FeedBanner[] }
const perApp = new WeakMap<object, FeedRegistry>()

function registry(deps: Pick<Deps, 'registries'>): FeedRegistry {
  let r = perApp.get(deps.registries)
  if (!r) perApp.set(deps.registries, (r = { sources: [], banners: [] }))
  return r
}

/** Other features' feed items (events). Push into the array this returns. */
export const feedSources = (deps: Pick<Deps, 'registries'>): FeedSource[] => registry(deps).sources
/** Banners above the dashboard feed. Push into the array this returns. */
export const feedBanners = (deps: Pick<Deps, 'registries'>): FeedBanner[] => registry(deps).banners

export const PER_PAGE = 15
export const MAX_PAGE = 200

export type FeedOptions = { page: number; showExpired: boolean; showAll: boolean; withSources: boolean; club?: ClubFilter }

export type AnnouncementEntry = { kind: 'announcement'; row: AnnouncementRow; canModify: boolean }
export type ForeignEntry = { kind: 'item'; item: FeedItem }
export type Entry = AnnouncementEntry | ForeignEntry
export type FeedPage = { entries: Entry[]; more: boolean; page: number }

/** Which rows the viewer may edit or expire: admins all, club modifiers their club's (one statement). */
export async function withPermissions(deps: Deps, viewer: Viewer, rows: AnnouncementRow[]): Promise<AnnouncementEntry[]> {
  const admin = isAnnouncementAdmin(viewer)
  const clubs = admin ? new Set<number>() : await modifiableClubs(deps.sql, [...new Set(rows.flatMap((r) => (r.activityId === null ? [] : [r.activityId])))], viewer.id)
  return rows.map((row) => ({ kind: 'announcement' as const, row, canModify: admin || (row.activityId !== null && clubs.has(row.activityId)) }))
}

const sortKey = (byAdded: boolean) => (x: { pinned: boolean; at: Date; key: string }, y: { pinned: boolean; at: Date; key: string }) =>
  (!byAdded && x.pinned !== y.pinned ? (x.pinned ? -1 : 1) : 0) || y.at.getTime() - x.at.getTime() || (y.key < x.key ? -1 : y.key > x.key ? 1 : 0)

/**
 * One page of the feed. With no other source, announcements are paged in SQL (LIMIT/OFFSET);
 * with sources, each gives its newest page×15+1 and the merge is paged.
 */
export async function feedPage(deps: Deps, viewer: Viewer, o: FeedOptions): Promise<FeedPage> {
  const page = Math.min(Math.max(1, o.page), MAX_PAGE)
  const scope = scopeOf(deps, viewer, o.showAll)
  if (!scope) return { entries: [], more: false, page }
  const now = deps.clock.now()
  const byAdded = o.showExpired || scope.all
  const sources = o.withSources ? feedSources(deps) : []
  const query = { now, showExpired: o.showExpired, club: o.club ?? 'none', byAddedOnly: byAdded }
  if (!sources.length) {
    const rows = await feedRows(deps.sql, scope, { ...query, limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE })
    return { entries: await withPermissions(deps, viewer, rows.slice(0, PER_PAGE)), more: rows.length > PER_PAGE, page }
  }
  const limit = page * PER_PAGE + 1
  const ctx: FeedCtx = { deps, viewer, now, today: deps.clock.today(), showExpired: o.showExpired, showAll: scope.all, limit }
  const [rows, ...foreign] = await Promise.all([feedRows(deps.sql, scope, { ...query, limit, offset: 0 }), ...sources.map((s) => s.items(ctx))])
  return merged(rows, foreign, page, byAdded, (slice) => withPermissions(deps, viewer, slice))
}

/** Announcements and other sources' items merged, sorted and paged; `perms` decides who may edit the page's posts. */
async function merged(rows: AnnouncementRow[], foreign: FeedItem[][], page: number, byAdded: boolean,
  perms: (rows: AnnouncementRow[]) => AnnouncementEntry[] | Promise<AnnouncementEntry[]>): Promise<FeedPage> {
  const limit = page * PER_PAGE + 1
  type Keyed = { pinned: boolean; at: Date; key: string; row?: AnnouncementRow; item?: FeedItem }
  const all: Keyed[] = [
    ...rows.map((row) => ({ pinned: row.pinned, at: row.added, key: `announcement-${String(row.id).padStart(10, '0')}`, row })),
    ...foreign.flat().slice(0, limit * foreign.length).map((item) => ({ pinned: item.pinned, at: item.at, key: item.key, item })),
  ].sort(sortKey(byAdded))
  const slice = all.slice((page - 1) * PER_PAGE, page * PER_PAGE)
  const byId = new Map((await perms(slice.flatMap((k) => (k.row ? [k.row] : [])))).map((p) => [p.row.id, p]))
  const entries: Entry[] = slice.map((k) => (k.row ? byId.get(k.row.id)! : { kind: 'item' as const, item: k.item! }))
  return { entries, more: all.length > page * PER_PAGE, page }
}

export type DashboardFeed = { page: FeedPage; club: AnnouncementEntry[]; pending: Pending }

/**
 * The dashboard's feed, club box and approval counts: one statement for the announcements
 * (dashboardRows), run beside the other sources' items. The same entries as feedPage's first page
 * with sources and clubBox, with the same permissions (withPermissions' rule, read in that statement).
 */
export async function dashboardFeed(deps: Deps, viewer: Viewer): Promise<DashboardFeed> {
  const scope = scopeOf(deps, viewer)
  if (!scope) return { page: { entries: [], more: false, page: 1 }, club: [], pending: { forMe: 0, awaitingAdmin: 0, awaitingTeacher: 0 } }
  const admin = isAnnouncementAdmin(viewer)
  const now = deps.clock.now()
  const sources = feedSources(deps)
  const ctx: FeedCtx = { deps, viewer, now, today: deps.clock.today(), showExpired: false, showAll: false, limit: PER_PAGE + 1 }
  const [d, ...foreign] = await Promise.all([
    dashboardRows(deps.sql, scope, { now, feedLimit: PER_PAGE + 1, clubLimit: PER_PAGE, admin }),
    ...sources.map((s) => s.items(ctx)),
  ])
  const entry = (row: DashboardRow): AnnouncementEntry => ({ kind: 'announcement', row, canModify: admin || (row.activityId !== null && row.clubModifiable) })
  const byRow = new Map(d.feed.map((r) => [r as AnnouncementRow, entry(r)]))
  const page = sources.length
    ? await merged(d.feed, foreign, 1, false, (slice) => slice.map((r) => byRow.get(r)!))
    : { entries: d.feed.slice(0, PER_PAGE).map(entry), more: d.feed.length > PER_PAGE, page: 1 }
  return { page, club: d.club.map(entry), pending: d.pending }
}

/** Registered banners, in order (a failing banner is left out, not the page). */
export async function renderBanners(deps: Deps, viewer: Viewer): Promise<string[]> {
  const list = [...feedBanners(deps)].sort((a, b) => a.order - b.order)
  const ctx: FeedCtx = { deps, viewer, now: deps.clock.now(), today: deps.clock.today(), showExpired: false, showAll: false, limit: PER_PAGE }
  const out = await Promise.all(list.map(async (b) => {
    try {
      return await b.render(ctx)
    } catch (e) {
      deps.log.error('feed banner failed', { id: b.id, error: String(e).slice(0, 500) })
      return ''
    }
  }))
  return out.filter(Boolean)
}
