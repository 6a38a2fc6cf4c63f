import type { Viewer } from './viewer.ts'
import type { Sql } from './db.ts'
import type { Config } from '../config.ts'
import type { Clock } from './clock.ts'
import type { Logger } from './log.ts'

// Shared pages that several features fill are registries owned by one feature (DESIGN.md §2):
// features add entries here; nobody builds a second copy of the page.

export type NavItem = {
  href: string
  label: string
  order: number
  visible: (v: Viewer | null) => boolean
  /**
   * A number shown after the label (e.g. open polls not voted in), loaded once per page view:
   * only for document navigations (loadNavCounts), never for fragments, assets or the API.
   */
  count?: { load: (v: Viewer) => Promise<number>; /** The link's accessible name with the number, e.g. "Polls: 2 open polls …". */ describe: (n: number) => string }
}

/** The nav items' counts for this viewer (0 shows nothing); a failing count shows nothing. */
export async function loadNavCounts(nav: NavItem[], v: Viewer): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  await Promise.all(nav.filter((n) => n.count && n.visible(v)).map(async (n) => {
    try {
      out[n.href] = await n.count!.load(v)
    } catch {
      // The badge is a nicety: the page renders without it.
    }
  }))
  return out
}

export type WidgetCtx = { viewer: Viewer; now: Date; today: string }
export type DashboardWidget = {
  id: string
  order: number
  visible: (v: Viewer) => boolean
  render: (ctx: WidgetCtx) => Promise<string> | string
}

export type PreferencesSection = {
  id: string
  title: string
  order: number
  visible: (v: Viewer) => boolean
  render: (ctx: WidgetCtx) => Promise<string> | string
}

export type AdminLink = { href: string; label: string; group: string; visible: (v: Viewer) => boolean }

/** A section of the directory search's results (activities; announcements and events later). */
export type SearchHit = { title: string; href?: string; detail?: string }
export type SearchSectionCtx = WidgetCtx & { q: string; /** Per OR-branch, the plain words: each must match. */ words: string[][] }
export type SearchSection = {
  id: string
  title: string
  order: number
  visible: (v: Viewer) => boolean
  find: (ctx: SearchSectionCtx) => Promise<SearchHit[]>
  /** Hits keep a one-person search on the results page (Ion: activities and announcements do, events don't). Default true. */
  holdsRedirect?: boolean
}

/**
 * A banner above every page's content (the emergency message, site-wide warnings): rendered HTML
 * with every value escaped, or null. Loaded once per page view (loadBanners), like nav counts.
 */
export type Banner = { id: string; order: number; render: (v: Viewer | null) => Promise<string | null> }

/** A failing banner is left out, not the page. */
export async function loadBanners(banners: Banner[], v: Viewer | null): Promise<string[]> {
  const out = await Promise.all(byOrder(banners).map(async (b) => {
    try {
      return await b.render(v)
    } catch {
      return null
    }
  }))
  return out.filter((x): x is string => !!x)
}

/** Something on the login page below the form (login warnings, upcoming public events): rendered, escaped HTML. */
export type LoginExtra = { id: string; order: number; render: (ctx: { now: Date; today: string }) => Promise<string> | string }

export type SeedCtx = { sql: Sql; config: Config; clock: Clock; log: Logger }
export type SeedStep = { name: string; order: number; run: (ctx: SeedCtx) => Promise<string | void> }

export type Registries = {
  nav: NavItem[]
  dashboard: DashboardWidget[]
  preferences: PreferencesSection[]
  admin: AdminLink[]
  search: SearchSection[]
  banners: Banner[]
  loginExtras: LoginExtra[]
}

export function newRegistries(): Registries {
  return { nav: [], dashboard: [], preferences: [], admin: [], search: [], banners: [], loginExtras: [] }
}

export const byOrder = <T extends { order: number }>(xs: T[]) => [...xs].sort((a, b) => a.order - b.order)
