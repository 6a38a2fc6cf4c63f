import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import type { Redis } from './redis.ts'

// Sessions (the lucia-auth.com Redis recipe, with DESIGN.md §4's expiry rules):
// the cookie holds a random token; Redis holds only its SHA-256 and the session's times.

export const SESSION_COOKIE = 'sessionid'
export const IDLE_MS = 2 * 3600_000
export const TRUSTED_IDLE_MS = 7 * 24 * 3600_000
export const ABSOLUTE_MS = 30 * 24 * 3600_000
export const TOUCH_MS = 5 * 60_000

export type SessionData = {
  id: string
  userId: number
  loginAt: number
  lastSeen: number
  trusted: boolean
  ua: string
  ip: string
  /** Last password re-entry (ms). */
  reauthAt?: number
  /** Set while this session's user (an admin) views the site as another user. */
  actAs?: { userId: number; startedAt: number }
}

export function newToken(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

/** Bun's native SHA-256 (the same hex as @oslojs/crypto's, which took a sixth of a WebSocket upgrade's CPU). */
export function sessionIdOf(token: string): string {
  return Bun.SHA256.hash(token, 'hex')
}

export function expiresAt(s: Pick<SessionData, 'loginAt' | 'lastSeen' | 'trusted'>): number {
  return Math.min(s.loginAt + ABSOLUTE_MS, s.lastSeen + (s.trusted ? TRUSTED_IDLE_MS : IDLE_MS))
}

const skey = (id: string) => `session:${id}`
const ukey = (userId: number) => `user_sessions:${userId}`

/**
 * Expiry is decided in code against the stored times (the injected clock); Redis only forgets the
 * record some time after that. The TTL is relative (EX, from last-seen), not an absolute EXAT, so a
 * clock that differs from Redis's (tests, a skewed host) never drops a live session early.
 */
export async function saveSession(redis: Redis, s: SessionData): Promise<void> {
  await redis.set(skey(s.id), JSON.stringify(s), { exSeconds: Math.max(60, (expiresAt(s) - s.lastSeen) / 1000) })
}

export async function createSession(
  redis: Redis,
  userId: number,
  now: number,
  opts: { trusted: boolean; ua: string; ip: string; reauth?: boolean },
): Promise<{ token: string; session: SessionData }> {
  const token = newToken()
  const session: SessionData = {
    id: sessionIdOf(token), userId, loginAt: now, lastSeen: now, trusted: opts.trusted,
    ua: opts.ua.slice(0, 300), ip: opts.ip, ...(opts.reauth ? { reauthAt: now } : {}),
  }
  await saveSession(redis, session)
  await redis.sadd(ukey(userId), session.id)
  return { token, session }
}

/**
 * One Redis read; a write only when last-seen moved by TOUCH_MS or more.
 * Returns null when the token is unknown or the session has expired (then it is deleted).
 */
export async function validateSession(redis: Redis, token: string, now: number): Promise<SessionData | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null
  const id = sessionIdOf(token)
  const raw = await redis.get(skey(id))
  if (!raw) return null
  const s = JSON.parse(raw) as SessionData
  if (now >= expiresAt(s)) {
    await deleteSession(redis, s.id, s.userId)
    return null
  }
  if (now - s.lastSeen >= TOUCH_MS) {
    s.lastSeen = now
    await saveSession(redis, s)
  }
  return s
}

export async function deleteSession(redis: Redis, id: string, userId: number): Promise<void> {
  await redis.del(skey(id))
  await redis.srem(ukey(userId), id)
}

/** A user's live sessions; ids whose record is gone are pruned from the index. */
export async function listSessions(redis: Redis, userId: number, now: number): Promise<SessionData[]> {
  const ids = await redis.smembers(ukey(userId))
  if (ids.length === 0) return []
  const raws = await redis.mget(...ids.map(skey))
  const live: SessionData[] = []
  const dead: string[] = []
  ids.forEach((id, i) => {
    const raw = raws[i]
    const s = raw ? (JSON.parse(raw) as SessionData) : null
    if (s && now < expiresAt(s)) live.push(s)
    else dead.push(id)
  })
  if (dead.length) await redis.srem(ukey(userId), ...dead)
  return live.sort((a, b) => b.lastSeen - a.lastSeen)
}

export async function deleteAllSessions(redis: Redis, userId: number): Promise<number> {
  const ids = await redis.smembers(ukey(userId))
  if (ids.length) await redis.del(...ids.map(skey))
  await redis.del(ukey(userId))
  return ids.length
}

export function sessionCookie(token: string, opts: { secure: boolean; trusted: boolean }): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax']
  if (opts.secure) parts.push('Secure')
  if (opts.trusted) parts.push(`Max-Age=${Math.floor(ABSOLUTE_MS / 1000)}`)
  return parts.join('; ')
}

export function clearSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
  }
  return null
}
