import { Elysia } from 'elysia'
import { html } from '@elysiajs/html'
import type { Config } from './config.ts'
import type { Clock } from './platform/clock.ts'
import type { Sql } from './platform/db.ts'
import { isDbUnavailable } from './platform/db.ts'
import { compression } from './platform/compress.ts'
import { csrfRefusal } from './platform/csrf.ts'
import { HttpError, STATUS_TITLES } from './platform/errors.ts'
import { securityHeaders } from './platform/headers.ts'
import { assertPolicies, basePlugin, isApiPath, Unauthenticated, type AuthHooks, type Base, type Deps } from './platform/http.ts'
import { ErrorBody, errorAlert, isHtmx, shellOf } from './platform/html/page.tsx'
import { inputRefusal } from './platform/input.ts'
import { Layout } from './platform/html/layout.tsx'
import { jsonLogger, type Logger } from './platform/log.ts'
import { WS_SERVER_OPTIONS } from './platform/live.ts'
import { RedisUnavailable, type Redis } from './platform/redis.ts'
import { newRegistries } from './platform/registry.ts'
import { SESSION_COOKIE, readCookie } from './platform/session.ts'
import { Redirect, redirect } from './platform/redirect.ts'
import type { Viewer } from './platform/viewer.ts'
import { FEATURES } from './features/index.ts'
import { authHooks } from './features/auth/api-auth.ts'

export type BuildDeps = {
  sql: Sql
  redis: Redis
  clock: Clock
  config: Config
  log?: Logger
  services?: Record<string, unknown>
  /** Replace the users feature's hooks (platform tests). */
  auth?: AuthHooks
}

export type IonApp = ReturnType<typeof buildApp>

/** Builds the whole app from its dependencies: no listen, no module-level connections. */
export function buildApp(input: BuildDeps) {
  const deps: Deps = {
    sql: input.sql,
    redis: input.redis,
    clock: input.clock,
    config: input.config,
    log: input.log ?? jsonLogger(),
    registries: newRegistries(),
    services: input.services ?? {},
    auth: input.auth ?? authHooks(() => deps),
  }
  // Elysia deep-merges a plugin's decorators into its parent's at every .use(); tagged, `deps` reads
  // as a class instance and is passed by reference instead of walked (~25 ms of buildApp in a profile).
  Object.defineProperty(deps, Symbol.toStringTag, { value: 'IonDeps' })
  const base = basePlugin(deps)
  const timing = new WeakMap<Request, { id: string; start: number }>()
  const logRequest = (request: Request, status: number) => {
    if (!deps.config.logRequests) return
    const t = timing.get(request)
    const url = new URL(request.url)
    if (url.pathname.startsWith('/public/')) return
    deps.log.info('request', {
      id: t?.id, method: request.method, path: url.pathname, status,
      ms: t ? Math.round((performance.now() - t.start) * 10) / 10 : undefined,
    })
  }

  const app = new Elysia({ websocket: WS_SERVER_OPTIONS })
    // Before html(): an HTML string becomes a (gzipped when accepted) Response here, see compress.ts.
    .use(compression())
    .use(html({ autoDoctype: false }))
    .onRequest(({ request, set }) => {
      const id = request.headers.get('x-request-id')?.slice(0, 64).replace(/[^\w.-]/g, '') || crypto.randomUUID().slice(0, 13)
      timing.set(request, { id, start: performance.now() })
      const path = new URL(request.url).pathname
      Object.assign(set.headers, securityHeaders(deps.config, path), { 'x-request-id': id })
      // A response to a signed-in request is that person's: never stored by a browser or proxy
      // cache (a handler that knows better, like /public files, sets its own).
      if (request.headers.has('authorization') || readCookie(request.headers.get('cookie'), SESSION_COOKIE)) set.headers['cache-control'] = 'no-store'
      const refusal = csrfRefusal(request, path, deps.config)
      if (refusal) {
        logRequest(request, 403) // an early return from onRequest skips onAfterResponse
        return errorResponse(deps, request, path, 403, refusal, null)
      }
    })
    .onTransform({ as: 'global' }, ({ request, params, query, body }) => {
      const q = request.url.indexOf('?')
      const refusal = inputRefusal({ params, query, body, search: q < 0 ? '' : request.url.slice(q) })
      if (refusal) throw new HttpError(400, refusal)
    })
    .onAfterResponse(({ request, set, responseValue }) => {
      logRequest(request, responseValue instanceof Response ? responseValue.status : Number(set.status ?? 200))
    })
    .onError(({ code, error, request, path, set, ...rest }) => withFinalStatus(set, (() => {
      const viewer = ((rest as { viewer?: Viewer }).viewer ?? null) as Viewer | null
      if (error instanceof Unauthenticated) return unauthenticated(deps, request, path)
      if (error instanceof Redirect) return redirect(request, error.location, securityHeaders(deps.config, path))
      if (error instanceof HttpError) {
        Object.assign(set.headers, error.headers)
        return errorResponse(deps, request, path, error.status, error.message, viewer, error.headers)
      }
      if (error instanceof RedisUnavailable)
        return errorResponse(deps, request, path, 503, 'Sign-in service is unavailable right now. Please try again in a moment.', null, { 'retry-after': '5' })
      if (isDbUnavailable(error))
        return errorResponse(deps, request, path, 503, 'The database is unavailable right now. Please try again in a moment.', viewer, { 'retry-after': '5' })
      if (code === 'NOT_FOUND') {
        if (routeExistsForOtherMethod(app, request.method, path))
          return errorResponse(deps, request, path, 405, 'That action is not allowed here.', viewer)
        return errorResponse(deps, request, path, 404, 'That page does not exist.', viewer)
      }
      if (code === 'VALIDATION') {
        const status = isApiPath(path) ? 400 : 422
        return errorResponse(deps, request, path, status, validationMessage(error), viewer)
      }
      if (code === 'PARSE' || code === 'INVALID_COOKIE_SIGNATURE' || code === 'INVALID_FILE_TYPE')
        return errorResponse(deps, request, path, 400, 'The request could not be read.', viewer)
      const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500
      if (status >= 400 && status < 500) return errorResponse(deps, request, path, status, STATUS_TITLES[status] ?? 'Bad request', viewer)
      deps.log.error('unhandled', { id: timing.get(request)?.id, path, error: String((error as Error)?.stack ?? error).slice(0, 4000) })
      return errorResponse(deps, request, path, 500, 'Something went wrong on our side. It has been logged.', viewer)
    })()))
    .use(base)

  for (const feature of FEATURES) app.use(feature(base))
  assertPolicies(app)
  return Object.assign(app, { deps })
}

