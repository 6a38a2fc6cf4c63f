import type { Config } from '../config.ts'
import { isApiPath } from './http.ts'
import { SESSION_COOKIE, readCookie } from './session.ts'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

function sameOrigin(origin: string, request: Request, config: Config): boolean {
  if (origin === 'null') return false
  try {
    const o = new URL(origin).origin
    return o === new URL(config.baseUrl).origin || o === new URL(request.url).origin
  } catch {
    return false
  }
}

/**
 * DESIGN.md §4: a state change from a browser must come from our own origin. Returns the reason
 * a request is refused, or null. Outside /api every non-GET is checked (login included); under
 * /api only cookie-authenticated requests are (tokens and Basic can't be forged by a page), and a
 * request with neither Origin nor Sec-Fetch-Site is a non-browser client.
 */
export function csrfRefusal(request: Request, path: string, config: Config): string | null {
  if (SAFE.has(request.method)) return null
  const origin = request.headers.get('origin')
  const site = request.headers.get('sec-fetch-site')
  const api = isApiPath(path)
  if (api && !readCookie(request.headers.get('cookie'), SESSION_COOKIE)) return null
  if (origin !== null && !sameOrigin(origin, request, config)) return 'The request came from another site.'
  if (site === 'cross-site') return 'The request came from another site.'
  if (origin === null && site === null && !api) return 'The request did not say where it came from (Origin header missing).'
  return null
}

/** WebSocket upgrades: a browser always sends Origin; a foreign one is refused. */
export function wsOriginAllowed(request: Request, config: Config): boolean {
  const origin = request.headers.get('origin')
  return origin === null || sameOrigin(origin, request, config)
}
