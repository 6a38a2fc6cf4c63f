import { localParts } from '../../platform/clock.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'
import { hasPerm, isRestricted, type Viewer } from '../../platform/viewer.ts'
import { ipInRanges, type Config } from '../../config.ts'

// The bus board's rules (ion-apps.md §12), as plain functions of the viewer and the time.

export type Status = 'a' | 'o' | 'd'
export const STATUSES: Status[] = ['a', 'o', 'd']
export const STATUS_LABEL: Record<Status, string> = { a: 'Arrived', o: 'On time', d: 'Delayed' }

/** Ion's route object, as the WebSocket and the API send it. */
export type RouteJson = { id: number; route_name: string; bus_number: string; space: string; status: Status }
export type Board = { routes: RouteJson[]; announcement: string }
export type Half = 'morning' | 'afternoon'

/** Takes a page's viewer or a socket's (LiveViewer: id, type and permissions only). */
export const isBusAdmin = (v: Pick<Viewer, 'isSuperuser' | 'perms'> | null): boolean => v !== null && hasPerm(v, 'admin_bus')

/**
 * Who may see the board: signed-in members, and anyone (read-only, as a visitor) from INTERNAL_IPS
 * (signage screens). 'visitor' is a restricted or anonymous viewer let in by the address.
 */
export function boardAccess(v: Pick<Viewer, 'userType' | 'isSuperuser' | 'perms'> | null, ip: string, config: Config): 'admin' | 'member' | 'visitor' | null {
  if (v && !isRestricted(v)) return isBusAdmin(v) ? 'admin' : 'member'
  return ipInRanges(ip, config.internalIps) ? 'visitor' : null
}

/** Ion: "morning" while the local hour is before the changeover hour, else "afternoon". */
export function halfOf(now: Date, tz: string, changeoverHour: number): Half {
  return localParts(now, tz).hour < changeoverHour ? 'morning' : 'afternoon'
}

/** When a page rendered at `now` is out of date: the changeover today, else the next midnight. */
export function staleAt(now: Date, tz: string, changeoverHour: number): Date {
  const { date } = localParts(now, tz)
  const changeover = zonedInstant(date, `${String(changeoverHour).padStart(2, '0')}:00`, tz)
  return now < changeover ? changeover : zonedInstant(addDays(date, 1), '00:00', tz)
}

/** The reset boundaries of the day `now` falls in: midnight, and one minute after the changeover. */
export function resetBoundaries(now: Date, tz: string, changeoverHour: number): { midnight: Date; changeover: Date } {
  const { date } = localParts(now, tz)
  return {
    midnight: zonedInstant(date, '00:00', tz),
    changeover: zonedInstant(date, `${String(changeoverHour).padStart(2, '0')}:01`, tz),
  }
}

/**
 * Ion's rule for "the announcement mentions your route": lower-case both, drop whitespace and
 * '-', drop the prefixes jt, ac, lc and pw; then look for the route in the message. So "JT-100",
 * "jt100" and "100" all mention route JT-100.
 */
export function normalizeRoute(s: string): string {
  return s.toLowerCase().replace(/[\s-]+/g, '').replace(/jt|ac|lc|pw/g, '')
}
export function mentions(announcement: string, routeName: string): boolean {
  const r = normalizeRoute(routeName)
  return r !== '' && normalizeRoute(announcement).includes(r)
}

/**
 * The search box: the route typed exactly ("jt9" → JT-9), else the routes Ion's rule equates with
 * it ("9" → JT-9, AC-9…), else the routes that start with it ("jt1" → JT-1, JT-10…).
 */
export function searchRoutes<R extends { route_name: string }>(routes: R[], q: string): R[] {
  const strip = (s: string) => s.toLowerCase().replace(/[\s-]+/g, '')
  const sq = strip(q)
  const nq = normalizeRoute(q)
  if (!sq) return []
  const exact = routes.filter((r) => strip(r.route_name) === sq)
  if (exact.length) return exact
  const same = nq ? routes.filter((r) => normalizeRoute(r.route_name) === nq) : []
  if (same.length) return same
  return routes.filter((r) => strip(r.route_name).startsWith(sq) || (nq !== '' && normalizeRoute(r.route_name).startsWith(nq)))
}

export type Banner =
  | { kind: 'none' }
  | { kind: 'register' }
  | { kind: 'status'; route: RouteJson; tone: 'arrived' | 'ontime' | 'late' | 'delayed' }

/**
 * The personal banner: arrived, on time, delayed; "on time" turns into "has not arrived yet" from
 * five minutes before the end of the school day (`lateAt`, null on a day without school).
 */
export function bannerFor(v: Viewer | null, route: RouteJson | null, now: Date, lateAt: Date | null): Banner {
  if (!v) return { kind: 'none' }
  if (!route) return v.userType === 'student' ? { kind: 'register' } : { kind: 'none' }
  if (route.status === 'a') return { kind: 'status', route, tone: 'arrived' }
  if (route.status === 'd') return { kind: 'status', route, tone: 'delayed' }
  return { kind: 'status', route, tone: lateAt && now >= lateAt ? 'late' : 'ontime' }
}

export function bannerText(b: Banner): string {
  if (b.kind !== 'status') return ''
  const name = b.route.route_name
  switch (b.tone) {
    case 'arrived': return b.route.space ? `${name} has arrived (space ${b.route.space.slice(1)})` : `${name} has arrived`
    case 'ontime': return `${name} is on time`
    case 'late': return `${name} has not arrived yet`
    case 'delayed': return `${name} is delayed`
  }
}
