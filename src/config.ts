// One typed, validated config object, read only from the environment.
// A missing or malformed value stops the process with one line naming it.

export type Config = {
  databaseUrl: string
  redisUrl: string
  redisPrefix: string
  port: number
  host: string
  baseUrl: string
  https: boolean
  nodeEnv: 'development' | 'production' | 'test'
  smtpUrl: string | null
  mailFrom: string
  mailSubjectPrefix: string
  mailBccBatch: number
  /** How long a mail worker's claim on a message lasts before another may send it (renewed while sending). */
  mailLeaseSeconds: number
  /** How long a scheduled run may go without a heartbeat before it is marked abandoned. */
  jobLeaseSeconds: number
  schoolName: string
  schoolTz: string
  yearTurnoverMonth: number
  trustedProxies: Cidr[]
  internalIps: Cidr[]
  loginNatRanges: Cidr[]
  autoMigrate: boolean
  dbPoolMax: number
  demoPassword: string
  apiBasicAuth: boolean
  requireAdminTotp: boolean
  frameHosts: string[]
  logRequests: boolean
  schoolEmailDomains: string[]
  passwordMinLength: number
  /** Local hour at which /bus switches from the morning board to the afternoon lot map. */
  busChangeoverHour: number
  /** 'HH:MM': the end of the school day when the bell schedule has none. */
  busDayEnd: string
  /** Eighth: the activity ("administrative study hall") still-unsigned students are placed in when the office locks a block; null = off. */
  eighthDefaultActivityId: number | null
  /** Emergency banner text that always wins over the feed (Ion's EMERGENCY_MESSAGE); null = none. */
  emergencyMessage: string | null
  /** An external alert feed (RSS, Atom or JSON) read every 5 minutes; null = none. */
  emergencyFeedUrl: string | null
}

export type Cidr = { v6: boolean; bits: bigint; prefix: number; text: string }

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

const SECRET_KEYS = ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL']

function str(env: Env, key: string, def?: string): string {
  const v = env[key]
  if (v === undefined || v === '') {
    if (def === undefined) throw new ConfigError(`${key} is required`)
    return def
  }
  return v
}

function int(env: Env, key: string, def: number, min: number, max: number): number {
  const v = env[key]
  if (v === undefined || v === '') return def
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new ConfigError(`${key} must be a whole number from ${min} to ${max} (got "${v}")`)
  return Number(v)
}

function bool(env: Env, key: string, def: boolean): boolean {
  const v = env[key]?.toLowerCase()
  if (v === undefined || v === '') return def
  if (['1', 'on', 'true', 'yes'].includes(v)) return true
  if (['0', 'off', 'false', 'no'].includes(v)) return false
  throw new ConfigError(`${key} must be on or off (got "${env[key]}")`)
}

function url(env: Env, key: string, protocols: string[], def?: string | null): string | null {
  const v = env[key]
  if (v === undefined || v === '') {
    if (def === undefined) throw new ConfigError(`${key} is required`)
    return def
  }
  let u: URL
  try {
    u = new URL(v)
  } catch {
    throw new ConfigError(`${key} is not a valid URL`)
  }
  if (!protocols.includes(u.protocol)) throw new ConfigError(`${key} must start with ${protocols.map((p) => p + '//').join(' or ')}`)
  return v
}

export function parseCidr(text: string): Cidr | null {
  const [addr, pfx] = text.split('/')
  if (!addr) return null
  const ip = parseIp(addr)
  if (!ip) return null
  const max = ip.v6 ? 128 : 32
  const prefix = pfx === undefined ? max : /^\d+$/.test(pfx) ? Number(pfx) : NaN
  if (!(prefix >= 0 && prefix <= max)) return null
  return { v6: ip.v6, bits: ip.bits, prefix, text }
}

export function parseIp(addr: string): { v6: boolean; bits: bigint } | null {
  let a = addr.trim()
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice(7)
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(a)) {
    const parts = a.split('.').map(Number)
    if (parts.some((p) => p > 255)) return null
    return { v6: false, bits: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) }
  }
  if (!/^[0-9a-fA-F:]+$/.test(a) || !a.includes(':')) return null
  const halves = a.split('::')
  if (halves.length > 2) return null
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const fill = 8 - head.length - tail.length
  if ((halves.length === 1 && fill !== 0) || fill < 0) return null
  const groups = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail]
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null
  return { v6: true, bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) }
}

export function ipInRanges(ip: string, ranges: Cidr[]): boolean {
  const p = parseIp(ip)
  if (!p) return false
  return ranges.some((r) => {
    if (r.v6 !== p.v6) return false
    const width = r.v6 ? 128n : 32n
    const shift = width - BigInt(r.prefix)
    return p.bits >> shift === r.bits >> shift
  })
}

function cidrs(env: Env, key: string): Cidr[] {
  const v = env[key]?.trim()
  if (!v) return []
  return v.split(/[\s,]+/).filter(Boolean).map((part) => {
    const c = parseCidr(part)
    if (!c) throw new ConfigError(`${key} has an invalid address or range: "${part}"`)
    return c
  })
}

