// docker-compose.yml and the Dockerfile, checked without a Docker engine: structure, the
// configuration they pass, and their health-check commands run for real against a live server.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { CONFIG_DOC, loadConfig } from '../../src/config.ts'
import { ROOT } from '../helpers/cli.ts'
import { testEnv, type TestEnv } from '../helpers/app.ts'

type Service = {
  image?: string
  build?: string | { context?: string }
  command?: string | string[]
  environment?: Record<string, string | number | boolean | null> | string[]
  depends_on?: string[] | Record<string, { condition?: string }>
  healthcheck?: { test?: string | string[]; disable?: boolean }
  volumes?: (string | { source?: string; target?: string })[]
  ports?: string[]
  user?: string
}
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> }

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
const REQUIRED = CONFIG_DOC.filter(([, def]) => def === 'required').map(([name]) => name)
const KNOWN = new Set(CONFIG_DOC.map(([name]) => name))

function envOf(s: Service): Record<string, string> {
  const e = s.environment ?? {}
  if (Array.isArray(e)) return Object.fromEntries(e.map((kv) => [kv.split('=')[0]!, kv.split('=').slice(1).join('=')]))
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]))
}

/** What compose does with `${VAR:-default}` when VAR is unset. */
const interpolate = (v: string) => v.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_m, _name: string, def?: string) => def ?? '')

const words = (c: string | string[] | undefined) => (Array.isArray(c) ? c : (c ?? '').split(/\s+/)).filter(Boolean)

describe('docker-compose.yml', () => {
  const { ion, postgres, redis } = compose.services

  test('three services: ion (built here), postgres:15, redis:7', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['ion', 'postgres', 'redis'])
    const build = ion!.build
    expect(typeof build === 'string' ? build : build?.context).toBe('.')
    expect(postgres!.image).toBe('postgres:15')
    expect(redis!.image).toBe('redis:7')
  })

  test('every service has a health check', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect([name, Boolean(s.healthcheck?.test?.length)]).toEqual([name, true])
      expect(s.healthcheck?.disable).not.toBe(true)
      expect(words(s.healthcheck!.test)[0]).not.toBe('NONE')
    }
    expect(words(postgres!.healthcheck!.test).join(' ')).toContain('pg_isready')
    expect(words(redis!.healthcheck!.test).join(' ')).toContain('ping')
    expect(words(ion!.healthcheck!.test).join(' ')).toContain('/healthz')
  })

  test('redis persists with append-only files on a named volume', () => {
    const cmd = words(redis!.command)
    const i = cmd.indexOf('--appendonly')
    expect(i).toBeGreaterThanOrEqual(0)
    expect(cmd[i + 1]).toBe('yes')
    expect(redis!.volumes).toContainEqual(expect.stringMatching(/^\w+:\/data$/))
  })

  test('postgres keeps its data on a named volume', () => {
    expect(postgres!.volumes).toContainEqual(expect.stringMatching(/^\w+:\/var\/lib\/postgresql\/data$/))
  })

  test('the named volumes are declared', () => {
    for (const s of [postgres!, redis!]) {
      for (const v of s.volumes ?? []) {
        const name = typeof v === 'string' ? v.split(':')[0]! : v.source!
        expect(Object.keys(compose.volumes ?? {})).toContain(name)
      }
    }
  })

  test('ion starts after healthy postgres and redis', () => {
    const d = ion!.depends_on as Record<string, { condition?: string }>
    expect(Array.isArray(d)).toBe(false)
    expect(d.postgres?.condition).toBe('service_healthy')
    expect(d.redis?.condition).toBe('service_healthy')
  })

  test('ion gets every required variable, and the ones a school sets', () => {
    const env = envOf(ion!)
    expect(REQUIRED.length).toBeGreaterThan(0)
    for (const name of REQUIRED) expect([name, interpolate(env[name] ?? '')]).toEqual([name, expect.stringMatching(/.+/)])
    for (const name of ['BASE_URL', 'SMTP_URL', 'MAIL_FROM', 'SCHOOL_NAME', 'SCHOOL_TZ', 'ION_AUTO_MIGRATE']) expect(Object.keys(env)).toContain(name)
    expect(env.ION_AUTO_MIGRATE).toBe('on')
  })

  test('every variable given to ion is one Ion knows (no typos)', () => {
    for (const name of Object.keys(envOf(ion!))) expect([name, KNOWN.has(name)]).toEqual([name, true])
  })

  test('with nothing set, the environment is a valid configuration pointing at the two services', () => {
    const env = Object.fromEntries(Object.entries(envOf(ion!)).map(([k, v]) => [k, interpolate(v)]))
    const config = loadConfig(env)
    expect(new URL(config.databaseUrl).hostname).toBe('postgres')
    expect(new URL(config.redisUrl).hostname).toBe('redis')
    expect(config.autoMigrate).toBe(true)
    expect(config.nodeEnv).toBe('production')
    // The URL's credentials and database are the ones the postgres service creates.
    const pg = envOf(postgres!)
    const u = new URL(config.databaseUrl)
    expect(u.username).toBe(pg.POSTGRES_USER!)
    expect(decodeURIComponent(u.password)).toBe(interpolate(pg.POSTGRES_PASSWORD!))
    expect(u.pathname).toBe('/' + pg.POSTGRES_DB)
    expect(config.port).toBe(3000)
  })
})

