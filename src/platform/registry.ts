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
  count?: { load: (v: Viewer) => Promise<number>; /** Read after the number by screen readers. */ means: string }
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

export type SeedCtx = { sql: Sql; config: Config; clock: Clock; log: Logger }
export type SeedStep = { name: string; order: number; run: (ctx: SeedCtx) => Promise<string | void> }

export type Registries = {
  nav: NavItem[]
  dashboard: DashboardWidget[]
  preferences: PreferencesSection[]
  admin: AdminLink[]
  search: SearchSection[]
}

export function newRegistries(): Registries {
  return { nav: [], dashboard: [], preferences: [], admin: [], search: [] }
}

export const byOrder = <T extends { order: number }>(xs: T[]) => [...xs].sort((a, b) => a.order - b.order)
