// The compiled executable, alone in an empty directory: migrations, /public files and htmx must be
// inside it. Uses dist/ion when it is newer than every source, otherwise builds one into a temp dir.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, entrypoints, WORKER_ENTRYPOINTS } from '../../scripts/build.ts'
import { MIGRATIONS } from '../../src/migrations.ts'
import { cleanEnv, ROOT } from '../helpers/cli.ts'
import { createEmptyDb, type TestDb } from '../helpers/db.ts'

const SOURCES = ['src', 'migrations', 'public', 'scripts/build.ts', 'package.json', 'bun.lock', 'node_modules/htmx.org/dist/htmx.min.js']

function newestMtime(path: string): number {
  const p = join(ROOT, path)
  if (!existsSync(p)) return 0
  const st = statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const e of readdirSync(p, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs)
  }
  return newest
}

let buildDir: string | null = null
let dir: string
let ion: string
let binarySource = ''
let db: TestDb
let autoDb: TestDb
const servers: Bun.Subprocess[] = []

beforeAll(async () => {
  const dist = join(ROOT, 'dist', 'ion')
  const sourcesAt = Math.max(...SOURCES.map(newestMtime))
  let binary = dist
  if (!existsSync(dist) || statSync(dist).mtimeMs < sourcesAt) {
    buildDir = mkdtempSync(join(tmpdir(), 'ion-build-'))
    binary = build(join(buildDir, 'ion'))
    binarySource = 'fresh build'
  } else binarySource = 'dist/ion'
  dir = mkdtempSync(join(tmpdir(), 'ion-bin-'))
  ion = join(dir, 'ion')
  copyFileSync(binary, ion)
  chmodSync(ion, 0o755)
  ;[db, autoDb] = await Promise.all([createEmptyDb(), createEmptyDb()])
}, 120_000)

afterAll(async () => {
  for (const s of servers) s.kill('SIGKILL')
  await Promise.all(servers.map((s) => s.exited))
  await Promise.all([db?.drop(), autoDb?.drop()])
  rmSync(dir, { recursive: true, force: true })
  if (buildDir) rmSync(buildDir, { recursive: true, force: true })
})

/** Only what the binary is given: no PATH to bun, no node_modules, an empty working directory. */
const env = (over: Record<string, string> = {}) =>
  cleanEnv({ PATH: '/usr/bin:/bin', DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL!, NODE_ENV: 'production', ...over })

function run(args: string[], over: Record<string, string> = {}) {
  const p = Bun.spawnSync([ion, ...args], { cwd: dir, env: env(over), stdout: 'pipe', stderr: 'pipe' })
  return { code: p.exitCode, stdout: p.stdout.toString(), stderr: p.stderr.toString() }
}

type Server = { base: string; proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>; lines: () => Record<string, unknown>[]; coldStartMs: number }

