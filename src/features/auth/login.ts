import type { Deps } from '../../platform/http.ts'
import { createSession, deleteSession, readCookie, SESSION_COOKIE, sessionCookie, sessionIdOf, validateSession } from '../../platform/session.ts'
import { audit, loginRowByUsername, recordLogin, type LoginRow } from '../users/users.sql.ts'
import { clearLoginFailures, loginLimit, recordLoginFailure, type Limit } from './limits.ts'
import { verifyPassword } from './passwords.ts'

// The login service: rules only; routes render.

export const BAD_CREDENTIALS = 'That username and password do not match an account.'
export const LOCKED = 'This account is locked. Ask the school’s IT staff for help.'

export type PasswordCheck =
  | { kind: 'ok'; user: LoginRow }
  | { kind: 'invalid' }
  | { kind: 'locked' }
  | { kind: 'limited'; limit: Limit }

export async function checkPassword(deps: Deps, username: string, password: string, ip: string): Promise<PasswordCheck> {
  const now = deps.clock.now().getTime()
  const name = username.trim()
  const limit = await loginLimit(deps.redis, deps.config, name, ip, now)
  if (limit) return { kind: 'limited', limit }
  const user = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/.test(name) ? await loginRowByUsername(deps.sql, name) : null
  const ok = await verifyPassword(password, user?.passwordHash ?? null)
  if (!ok || !user) {
    await recordLoginFailure(deps.redis, deps.config, name, ip, now)
    return { kind: 'invalid' }
  }
  if (user.locked || !user.active) return { kind: 'locked' }
  await clearLoginFailures(deps.redis, name, ip)
  return { kind: 'ok', user }
}

/** What comes after a correct password: a second step, or a session. */
export function nextStep(deps: Deps, user: LoginRow): 'totp' | 'enroll' | 'done' {
  if (user.totpEnabled) return 'totp'
  if (deps.config.requireAdminTotp && user.isAdmin) return 'enroll'
  return 'done'
}

/**
 * A new session for every login (a cookie from before the login is dead afterwards: no fixation).
 * Returns the Set-Cookie header value.
 */
export async function startSession(
  deps: Deps, request: Request, userId: number, opts: { trusted: boolean; ip: string },
): Promise<string> {
  const now = deps.clock.now()
  const old = readCookie(request.headers.get('cookie'), SESSION_COOKIE)
  if (old) {
    const prev = await validateSession(deps.redis, old, now.getTime())
    if (prev) await deleteSession(deps.redis, prev.id, prev.userId)
  }
  const { token } = await createSession(deps.redis, userId, now.getTime(), {
    trusted: opts.trusted, ua: request.headers.get('user-agent') ?? '', ip: opts.ip, reauth: true,
  })
  await recordLogin(deps.sql, userId, now)
  await audit(deps.sql, { actorId: userId, action: 'login', ip: opts.ip, at: now, details: { trusted: opts.trusted } })
  return sessionCookie(token, { secure: deps.config.https, trusted: opts.trusted })
}

// A login waiting for its second step lives in Redis for 5 minutes behind its own cookie.
export const PENDING_COOKIE = 'ion_login'
const PENDING_SECONDS = 300
export type Pending = { userId: number; trusted: boolean; next: string; step: 'totp' | 'enroll'; attempts: number; enrollKey?: string }

export async function savePending(deps: Deps, token: string | null, p: Pending): Promise<string> {
  const t = token ?? crypto.randomUUID().replace(/-/g, '')
  await deps.redis.set(`login_pending:${sessionIdOf(t)}`, JSON.stringify(p), { exSeconds: PENDING_SECONDS })
  return t
}

export async function loadPending(deps: Deps, request: Request): Promise<{ token: string; pending: Pending } | null> {
  const token = readCookie(request.headers.get('cookie'), PENDING_COOKIE)
  if (!token || !/^[a-f0-9]{32}$/.test(token)) return null
  const raw = await deps.redis.get(`login_pending:${sessionIdOf(token)}`)
  return raw ? { token, pending: JSON.parse(raw) as Pending } : null
}

export async function dropPending(deps: Deps, token: string): Promise<void> {
  await deps.redis.del(`login_pending:${sessionIdOf(token)}`)
}

export const pendingCookie = (token: string, secure: boolean) =>
  `${PENDING_COOKIE}=${token}; Path=/login; HttpOnly; SameSite=Lax; Max-Age=${PENDING_SECONDS}${secure ? '; Secure' : ''}`
export const clearPendingCookie = (secure: boolean) => `${PENDING_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`

/** A TOTP code is accepted once (no replay inside its window). */
export async function claimTotpCode(deps: Deps, userId: number, code: string): Promise<boolean> {
  return deps.redis.set(`totp_used:${userId}:${code.replace(/\s+/g, '')}`, '1', { exSeconds: 120, nx: true })
}
