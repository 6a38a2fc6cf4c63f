import { describe, expect, test } from 'bun:test'
import { CONFIG_DOC, ConfigError, describeConfig, loadConfig } from '../../src/config.ts'
import { ROOT, cleanEnv } from '../helpers/cli.ts'

const BASE = { DATABASE_URL: 'postgres://ion@127.0.0.1:5432/ion', REDIS_URL: 'redis://127.0.0.1:6379' }
const load = (over: Record<string, string | undefined> = {}) => loadConfig({ ...BASE, ...over })

function configError(over: Record<string, string | undefined>): ConfigError {
  try {
    load(over)
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return e as ConfigError
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(over)}`)
}

const REQUIRED = CONFIG_DOC.filter(([, def]) => def === 'required').map(([name]) => name)

describe('required variables', () => {
  test('CONFIG_DOC names DATABASE_URL and REDIS_URL as required', () => {
    expect(REQUIRED).toContain('DATABASE_URL')
    expect(REQUIRED).toContain('REDIS_URL')
  })

  for (const name of REQUIRED) {
    test(`${name} missing or empty → ConfigError naming it`, () => {
      expect(configError({ [name]: undefined }).message).toContain(name)
      expect(configError({ [name]: '' }).message).toContain(name)
    })
  }

  test('with only the required variables the config loads', () => {
    expect(() => loadConfig(Object.fromEntries(REQUIRED.map((n) => [n, BASE[n as keyof typeof BASE]])))).not.toThrow()
  })
})

describe('malformed values name the variable', () => {
  test.each(['abc', '3000x', '-1', '65536', '1.5', ' 80'])('PORT=%p', (v) => {
    expect(configError({ PORT: v }).message).toContain('PORT')
  })

  test.each([
    ['DATABASE_URL', 'mysql://ion@db/ion'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['SMTP_URL', 'http://mail.example.org'],
    ['BASE_URL', 'ftp://ion.example.org'],
  ])('%s=%p (wrong protocol / not a URL)', (name, v) => {
    const e = configError({ [name]: v })
    expect(e.message).toContain(name)
  })

  test('the error for a bad URL does not echo the value (it may hold a password)', () => {
    expect(configError({ DATABASE_URL: 'mysql://ion:hunter2@db/ion' }).message).not.toContain('hunter2')
    expect(configError({ REDIS_URL: 'http://:hunter2@r' }).message).not.toContain('hunter2')
  })

  test.each(['Mars/Olympus_Mons', 'EST5EDT/x', 'nowhere'])('SCHOOL_TZ=%p', (v) => {
    expect(configError({ SCHOOL_TZ: v }).message).toContain('SCHOOL_TZ')
  })

  test.each(['10.0.0.0/33', 'not-an-ip', '300.1.1.1', '10.0.0.0/8, 1.2.3', '::1/129', '1:2:3', '10.0.0.0/x'])('TRUSTED_PROXIES=%p', (v) => {
    const e = configError({ TRUSTED_PROXIES: v })
    expect(e.message).toContain('TRUSTED_PROXIES')
  })

  test('INTERNAL_IPS and LOGIN_NAT_RANGES are checked the same way', () => {
    expect(configError({ INTERNAL_IPS: '10.0.0.0/40' }).message).toContain('INTERNAL_IPS')
    expect(configError({ LOGIN_NAT_RANGES: 'x' }).message).toContain('LOGIN_NAT_RANGES')
  })

  test.each(['ION_AUTO_MIGRATE', 'ION_API_BASIC_AUTH', 'ION_REQUIRE_ADMIN_TOTP', 'ION_LOG_REQUESTS'])('%s=maybe', (name) => {
    expect(configError({ [name]: 'maybe' }).message).toContain(name)
    expect(configError({ [name]: '2' }).message).toContain(name)
  })

  test('other numbers and enums', () => {
    expect(configError({ NODE_ENV: 'staging' }).message).toContain('NODE_ENV')
    expect(configError({ MAIL_BCC_BATCH: '0' }).message).toContain('MAIL_BCC_BATCH')
    expect(configError({ YEAR_TURNOVER_MONTH: '13' }).message).toContain('YEAR_TURNOVER_MONTH')
    expect(configError({ DB_POOL_MAX: 'many' }).message).toContain('DB_POOL_MAX')
    expect(configError({ MAIL_FROM: 'not an address' }).message).toContain('MAIL_FROM')
    expect(configError({ FRAME_HOSTS: 'http://insecure.example' }).message).toContain('FRAME_HOSTS')
  })
})

describe('accepted values', () => {
  test('booleans: on/off, true/false, yes/no, 1/0, any case', () => {
    for (const v of ['on', 'ON', 'true', 'Yes', '1']) expect(load({ ION_AUTO_MIGRATE: v }).autoMigrate).toBe(true)
    for (const v of ['off', 'Off', 'false', 'NO', '0']) expect(load({ ION_LOG_REQUESTS: v }).logRequests).toBe(false)
  })

  test('CIDR lists: IPv4, IPv6, bare addresses, comma or space separated', () => {
    const c = load({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1  fd00::/8,::1' })
    expect(c.trustedProxies.map((x) => x.text)).toEqual(['10.0.0.0/8', '192.168.1.1', 'fd00::/8', '::1'])
    expect(c.trustedProxies.map((x) => x.prefix)).toEqual([8, 32, 8, 128])
    expect(c.trustedProxies.map((x) => x.v6)).toEqual([false, false, true, true])
  })

  test('PORT 0 (any free port) and 65535 are valid', () => {
    expect(load({ PORT: '0' }).port).toBe(0)
    expect(load({ PORT: '65535' }).port).toBe(65535)
  })

  test('https BASE_URL turns on https; a trailing slash is dropped', () => {
    const c = load({ BASE_URL: 'https://ion.example.org/' })
    expect(c.baseUrl).toBe('https://ion.example.org')
    expect(c.https).toBe(true)
  })
})

describe('defaults', () => {
  test('match CONFIG_DOC', () => {
    const c = load()
    const doc = Object.fromEntries(CONFIG_DOC.map(([name, def]) => [name, def]))
    expect(c.port).toBe(Number(doc.PORT))
    expect(c.host).toBe(doc.HOST!)
    expect(c.baseUrl).toBe('http://localhost:3000')
    expect(doc.BASE_URL).toBe('http://localhost:$PORT')
    expect(load({ PORT: '8080' }).baseUrl).toBe('http://localhost:8080')
    expect(c.https).toBe(false)
    expect(c.nodeEnv).toBe(doc.NODE_ENV as 'development')
    expect(c.smtpUrl).toBeNull()
    expect(c.mailFrom).toBe(doc.MAIL_FROM!)
    expect(c.mailSubjectPrefix).toBe('[Ion] ')
    expect(c.mailBccBatch).toBe(Number(doc.MAIL_BCC_BATCH))
    expect(c.schoolName).toBe(doc.SCHOOL_NAME!)
    expect(c.schoolTz).toBe(doc.SCHOOL_TZ!)
    expect(c.yearTurnoverMonth).toBe(Number(doc.YEAR_TURNOVER_MONTH))
    expect(c.trustedProxies).toEqual([])
    expect(c.internalIps).toEqual([])
    expect(c.loginNatRanges).toEqual([])
    expect(c.autoMigrate).toBe(doc.ION_AUTO_MIGRATE === 'on')
    expect(c.dbPoolMax).toBe(Number(doc.DB_POOL_MAX))
    expect(c.demoPassword).toBe(doc.ION_DEMO_PASSWORD!)
    expect(c.apiBasicAuth).toBe(doc.ION_API_BASIC_AUTH === 'on')
    expect(c.requireAdminTotp).toBe(doc.ION_REQUIRE_ADMIN_TOTP === 'on')
    expect(c.frameHosts).toEqual([])
    expect(c.logRequests).toBe(doc.ION_LOG_REQUESTS === 'on')
  })

  test('every CONFIG_DOC row has a name, a default and a description', () => {
    const names = new Set<string>()
    for (const [name, def, help] of CONFIG_DOC) {
      expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/)
      expect(def.length).toBeGreaterThan(0)
      expect(help.length).toBeGreaterThan(0)
      expect(names.has(name)).toBe(false)
      names.add(name)
    }
  })
})

describe('describeConfig masks secrets', () => {
  const secrets = {
    DATABASE_URL: 'postgres://ion:pg-Secret%2F1@db.example:5432/ion?sslmode=require',
    REDIS_URL: 'rediss://default:redis-Secret-2@cache.example:6380',
    SMTP_URL: 'smtps://mailer:smtp-Secret-3@mail.example:465',
    ION_DEMO_PASSWORD: 'demo-Secret-4',
  }

  test('passwords in URLs and the demo password never appear', () => {
    const out = JSON.stringify(describeConfig(load(secrets)))
    for (const s of ['pg-Secret', 'redis-Secret-2', 'smtp-Secret-3', 'demo-Secret-4']) expect(out).not.toContain(s)
    // The rest is still useful: user, host, port, database.
    expect(out).toContain('ion:***@db.example:5432/ion')
    expect(out).toContain('cache.example:6380')
    expect(out).toContain('mailer:***@mail.example:465')
  })

  test('a password containing "@" is masked whole', () => {
    const out = JSON.stringify(describeConfig(load({ DATABASE_URL: 'postgres://ion:tail@part@db.example/ion' })))
    expect(out).not.toContain('tail')
    expect(out).not.toContain('part')
    expect(out).toContain('db.example')
  })

  test('a password-only URL and query-string secrets are masked', () => {
    const out = JSON.stringify(describeConfig(load({
      REDIS_URL: 'redis://:only-Secret@cache.example:6379',
      DATABASE_URL: 'postgres://db.example/ion?password=query-Secret',
    })))
    expect(out).not.toContain('only-Secret')
    expect(out).not.toContain('query-Secret')
  })

  test('CIDR lists are shown as text', () => {
    const d = describeConfig(load({ TRUSTED_PROXIES: '10.0.0.0/8' }))
    expect(d.trustedProxies).toEqual(['10.0.0.0/8'])
  })
})

describe('ion check with a bad environment', () => {
  test('DATABASE_URL unset: one line naming it, exit 1', () => {
    const env = cleanEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })
    const p = Bun.spawnSync([process.execPath, '--no-env-file', 'src/main.ts', 'check'], { cwd: ROOT, env, stdout: 'pipe', stderr: 'pipe' })
    const out = (p.stdout.toString() + p.stderr.toString()).trim()
    expect(p.exitCode).toBe(1)
    expect(out.split('\n')).toHaveLength(1)
    expect(out).toContain('DATABASE_URL')
  })

  test('malformed PORT: one line naming it, exit 1', () => {
    const env = cleanEnv({ ...BASE, PORT: 'eighty' })
    const p = Bun.spawnSync([process.execPath, '--no-env-file', 'src/main.ts', 'check'], { cwd: ROOT, env, stdout: 'pipe', stderr: 'pipe' })
    const out = (p.stdout.toString() + p.stderr.toString()).trim()
    expect(p.exitCode).toBe(1)
    expect(out.split('\n')).toHaveLength(1)
    expect(out).toContain('PORT')
  })
})
