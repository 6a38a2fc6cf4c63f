import { ipInRanges, type Cidr } from '../config.ts'

/**
 * The client's address: the socket peer, or — only when the peer is a trusted proxy — the
 * right-most address in X-Forwarded-For that is not itself a trusted proxy.
 */
export function clientIp(peer: string | null | undefined, xff: string | null, trusted: Cidr[]): string {
  const p = normalizeIp(peer || '127.0.0.1')
  if (!xff || trusted.length === 0 || !ipInRanges(p, trusted)) return p
  const hops = xff.split(',').map((s) => normalizeIp(s.trim())).filter(Boolean)
  for (let i = hops.length - 1; i >= 0; i--) {
    const h = hops[i]!
    if (!ipInRanges(h, trusted)) return h
  }
  return hops[0] ?? p
}

export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}
