import type { Viewer } from './viewer.ts'
import type { Sql } from './db.ts'
import type { Config } from '../config.ts'
import type { Clock } from './clock.ts'
import type { Logger } from './log.ts'

// Shared pages that several features fill are registries owned by one feature (DESIGN.md §2):
// features add entries here; nobody builds a second copy of the page.

export type NavItem = { href: string; label: string; order: number; visible: (v: Viewer | null) => boolean }

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

export type SeedCtx = { sql: Sql; config: Config; clock: Clock; log: Logger }
export type SeedStep = { name: string; order: number; run: (ctx: SeedCtx) => Promise<string | void> }

export type Registries = {
  nav: NavItem[]
  dashboard: DashboardWidget[]
  preferences: PreferencesSection[]
  admin: AdminLink[]
}

export function newRegistries(): Registries {
  return { nav: [], dashboard: [], preferences: [], admin: [] }
}

export const byOrder = <T extends { order: number }>(xs: T[]) => [...xs].sort((a, b) => a.order - b.order)
