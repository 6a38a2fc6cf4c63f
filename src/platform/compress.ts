import { Elysia } from 'elysia'

// gzip for HTML and JSON answers above MIN_BYTES when the client accepts it (issue 10), with
// `Vary: Accept-Encoding` on every answer that could have been compressed. Level 1: on the
// 213 KB signup page it saves 89% of the bytes (213 → 24 KB) for ~1 ms of CPU; the higher levels
// save a few KB more for two to three times the CPU, which a 2-core server cannot spare. Brotli
// (node:zlib) compresses better and costs more again: not worth it per request.
//
// Registered before @elysiajs/html, it also turns an HTML string into the Response itself, so
// that plugin's isHtml (which trims, and so copies, the whole page) never runs on a big page.

export const MIN_BYTES = 1024
const LEVEL = 1
const COMPRESSIBLE = /^(text\/html|application\/json)/

const acceptsGzip = (request: Request) => /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')

/** An HTML string as handlers return it: starts with '<' and ends with '>' (no trimming). */
const looksLikeHtml = (s: string) => s.length >= 7 && s.charCodeAt(0) === 60 && s.charCodeAt(s.length - 1) === 62

type Set = { headers: Record<string, unknown>; status?: number | string }

function varyWith(current: unknown): string {
  const v = typeof current === 'string' && current ? current : ''
  return /accept-encoding/i.test(v) ? v : v ? `${v}, Accept-Encoding` : 'Accept-Encoding'
}

/** The body gzipped when it is worth it and accepted; the headers to send with it. */
function encode(request: Request, body: Uint8Array<ArrayBuffer> | string, headers: Headers): Uint8Array<ArrayBuffer> | string {
  const size = typeof body === 'string' ? body.length : body.byteLength
  if (size < MIN_BYTES) return body
  headers.set('vary', varyWith(headers.get('vary')))
  if (!acceptsGzip(request)) return body
  headers.set('content-encoding', 'gzip')
  headers.delete('content-length')
  return Bun.gzipSync(typeof body === 'string' ? new TextEncoder().encode(body) : body, { level: LEVEL })
}

export function compression() {
  return new Elysia({ name: 'ion-compression' }).mapResponse({ as: 'global' }, async ({ request, responseValue, set }) => {
    if (request.method === 'HEAD') return
    const s = set as Set
    if (typeof responseValue === 'string') {
      if (!looksLikeHtml(responseValue)) return
      const headers = new Headers({ 'content-type': (s.headers['content-type'] as string | undefined) ?? 'text/html; charset=utf8' })
      if (s.headers['vary']) headers.set('vary', String(s.headers['vary']))
      const status = typeof s.status === 'number' ? s.status : 200
      return new Response(encode(request, responseValue, headers), { status, headers })
    }
    if (!(responseValue instanceof Response) || !responseValue.body || responseValue.headers.has('content-encoding')) return
    if (!COMPRESSIBLE.test(responseValue.headers.get('content-type') ?? '') || responseValue.status === 204 || responseValue.status === 304) return
    if (!acceptsGzip(request)) {
      // Not read (a copy of the body for nothing): only say that another client may get it gzipped.
      if (!responseValue.headers.has('vary') && s.headers['vary']) responseValue.headers.set('vary', String(s.headers['vary']))
      responseValue.headers.set('vary', varyWith(responseValue.headers.get('vary')))
      return
    }
    const bytes = new Uint8Array(await responseValue.arrayBuffer())
    const headers = new Headers(responseValue.headers)
    if (!headers.has('vary') && s.headers['vary']) headers.set('vary', String(s.headers['vary']))
    return new Response(encode(request, bytes, headers), { status: responseValue.status, statusText: responseValue.statusText, headers })
  })
}