function clockTime(env: Env, key: string, def: string): string {
  const v = str(env, key, def)
  const m = /^(\d{1,2}):(\d{2})$/.exec(v)
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new ConfigError(`${key} must be a time of day as HH:MM (got "${v}")`)
  return `${m[1]!.padStart(2, '0')}:${m[2]}`
}

function timeZone(env: Env, key: string, def: string): string {
  const tz = str(env, key, def)
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
  } catch {
    throw new ConfigError(`${key} is not a known time zone: "${tz}"`)
  }
  return tz
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnvRaw = env.NODE_ENV || 'development'
  if (!['development', 'production', 'test'].includes(nodeEnvRaw))
    throw new ConfigError(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`)
  const port = int(env, 'PORT', 3000, 0, 65535)
  const baseUrl = url(env, 'BASE_URL', ['http:', 'https:'], `http://localhost:${port}`)!.replace(/\/+$/, '')
  const mailFrom = str(env, 'MAIL_FROM', 'ion-noreply@localhost')
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom)) throw new ConfigError(`MAIL_FROM must be an email address`)
  return {
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'])!,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:'])!,
    redisPrefix: (() => {
      const p = env.REDIS_PREFIX ?? 'ion:'
      if (!/^[A-Za-z0-9_.:-]{1,40}$/.test(p)) throw new ConfigError('REDIS_PREFIX may hold letters, digits and _ . : - (1 to 40 characters)')
      return p
    })(),
    port,
    host: str(env, 'HOST', '0.0.0.0'),
    baseUrl,
    https: baseUrl.startsWith('https:'),
    nodeEnv: nodeEnvRaw as Config['nodeEnv'],
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:'], null),
    mailFrom,
    mailSubjectPrefix: env.MAIL_SUBJECT_PREFIX ?? '[Ion] ',
    mailBccBatch: int(env, 'MAIL_BCC_BATCH', 500, 1, 10000),
    mailLeaseSeconds: int(env, 'MAIL_LEASE_SECONDS', 120, 3, 3600),
    jobLeaseSeconds: int(env, 'JOB_LEASE_SECONDS', 60, 3, 3600),
    schoolName: str(env, 'SCHOOL_NAME', 'Ion High School'),
    schoolTz: timeZone(env, 'SCHOOL_TZ', 'America/New_York'),
    yearTurnoverMonth: int(env, 'YEAR_TURNOVER_MONTH', 7, 1, 12),
    trustedProxies: cidrs(env, 'TRUSTED_PROXIES'),
    internalIps: cidrs(env, 'INTERNAL_IPS'),
    loginNatRanges: cidrs(env, 'LOGIN_NAT_RANGES'),
    autoMigrate: bool(env, 'ION_AUTO_MIGRATE', false),
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 500),
    demoPassword: str(env, 'ION_DEMO_PASSWORD', 'demo'),
    apiBasicAuth: bool(env, 'ION_API_BASIC_AUTH', true),
    requireAdminTotp: bool(env, 'ION_REQUIRE_ADMIN_TOTP', false),
    frameHosts: (env.FRAME_HOSTS ?? '').split(/[\s,]+/).filter(Boolean).map((h) => {
      if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(h)) throw new ConfigError(`FRAME_HOSTS entries must be https://host (got "${h}")`)
      return h.toLowerCase()
    }),
    logRequests: bool(env, 'ION_LOG_REQUESTS', true),
    schoolEmailDomains: (env.SCHOOL_EMAIL_DOMAINS ?? '').split(/[\s,]+/).filter(Boolean).map((d) => {
      if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(d)) throw new ConfigError(`SCHOOL_EMAIL_DOMAINS has an invalid domain: "${d}"`)
      return d.toLowerCase()
    }),
    passwordMinLength: int(env, 'PASSWORD_MIN_LENGTH', 8, 6, 64),
    busChangeoverHour: int(env, 'BUS_CHANGEOVER_HOUR', 10, 1, 23),
    busDayEnd: clockTime(env, 'BUS_DAY_END', '16:00'),
    eighthDefaultActivityId: env.EIGHTH_DEFAULT_ACTIVITY_ID ? int(env, 'EIGHTH_DEFAULT_ACTIVITY_ID', 0, 1, 2147483647) : null,
    emergencyMessage: (() => {
      const m = (env.EMERGENCY_MESSAGE ?? '').trim()
      if (m.length > 2000) throw new ConfigError('EMERGENCY_MESSAGE is at most 2000 characters')
      return m || null
    })(),
    emergencyFeedUrl: url(env, 'EMERGENCY_FEED_URL', ['http:', 'https:'], null),
  }
}

