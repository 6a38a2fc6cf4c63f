import { Elysia } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { getAsset } from '../../platform/html/assets.ts'
import { page } from '../../platform/html/page.tsx'
import { HttpError } from '../../platform/errors.ts'
import { ping } from './platform.sql.ts'

/** Health checks and the /public allow-list. */
export function platformRoutes(base: Base) {
  return new Elysia({ name: 'platform-routes' })
    .use(base)
    .get('/healthz', () => ({ ok: true }), { open: 'public' })
    .get('/readyz', async ({ deps, set }) => {
      const checks = await Promise.all([
        withTimeout(ping(deps.sql).then(() => true), 1000).catch(() => false),
        withTimeout(deps.redis.ping().then(() => true), 1000).catch(() => false),
      ])
      const down = [checks[0] ? null : 'postgresql', checks[1] ? null : 'redis'].filter(Boolean)
      if (down.length) {
        set.status = 503
        set.headers['retry-after'] = '5'
        return { ok: false, down }
      }
      return { ok: true }
    }, { open: 'public' })
    .get('/public/:name', ({ params, request, set }) => {
      const a = getAsset(params.name)
      if (!a) throw new HttpError(404, 'No such file.')
      const cacheControl = new URL(request.url).searchParams.has('v') ? 'public, max-age=31536000, immutable' : 'public, max-age=300'
      if (request.headers.get('if-none-match') === a.etag) return new Response(null, { status: 304, headers: { etag: a.etag, 'cache-control': cacheControl } })
      set.headers['content-type'] = a.type
      set.headers['cache-control'] = cacheControl
      set.headers['etag'] = a.etag
      return new Response(a.bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': a.type, 'cache-control': cacheControl, etag: a.etag } })
    }, { open: 'public' })
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms))])
}
