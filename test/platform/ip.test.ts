import { describe, expect, test } from 'bun:test'
import { ipInRanges, parseCidr, parseIp, type Cidr } from '../../src/config.ts'
import { clientIp, normalizeIp } from '../../src/platform/ip.ts'
import { testEnv } from '../helpers/app.ts'

const ranges = (...xs: string[]): Cidr[] => xs.map((x) => {
  const c = parseCidr(x)
  if (!c) throw new Error(`bad test range ${x}`)
  return c
})

describe('clientIp without TRUSTED_PROXIES', () => {
  test('the socket peer, X-Forwarded-For ignored', () => {
    expect(clientIp('203.0.113.7', null, [])).toBe('203.0.113.7')
    expect(clientIp('203.0.113.7', '198.51.100.1', [])).toBe('203.0.113.7')
    expect(clientIp('10.0.0.5', '198.51.100.1, 10.0.0.4', [])).toBe('10.0.0.5')
  })

  test('IPv4-mapped IPv6 peers are shown as IPv4', () => {
    expect(clientIp('::ffff:203.0.113.7', null, [])).toBe('203.0.113.7')
  })

  test('IPv6 peers are kept', () => {
    expect(clientIp('2001:db8::1', '198.51.100.1', [])).toBe('2001:db8::1')
  })

  test('no peer (app.handle in tests) falls back to loopback', () => {
    expect(clientIp(undefined, null, [])).toBe('127.0.0.1')
    expect(clientIp(null, '198.51.100.1', [])).toBe('127.0.0.1')
  })
})