/** `ion serve` on a free port; resolves once /healthz answers. */
async function serve(over: Record<string, string> = {}): Promise<Server> {
  const t0 = performance.now()
  const proc = Bun.spawn([ion, 'serve'], { cwd: dir, env: env({ PORT: '0', HOST: '127.0.0.1', ION_LOG_REQUESTS: 'on', ...over }), stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  servers.push(proc)
  let out = ''
  let err = ''
  const drain = async (stream: ReadableStream<Uint8Array>, add: (s: string) => void) => {
    const reader = stream.getReader()
    const text = new TextDecoder()
    for (let r = await reader.read(); !r.done; r = await reader.read()) add(text.decode(r.value, { stream: true }))
  }
  void drain(proc.stdout, (s) => { out += s })
  void drain(proc.stderr, (s) => { err += s })
  const lines = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
  let port = 0
  while (!port) {
    if (proc.exitCode !== null) throw new Error(`ion serve exited ${proc.exitCode}: ${out}${err}`)
    if (performance.now() - t0 > 10_000) throw new Error(`ion serve did not start: ${out}${err}`)
    port = Number(lines().find((l) => l.msg === 'listening')?.port ?? 0)
    if (!port) await Bun.sleep(5)
  }
  const base = `http://127.0.0.1:${port}`
  for (;;) {
    const ok = await fetch(base + '/healthz').then((r) => r.ok, () => false)
    if (ok) break
    if (performance.now() - t0 > 10_000) throw new Error('no /healthz answer')
    await Bun.sleep(5)
  }
  return { base, proc, lines, coldStartMs: performance.now() - t0 }
}

describe('the build', () => {
  test('worker entry points are included when their file exists', () => {
    const expected = ['src/main.ts', ...WORKER_ENTRYPOINTS.filter((p) => existsSync(join(ROOT, p)))]
    expect(entrypoints()).toEqual(expected)
    expect(WORKER_ENTRYPOINTS).toContain('src/platform/mail/worker.ts')
  })

  test('the binary is a standalone executable', () => {
    const size = statSync(ion).size
    console.log(`binary (${binarySource}): ${(size / 1e6).toFixed(1)} MB`)
    expect(size).toBeGreaterThan(50e6)
    expect(readFileSync(ion).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) // ELF
  })
})

describe('ion from an empty directory', () => {
  test('CLI usage works without bun or node_modules', () => {
    expect(run([]).code).toBe(2)
    const help = run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: ion <command>')
  })

  test('a missing DATABASE_URL is one line and exit 1', () => {
    const r = Bun.spawnSync([ion, 'check'], { cwd: dir, env: cleanEnv({ REDIS_URL: process.env.REDIS_URL }), stdout: 'pipe', stderr: 'pipe' })
    expect(r.exitCode).toBe(1)
    const out = (r.stdout.toString() + r.stderr.toString()).trim()
    expect(out.split('\n')).toHaveLength(1)
    expect(out).toContain('DATABASE_URL')
  })

  test('migrate applies the embedded migrations, then nothing', async () => {
    const first = run(['migrate'])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout.trim()).toBe(`migrated: ${MIGRATIONS.map((m) => m.name).join(', ')}`)
    const second = run(['migrate'])
    expect(second.code).toBe(0)
    expect(second.stdout.trim()).toBe('migrated: nothing to do')
    const rows = await db.sql`SELECT name FROM schema_migrations ORDER BY name`
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name))
  })

  test('check: ready', () => {
    const r = run(['check'])
    expect(r.stdout).toContain('verdict: ready')
    expect(r.code).toBe(0)
  })

  test('serve: health, readiness, embedded assets, the 404 page, logs, graceful stop', async () => {
    const s = await serve()
    console.log(`cold start (spawn → /healthz 200): ${Math.round(s.coldStartMs)} ms`)
    expect(s.lines().find((l) => l.msg === 'listening')?.standalone).toBe(true)

    const health = await fetch(s.base + '/healthz')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })

    const ready = await fetch(s.base + '/readyz')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ok: true })

    const htmx = await fetch(s.base + '/public/htmx.min.js')
    expect(htmx.status).toBe(200)
    expect(htmx.headers.get('content-type')).toStartWith('text/javascript')
    expect(new Uint8Array(await htmx.arrayBuffer())).toEqual(new Uint8Array(readFileSync(join(ROOT, 'node_modules/htmx.org/dist/htmx.min.js'))))

    const css = await fetch(s.base + '/public/app.css')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toStartWith('text/css')
    expect(await css.text()).toBe(readFileSync(join(ROOT, 'public/app.css'), 'utf8'))
    const etag = css.headers.get('etag')!
    expect((await fetch(s.base + '/public/app.css', { headers: { 'if-none-match': etag } })).status).toBe(304)

    for (const name of ['app.js', 'favicon.svg']) expect((await fetch(s.base + '/public/' + name)).status).toBe(200)
    expect((await fetch(s.base + '/public/nope.js')).status).toBe(404)

    const missing = await fetch(s.base + '/no/such/page')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toStartWith('text/html')
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'self'")
    const page = await missing.text()
    expect(page).toStartWith('<!doctype html>')
    expect(page).toContain('<main id="main"')
    expect(page).toContain('/public/htmx.min.js?v=')

    const api = await fetch(s.base + '/api/nope')
    expect(api.status).toBe(404)
    expect(await api.json()).toHaveProperty('details')

    // Nothing was read from or written to the working directory.
    expect(readdirSync(dir)).toEqual(['ion'])

    await Bun.sleep(20)
    const logged = s.lines().filter((l) => l.msg === 'request')
    expect(logged.find((l) => l.path === '/no/such/page')?.status).toBe(404)
    expect(logged.find((l) => l.path === '/readyz')?.status).toBe(200)
    expect(s.lines().filter((l) => l.level === 'error')).toEqual([])

    s.proc.kill('SIGTERM')
    expect(await s.proc.exited).toBe(0)
    expect(s.lines().some((l) => l.msg === 'shutting down')).toBe(true)
  })

  test('serve with ION_AUTO_MIGRATE=on migrates an empty database first', async () => {
    const s = await serve({ DATABASE_URL: autoDb.url, ION_AUTO_MIGRATE: 'on' })
    expect((await fetch(s.base + '/readyz')).status).toBe(200)
    const rows = await autoDb.sql`SELECT count(*)::int AS n FROM schema_migrations`
    expect(rows[0]!.n).toBe(MIGRATIONS.length)
    expect(s.lines().find((l) => l.msg === 'migrated')?.applied).toEqual(MIGRATIONS.map((m) => m.name))
    s.proc.kill('SIGTERM')
    expect(await s.proc.exited).toBe(0)
  })
})