/** The config with secrets masked, for logs and `ion check`. */
export function describeConfig(c: Config): Record<string, unknown> {
  // Parsed, not matched with a regex: a password may itself contain "@" (the URL parser takes the
  // last one), and the old regex then printed the password's tail.
  const mask = (u: string | null) => {
    if (!u) return u
    try {
      const x = new URL(u)
      if (x.password) x.password = '***'
      for (const k of [...x.searchParams.keys()]) if (/pass|secret|token|key/i.test(k)) x.searchParams.set(k, '***')
      return x.toString()
    } catch {
      return '***'
    }
  }
  return {
    ...c,
    databaseUrl: mask(c.databaseUrl),
    redisUrl: mask(c.redisUrl),
    smtpUrl: mask(c.smtpUrl),
    demoPassword: '***',
    trustedProxies: c.trustedProxies.map((x) => x.text),
    internalIps: c.internalIps.map((x) => x.text),
    loginNatRanges: c.loginNatRanges.map((x) => x.text),
  }
}

export const SECRET_ENV_KEYS = SECRET_KEYS

/** Every variable, its default and whether it is required (README and `ion --help`). */
export const CONFIG_DOC: [string, string, string][] = [
  ['DATABASE_URL', 'required', 'PostgreSQL URL (postgres://user:pass@host:port/db)'],
  ['REDIS_URL', 'required', 'Redis URL (redis://host:port)'],
  ['REDIS_PREFIX', 'ion:', 'prefix of every Redis key and pub/sub channel (separate Ion sites sharing one Redis)'],
  ['PORT', '3000', 'HTTP port'],
  ['HOST', '0.0.0.0', 'address to listen on'],
  ['BASE_URL', 'http://localhost:$PORT', 'public URL; https enables Secure cookies and HSTS'],
  ['NODE_ENV', 'development', 'development, production or test'],
  ['SMTP_URL', '(none)', 'smtp:// or smtps:// URL; without it mail stays in the outbox and is logged'],
  ['MAIL_FROM', 'ion-noreply@localhost', 'From address of every email'],
  ['MAIL_SUBJECT_PREFIX', '"[Ion] "', 'prefix of every subject'],
  ['MAIL_BCC_BATCH', '500', 'recipients per BCC message'],
  ['MAIL_LEASE_SECONDS', '120', "how long a mail worker's claim on a message lasts (renewed while sending); a killed worker's message is sent again after it"],
  ['JOB_LEASE_SECONDS', '60', 'a scheduled run with no heartbeat for this long (its process died) is marked abandoned; its slot is not run again'],
  ['SCHOOL_NAME', 'Ion High School', "the school's name in pages and emails"],
  ['SCHOOL_TZ', 'America/New_York', "the school's time zone"],
  ['YEAR_TURNOVER_MONTH', '7', 'month in which the school year (and grades) turn over'],
  ['TRUSTED_PROXIES', '(empty)', 'CIDR list whose X-Forwarded-For is believed'],
  ['INTERNAL_IPS', '(empty)', 'CIDR list granted read-only anonymous access (bus board, signage)'],
  ['LOGIN_NAT_RANGES', '(empty)', "CIDR list of the school's NAT addresses: exempt from the per-IP login limit"],
  ['ION_AUTO_MIGRATE', 'off', 'apply migrations when `ion serve` starts'],
  ['DB_POOL_MAX', '10', 'PostgreSQL connections per process (about 5 per CPU core of the database server; more only adds lock and context-switch overhead)'],
  ['ION_DEMO_PASSWORD', 'demo', 'password of every demo account (`seed --demo`)'],
  ['ION_API_BASIC_AUTH', 'on', 'accept HTTP Basic credentials on /api'],
  ['ION_REQUIRE_ADMIN_TOTP', 'off', 'make two-step login mandatory for accounts with an admin_* permission'],
  ['FRAME_HOSTS', '(empty)', 'https origins allowed in announcement iframes (and the CSP frame-src)'],
  ['ION_LOG_REQUESTS', 'on', 'one JSON log line per request'],
  ['ION_STARTUP_TRACE', 'off', '`ion serve` writes each start-up step to stderr, in ms since the process started'],
  ['SCHOOL_EMAIL_DOMAINS', '(empty)', "the school's email domains (a user's school address is the first in one of them)"],
  ['PASSWORD_MIN_LENGTH', '8', 'minimum password length (common passwords are refused too)'],
  ['BUS_CHANGEOVER_HOUR', '10', 'hour (1–23, school time) at which /bus turns from the morning board to the afternoon lot map; routes reset one minute later'],
  ['BUS_DAY_END', '16:00', 'end of the school day (HH:MM) for the bus board when the bell schedule has none'],
  ['EIGHTH_DEFAULT_ACTIVITY_ID', '(empty)', "eighth: activity id (e.g. an administrative study hall) where the office places a block's still-unsigned students when it locks the block; empty = off"],
  ['EMERGENCY_MESSAGE', '(empty)', 'emergency banner on every page (and /api/emerg); when set it wins over the alert feed'],
  ['EMERGENCY_FEED_URL', '(empty)', 'external alert feed (RSS, Atom or JSON) read every 5 minutes; its newest item is the emergency banner'],
]
