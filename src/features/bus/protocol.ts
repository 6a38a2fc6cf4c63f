import type { Board, Half, Status } from './board.ts'
import { STATUSES } from './board.ts'
import { isSpace } from './lot.ts'

// Ion's bus WebSocket protocol (ion-apps.md §12), message by message. JSON both ways.

export const TOPIC = 'bus'
export const KEEPALIVE_RESPONSE = '{"type":"keepalive-response"}'
export const DENIED = '{"error":"User does not have permissions."}'
export const FAILED = '{"error":"An error occurred."}'
export const MAX_ANNOUNCEMENT = 2000

/** The broadcast after every change: `{allRoutes, announcement}` (no personal keys). */
export function boardMessage(b: Board): string {
  return JSON.stringify({ allRoutes: b.routes, announcement: b.announcement })
}

/** The personal snapshot on connect: the broadcast plus the viewer's route, when they have one. */
export function personalMessage(broadcast: string, b: Board, routeId: number | null): string {
  const mine = routeId === null ? undefined : b.routes.find((r) => r.id === routeId)
  if (!mine) return broadcast
  return `${broadcast.slice(0, -1)},"userRouteId":${mine.id},"userRouteName":${JSON.stringify(mine.route_name)}}`
}

export type Incoming =
  | { kind: 'keepalive' }
  /** Not a JSON object at all. */
  | { kind: 'malformed' }
  | { kind: 'write'; msg: Record<string, unknown> }

/** Elysia hands over parsed JSON for text that looks like JSON, and the raw text otherwise. */
export function classify(data: unknown): Incoming {
  let v = data
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      return { kind: 'malformed' }
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { kind: 'malformed' }
  const msg = v as Record<string, unknown>
  if (msg.type === 'keepalive') return { kind: 'keepalive' }
  return { kind: 'write', msg }
}

export type Change =
  | { kind: 'announcement'; text: string }
  | { kind: 'route'; id: number; status: Status; space: string }

/**
 * An admin's write, in Ion's order: `time` missing → error; `time` not the current half of the
 * day → ignored (a stale tab: nothing saved, nothing sent); then the change itself, where any
 * missing or bad key is an error. The presence of `announcement` (even "") makes it an
 * announcement; a whitespace-only one is stored empty. A space is kept only for an arrival in
 * the afternoon (where `space` is required: a lot space, or "" for "arrived, no space yet").
 */
export function parseChange(msg: Record<string, unknown>, half: Half): { ok: true; change: Change | null } | { ok: false } {
  if (!('time' in msg)) return { ok: false }
  if (msg.time !== half) return { ok: true, change: null }
  if ('announcement' in msg) {
    const a = msg.announcement
    if (typeof a !== 'string' || a.length > MAX_ANNOUNCEMENT) return { ok: false }
    return { ok: true, change: { kind: 'announcement', text: a.trim() === '' ? '' : a } }
  }
  const id = typeof msg.id === 'number' ? msg.id : typeof msg.id === 'string' && /^\d{1,9}$/.test(msg.id) ? Number(msg.id) : NaN
  if (!Number.isInteger(id) || id < 1 || id > 2 ** 31 - 1) return { ok: false }
  const status = msg.status as Status
  if (!STATUSES.includes(status)) return { ok: false }
  let space = ''
  if (half === 'afternoon' && status === 'a') {
    if (typeof msg.space !== 'string' || (msg.space !== '' && !isSpace(msg.space))) return { ok: false }
    space = msg.space
  }
  return { ok: true, change: { kind: 'route', id, status, space } }
}
