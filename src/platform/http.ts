import { Elysia } from 'elysia'
import type { Config } from '../config.ts'
import type { Clock } from './clock.ts'
import type { Sql } from './db.ts'
import { HttpError } from './errors.ts'
import { clientIp } from './ip.ts'
import type { Logger } from './log.ts'
import type { Redis } from './redis.ts'
import { RedisUnavailable } from './redis.ts'
import { SESSION_COOKIE, readCookie, validateSession, type SessionData } from './session.ts'
import { allows, type Policy, type Viewer } from './viewer.ts'
import { loadBanners, loadNavCounts, type Registries } from './registry.ts'

/** Provided by the users/auth feature: the platform knows no feature. */
export type AuthHooks = {
  /** The viewer for a session's user, or null when the account is gone, locked or inactive. */
  loadViewer(userId: number, session: SessionData): Promise<Viewer | null>
  /** Bearer token or HTTP Basic under /api; null when the request carries neither. Throws HttpError 401/429. */
  authenticateApi(request: Request, ip: string): Promise<Viewer | null>
}

export type Deps = {
  sql: Sql
  redis: Redis
  clock: Clock
  config: Config
  log: Logger
  auth: AuthHooks
  registries: Registries
  /** Extension point for later platform services (mail, pubsub, jobs). */
  services: Record<string, unknown>
}

const OPEN = Symbol('open')

/** Routes under /api speak JSON. */
export const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/')

async function resolveViewer(deps: Deps, request: Request, ip: string, path: string): Promise<Viewer | null> {
  if (isApiPath(path)) {
    const v = await deps.auth.authenticateApi(request, ip)
    if (v) return v
  }
  const token = readCookie(request.headers.get('cookie'), SESSION_COOKIE)
  if (!token) return null
  const session = await validateSession(deps.redis, token, deps.clock.now().getTime())
  if (!session) return null
  return deps.auth.loadViewer(session.userId, session)
}

export class Unauthenticated extends Error {}

/**
 * A browser loading a whole page (the nav is drawn): a GET navigation outside /api that is not an
 * htmx fragment request. Images, CSV downloads and fragments skip the nav counts.
 */
function isPageView(request: Request, path: string): boolean {
  const h = request.headers
  if (request.method !== 'GET' || isApiPath(path)) return false
  if (h.get('hx-request') === 'true' && h.get('hx-request-type') === 'partial') return false
  return h.get('sec-fetch-dest') === 'document' || (h.get('accept') ?? '').includes('text/html')
}

function tag<T extends Function>(fn: T, policy: Policy | typeof OPEN): T {
  return Object.assign(fn, { policy })
}

/**
 * The base every feature plugin uses: `deps`, the client `ip`, and the two route declarations.
 *   { policy: 'member' }     → viewer: Viewer (403/401 otherwise)
 *   { open: 'anonymous' }    → viewer: Viewer | null ('public' skips the session lookup entirely)
 * A route with neither fails startup (see assertPolicies).
 */
export function basePlugin(deps: Deps) {
  // The viewer a policy admitted, by request: decided in `transform`, which runs before Elysia
  // validates params, query and body, so a refused request is 401/403 whatever it sent (never a 422
  // that tells a stranger what a form expects); `resolve` (after validation) then hands it on.
  const admitted = new WeakMap<Request, { p: Policy; viewer: Viewer }>()
  const admit = async ({ request, ip, path }: { request: Request; ip: string; path: string }, p: Policy): Promise<Viewer> => {
    const known = admitted.get(request)
    if (known?.p === p) return known.viewer
    const viewer = await resolveViewer(deps, request, ip, path)
    if (!viewer) throw new Unauthenticated()
    if (!allows(p, viewer)) throw new HttpError(403, 'You are not allowed to see this page.')
    admitted.set(request, { p, viewer })
    return viewer
  }
  return new Elysia({ name: 'ion-base', seed: deps.config.port + ':' + deps.redis.prefix })
    .decorate('deps', deps)
    // Only `ip`: Elysia's context already has `path`, and on a real server a route with a
    // parameter gets a context whose `path` is a getter, so deriving `path` again threw
    // "Attempted to assign to readonly property" (every /public/:name request was a 500).
    .derive({ as: 'global' }, ({ request, server }) => ({
      ip: clientIp(server?.requestIP(request)?.address, request.headers.get('x-forwarded-for'), deps.config.trustedProxies),
    }))
    .macro({
      policy: (p: Policy) => ({
        transform: async (c: { request: Request; ip: string; path: string }) => { await admit(c, p) },
        resolve: tag(async ({ request, ip, path }: { request: Request; ip: string; path: string }) => {
          const viewer = await admit({ request, ip, path }, p)
          if (!isPageView(request, path)) return { viewer, banners: undefined as string[] | undefined }
          const [navCounts, banners] = await Promise.all([loadNavCounts(deps.registries.nav, viewer), loadBanners(deps.registries.banners, viewer)])
          viewer.navCounts = navCounts
          return { viewer, banners }
        }, p),
      }),
      open: (p: 'public' | 'anonymous') => ({
        resolve: tag(async ({ request, ip, path }: { request: Request; ip: string; path: string }) => {
          const viewer: Viewer | null = p === 'public' ? null : await resolveViewer(deps, request, ip, path)
          if (!isPageView(request, path)) return { viewer, banners: undefined as string[] | undefined }
          const [navCounts, banners] = await Promise.all([viewer ? loadNavCounts(deps.registries.nav, viewer) : undefined, loadBanners(deps.registries.banners, viewer)])
          if (viewer) viewer.navCounts = navCounts
          return { viewer, banners }
        }, OPEN),
      }),
    })
}

export type Base = ReturnType<typeof basePlugin>

/** Startup check: every route declares who may use it. */
export function assertPolicies(app: { routes: { method: string; path: string; hooks: unknown }[] }): void {
  const missing: string[] = []
  for (const r of app.routes) {
    const hooks = (r.hooks ?? {}) as { beforeHandle?: { fn: { policy?: unknown } }[] | { fn: { policy?: unknown } } }
    const bh = Array.isArray(hooks.beforeHandle) ? hooks.beforeHandle : hooks.beforeHandle ? [hooks.beforeHandle] : []
    if (!bh.some((h) => h?.fn && 'policy' in h.fn)) missing.push(`${r.method} ${r.path}`)
  }
  if (missing.length) throw new Error(`routes without an access policy: ${missing.join(', ')}`)
}

export { RedisUnavailable }

/** The dependencies behind a base plugin (for features registering widgets and sections). */
export function depsOf(base: Base): Deps {
  return (base as unknown as { decorator: { deps: Deps } }).decorator.deps
}