describe('Dockerfile', () => {
  // Instructions with their continuation lines joined, comments dropped.
  const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const froms = instructions.filter((l) => /^FROM /i.test(l))
  const runtime = instructions.slice(instructions.lastIndexOf(froms.at(-1)!))

  test('multi-stage: oven/bun:1.4.4 builds, debian:bookworm-slim runs', () => {
    expect(froms).toHaveLength(2)
    expect(froms[0]).toMatch(/^FROM oven\/bun:1\.4\.4 AS builder$/i)
    expect(froms[1]).toMatch(/^FROM debian:bookworm-slim$/i)
    const builderRuns = instructions.slice(0, instructions.indexOf(froms[1]!)).filter((l) => l.startsWith('RUN ')).join(' ')
    expect(builderRuns).toContain('bun install --frozen-lockfile')
    expect(builderRuns).toContain('bun run build')
  })

  test('the runtime image holds only the binary, from the builder', () => {
    const copies = runtime.filter((l) => l.startsWith('COPY '))
    expect(copies).toHaveLength(1)
    expect(copies[0]).toMatch(/^COPY --from=builder \S*\/dist\/ion \S+$/)
  })

  test('runs as a non-root user', () => {
    const users = runtime.filter((l) => /^USER /i.test(l))
    expect(users.length).toBeGreaterThan(0)
    const user = users.at(-1)!.split(/\s+/)[1]!.split(':')[0]!
    expect(['root', '0', '']).not.toContain(user)
  })

  test('exposes 3000, runs `ion serve`, has a health check', () => {
    expect(runtime).toContain('EXPOSE 3000')
    expect(runtime.find((l) => l.startsWith('ENTRYPOINT'))).toContain('ion')
    expect(runtime.find((l) => l.startsWith('CMD'))).toBe('CMD ["serve"]')
    expect(runtime.find((l) => l.startsWith('HEALTHCHECK'))).toContain('/healthz')
  })

  test('the builder copies everything the build needs', () => {
    const copied = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from')).join(' ')
    for (const p of ['package.json', 'bun.lock', 'tsconfig.json', 'scripts', 'migrations', 'public', 'src']) expect(copied).toContain(p)
  })

  test('.dockerignore keeps local state out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim())
    for (const p of ['.git', '.data', 'node_modules', 'dist']) expect(ignored).toContain(p)
  })
})

describe('the health-check commands work (bash /dev/tcp, no curl)', () => {
  let env: TestEnv
  let port = 0
  beforeAll(async () => {
    env = await testEnv()
    env.app.listen({ port: 0, hostname: '127.0.0.1' })
    port = env.app.server!.port!
  })
  afterAll(async () => {
    await env.app.stop(true)
    await env.close()
  })

  // Async: the server answering the check lives in this process.
  const exec = (argv: string[], extraEnv: Record<string, string> = {}) =>
    Bun.spawn(argv, { env: { PATH: '/usr/bin:/bin', ...extraEnv }, stdout: 'ignore', stderr: 'ignore', timeout: 5000 }).exited

  test('the Dockerfile HEALTHCHECK: healthy on a live server, unhealthy on a closed port', async () => {
    const line = dockerfile.replace(/\\\n/g, ' ').split('\n').find((l) => l.startsWith('HEALTHCHECK'))!
    const argv = JSON.parse(line.slice(line.indexOf('CMD') + 3).trim()) as string[]
    expect(argv[0]).toBe('bash')
    expect(await exec(argv, { PORT: String(port) })).toBe(0)
    expect(await exec(argv, { PORT: '1' })).not.toBe(0)
  })

  test('the compose ion health check: same', async () => {
    const [kind, ...argv] = words(compose.services.ion!.healthcheck!.test)
    expect(kind).toBe('CMD')
    const on = (p: number) => argv.map((a) => a.replace('/dev/tcp/127.0.0.1/3000', `/dev/tcp/127.0.0.1/${p}`))
    expect(await exec(on(port))).toBe(0)
    expect(await exec(on(1))).not.toBe(0)
  })
})