describe('clientIp with TRUSTED_PROXIES', () => {
  const trusted = ranges('10.0.0.0/8', 'fd00::/8')

  test('a trusted peer: the X-Forwarded-For client is believed', () => {
    expect(clientIp('10.0.0.2', '198.51.100.1', trusted)).toBe('198.51.100.1')
  })

  test('an untrusted peer: its X-Forwarded-For is ignored (spoofing)', () => {
    expect(clientIp('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9')
  })

  test('a trusted peer without X-Forwarded-For is the client', () => {
    expect(clientIp('10.0.0.2', null, trusted)).toBe('10.0.0.2')
    expect(clientIp('10.0.0.2', '', trusted)).toBe('10.0.0.2')
  })

  test('multiple hops: the right-most address that is not a trusted proxy', () => {
    // client → proxy 10.1.1.1 → proxy 10.0.0.2 (peer); the client forged a first hop.
    expect(clientIp('10.0.0.2', '1.2.3.4, 198.51.100.1, 10.1.1.1', trusted)).toBe('198.51.100.1')
    expect(clientIp('10.0.0.2', '198.51.100.1,10.1.1.1', trusted)).toBe('198.51.100.1')
  })

  test('every hop trusted: the left-most one', () => {
    expect(clientIp('10.0.0.2', '10.9.9.9, 10.1.1.1', trusted)).toBe('10.9.9.9')
  })

  test('IPv6 proxies and clients', () => {
    expect(clientIp('fd00::2', '2001:db8::42', trusted)).toBe('2001:db8::42')
    expect(clientIp('fd00::2', '2001:db8::42, fd00::3', trusted)).toBe('2001:db8::42')
    expect(clientIp('2001:db8::9', '2001:db8::42', trusted)).toBe('2001:db8::9')
  })

  test('an IPv4-mapped peer counts as its IPv4 address', () => {
    expect(clientIp('::ffff:10.0.0.2', '198.51.100.1', trusted)).toBe('198.51.100.1')
    expect(clientIp('10.0.0.2', '::ffff:198.51.100.1', trusted)).toBe('198.51.100.1')
  })
})

describe('ipInRanges', () => {
  test('IPv4 prefixes', () => {
    const r = ranges('10.0.0.0/8', '192.168.1.0/24', '203.0.113.7')
    expect(ipInRanges('10.255.255.255', r)).toBe(true)
    expect(ipInRanges('11.0.0.0', r)).toBe(false)
    expect(ipInRanges('192.168.1.200', r)).toBe(true)
    expect(ipInRanges('192.168.2.1', r)).toBe(false)
    expect(ipInRanges('203.0.113.7', r)).toBe(true)
    expect(ipInRanges('203.0.113.8', r)).toBe(false)
  })

  test('/0 matches every address of its family only', () => {
    expect(ipInRanges('8.8.8.8', ranges('0.0.0.0/0'))).toBe(true)
    expect(ipInRanges('2001:db8::1', ranges('0.0.0.0/0'))).toBe(false)
    expect(ipInRanges('2001:db8::1', ranges('::/0'))).toBe(true)
    expect(ipInRanges('8.8.8.8', ranges('::/0'))).toBe(false)
  })

  test('IPv6 prefixes and compressed forms', () => {
    const r = ranges('2001:db8::/32', '::1')
    expect(ipInRanges('2001:db8:ffff::1', r)).toBe(true)
    expect(ipInRanges('2001:0db8:0000:0000:0000:0000:0000:0001', r)).toBe(true)
    expect(ipInRanges('2001:db9::1', r)).toBe(false)
    expect(ipInRanges('::1', r)).toBe(true)
    expect(ipInRanges('::2', r)).toBe(false)
  })

  test('an IPv4-mapped IPv6 address matches IPv4 ranges', () => {
    expect(ipInRanges('::ffff:10.1.2.3', ranges('10.0.0.0/8'))).toBe(true)
  })

  test('garbage never matches', () => {
    const r = ranges('0.0.0.0/0', '::/0')
    for (const x of ['', 'unknown', '1.2.3', '1.2.3.256', '::g', '1:2:3:4:5:6:7:8:9', 'localhost']) expect(ipInRanges(x, r)).toBe(false)
  })

  test('an empty list matches nothing', () => {
    expect(ipInRanges('127.0.0.1', [])).toBe(false)
  })
})

describe('parsing', () => {
  test('parseIp', () => {
    expect(parseIp('1.2.3.4')).toEqual({ v6: false, bits: 0x01020304n })
    expect(parseIp('::1')).toEqual({ v6: true, bits: 1n })
    expect(parseIp('1::')).toEqual({ v6: true, bits: 1n << 112n })
    expect(parseIp('1::2::3')).toBeNull()
    expect(parseIp('12345::')).toBeNull()
  })

  test('parseCidr rejects bad prefixes', () => {
    expect(parseCidr('10.0.0.0/33')).toBeNull()
    expect(parseCidr('::/129')).toBeNull()
    expect(parseCidr('10.0.0.0/')).toBeNull()
    expect(parseCidr('10.0.0.0/-1')).toBeNull()
    expect(parseCidr('/8')).toBeNull()
  })

  test('normalizeIp strips the IPv4-mapped prefix only', () => {
    expect(normalizeIp('::ffff:1.2.3.4')).toBe('1.2.3.4')
    expect(normalizeIp('::ffff:abcd')).toBe('::ffff:abcd')
    expect(normalizeIp('2001:db8::1')).toBe('2001:db8::1')
  })
})

describe('through a listening server', () => {
  // The socket peer is 127.0.0.1; a dynamic route checks the context on Bun's native router too.
  async function withServer(config: Record<string, string>, fn: (base: string) => Promise<void>) {
    const env = await testEnv({ config })
    const app = env.app
      .get('/t/ip', ({ ip }) => ip, { open: 'public' })
      .get('/t/ip/:name', ({ ip, path, params }) => `${ip} ${path} ${params.name}`, { open: 'public' })
    app.listen({ port: 0, hostname: '127.0.0.1' })
    try {
      await fn(`http://127.0.0.1:${app.server!.port}`)
    } finally {
      await app.stop(true)
      await env.close()
    }
  }

  test('untrusted peer: X-Forwarded-For ignored', async () => {
    await withServer({}, async (base) => {
      const r = await fetch(base + '/t/ip', { headers: { 'x-forwarded-for': '198.51.100.1' } })
      expect(await r.text()).toBe('127.0.0.1')
      const d = await fetch(base + '/t/ip/abc?q=1', { headers: { 'x-forwarded-for': '198.51.100.1' } })
      expect(d.status).toBe(200)
      expect(await d.text()).toBe('127.0.0.1 /t/ip/abc abc')
    })
  })

  test('trusted peer: the forwarded client', async () => {
    await withServer({ TRUSTED_PROXIES: '127.0.0.1/32' }, async (base) => {
      const r = await fetch(base + '/t/ip', { headers: { 'x-forwarded-for': '1.1.1.1, 198.51.100.1' } })
      expect(await r.text()).toBe('198.51.100.1')
      const d = await fetch(base + '/t/ip/x', { headers: { 'x-forwarded-for': '198.51.100.1' } })
      expect(await d.text()).toBe('198.51.100.1 /t/ip/x x')
    })
  })
})
