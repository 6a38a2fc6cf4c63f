import type { Config } from '../config.ts'

/**
 * DESIGN.md §5: the CSP and security headers on every response. Plus object-src 'none', which §5
 * leaves out: without it <object>/<embed> fall back to default-src 'self', and a plugin document
 * served from our own origin could run script that script-src does not govern.
 */
export function securityHeaders(config: Config, path: string): Record<string, string> {
  const embeddable = path === '/schedule/embed'
  const frameSrc = config.frameHosts.length ? config.frameHosts.join(' ') : "'none'"
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${frameSrc}`,
    `frame-ancestors ${embeddable ? '*' : "'self'"}`,
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ')
  const h: Record<string, string> = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'cross-origin-opener-policy': 'same-origin',
  }
  if (!embeddable) h['x-frame-options'] = 'SAMEORIGIN'
  if (config.https) h['strict-transport-security'] = 'max-age=31536000; includeSubDomains'
  return h
}
