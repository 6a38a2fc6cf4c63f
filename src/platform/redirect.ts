/** Thrown to redirect (e.g. to re-authentication); the error handler answers 303 or HX-Redirect. */
export class Redirect extends Error {
  constructor(readonly location: string) {
    super('redirect')
  }
}

/** Only a local path may be a login `next` (no //host, no /\host, no scheme). */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback
  if (/[\r\n]/.test(next) || next.length > 2000) return fallback
  return next
}

/** 303 redirect response; for htmx requests the browser navigates via HX-Redirect. */
export function redirect(request: Request, location: string, headers: Record<string, string> = {}): Response {
  if (request.headers.get('hx-request') === 'true') return new Response(null, { status: 204, headers: { ...headers, 'hx-redirect': location } })
  return new Response(null, { status: 303, headers: { ...headers, location } })
}