/**
 * Elysia does not copy the status of a Response returned by onError into `set.status`, so the
 * request log said 200 for every 404/405/422/500. Record it.
 */
function withFinalStatus(set: { status?: number | string }, response: Response): Response {
  set.status = response.status
  return response
}

function validationMessage(error: unknown): string {
  const e = error as { all?: { path?: string; summary?: string; message?: string }[]; message?: string }
  const first = e.all?.[0]
  if (first) {
    const field = (first.path ?? '').replace(/^\//, '').replace(/\//g, '.')
    return field ? `The field "${field}" is missing or invalid.` : 'The form has a missing or invalid value.'
  }
  return 'The form has a missing or invalid value.'
}

const routeCache = new WeakMap<object, { method: string; re: RegExp }[]>()
function routeExistsForOtherMethod(app: { routes: { method: string; path: string }[] }, method: string, path: string): boolean {
  let list = routeCache.get(app)
  if (!list) {
    list = app.routes.map((r) => ({
      method: r.method,
      re: new RegExp('^' + r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[^/]+/g, '/[^/]+').replace(/\*$/, '.*') + '/?$'),
    }))
    routeCache.set(app, list)
  }
  return list.some((r) => r.method !== method && r.re.test(path))
}

export function errorResponse(
  deps: Deps, request: Request, path: string, status: number, message: string, viewer: Viewer | null, headers: Record<string, string> = {},
): Response {
  const base = { ...securityHeaders(deps.config, path), ...headers }
  if (isApiPath(path)) {
    return new Response(JSON.stringify({ detail: message, details: [message] }), {
      status, headers: { ...base, 'content-type': 'application/json; charset=utf-8' },
    })
  }
  if (isHtmx(request)) {
    return new Response(errorAlert(message), {
      status, headers: { ...base, 'content-type': 'text/html; charset=utf-8', 'hx-retarget': '#messages', 'hx-reswap': 'innerHTML', vary: 'HX-Request, HX-Request-Type' },
    })
  }
  const body = (
    <Layout shell={shellOf(deps, viewer, path)} title={STATUS_TITLES[status] ?? 'Error'}>
      <ErrorBody status={status} message={message} />
    </Layout>
  ) as string
  return new Response(body, { status, headers: { ...base, 'content-type': 'text/html; charset=utf-8', vary: 'HX-Request, HX-Request-Type' } })
}

function unauthenticated(deps: Deps, request: Request, path: string): Response {
  if (isApiPath(path)) {
    const h: Record<string, string> = {}
    if (deps.config.apiBasicAuth) h['www-authenticate'] = 'Basic realm="Ion API", charset="UTF-8"'
    return errorResponse(deps, request, path, 401, 'Authentication credentials were not provided.', null, h)
  }
  const url = new URL(request.url)
  const next = request.method === 'GET' ? url.pathname + url.search : '/'
  const login = `/login?next=${encodeURIComponent(next)}`
  if (isHtmx(request)) {
    return new Response(null, { status: 401, headers: { ...securityHeaders(deps.config, path), 'hx-redirect': login } })
  }
  return new Response(null, { status: 303, headers: { ...securityHeaders(deps.config, path), location: login } })
}

export type { Base }
