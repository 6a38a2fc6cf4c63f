import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import type { Sql } from '../../platform/db.ts'
import { HttpError } from '../../platform/errors.ts'
import type { AuthHooks, Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { viewerRow } from '../users/users.sql.ts'
import { loadSessionViewer, toViewer } from '../users/viewer.ts'
import { saveSession } from '../../platform/session.ts'
import { checkPassword } from './login.ts'
import { userIdForToken } from './tokens.sql.ts'

const hashText = (s: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(s)))
export const TOKEN_PREFIX = 'ion_'
export const hashApiToken = (token: string) => hashText(token)

/** Per-process cache of verified Basic credentials: hash(header) → user id, for one minute. */
type BasicCache = Map<string, { userId: number; until: number }>

async function viewerFor(sql: Sql, userId: number, via: Viewer['via']): Promise<Viewer | null> {
  const row = await viewerRow(sql, userId)
  if (!row || row.locked || !row.active) return null
  return toViewer(row, via, null)
}

/** The users feature's AuthHooks: sessions, personal access tokens and HTTP Basic. */
export function authHooks(get: () => Deps): AuthHooks {
  const basicCache: BasicCache = new Map()
  return {
    async loadViewer(userId, session) {
      const deps = get()
      const { viewer, actAsGone } = await loadSessionViewer(deps.sql, userId, session)
      if (actAsGone) {
        delete session.actAs
        await saveSession(deps.redis, session)
      }
      return viewer
    },
    async authenticateApi(request, ip) {
      const h = request.headers.get('authorization')
      if (!h) return null
      const deps = get()
      const [scheme, cred] = h.split(/\s+/, 2) as [string, string | undefined]
      if (/^bearer$/i.test(scheme) && cred) {
        const userId = await userIdForToken(deps.sql, hashApiToken(cred), deps.clock.now())
        const v = userId ? await viewerFor(deps.sql, userId, 'token') : null
        if (!v) throw new HttpError(401, 'Invalid token.')
        return v
      }
      if (/^basic$/i.test(scheme) && cred) {
        if (!deps.config.apiBasicAuth) throw new HttpError(401, 'HTTP Basic authentication is turned off; use a personal access token.')
        return basicViewer(deps, basicCache, h, cred, ip)
      }
      return null
    },
  }
}

async function basicViewer(deps: Deps, cache: BasicCache, header: string, cred: string, ip: string): Promise<Viewer> {
  const { sql } = deps
  const now = deps.clock.now().getTime()
  const key = hashText(header)
  const hit = cache.get(key)
  if (hit && hit.until > now) {
    const v = await viewerFor(sql, hit.userId, 'basic')
    if (v) return v
  }
  let decoded: string
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(cred), (ch) => ch.charCodeAt(0)))
  } catch {
    throw new HttpError(400, 'Malformed Basic credentials.')
  }
  const i = decoded.indexOf(':')
  if (i < 1) throw new HttpError(400, 'Malformed Basic credentials.')
  const check = await checkPassword(deps, decoded.slice(0, i), decoded.slice(i + 1), ip)
  if (check.kind === 'limited') throw new HttpError(429, check.limit.message, { 'retry-after': String(Math.ceil(check.limit.retryAfter)) })
  // One answer for a wrong password and for an account that must use a token (two-step login),
  // so Basic never confirms a password.
  if (check.kind !== 'ok' || check.user.totpEnabled)
    throw new HttpError(401, 'Invalid username/password (accounts with two-step login must use a personal access token).', { 'www-authenticate': 'Basic realm="Ion API", charset="UTF-8"' })
  if (cache.size > 10_000) cache.clear()
  cache.set(key, { userId: check.user.id, until: now + 60_000 })
  const v = await viewerFor(sql, check.user.id, 'basic')
  if (!v) throw new HttpError(401, 'Invalid username/password.')
  return v
}
