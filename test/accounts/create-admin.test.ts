import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { cleanEnv, ROOT } from '../helpers/cli.ts'
import { login, makeUser } from '../helpers/factories.ts'

// `ion create-admin` as a real process (`bun src/main.ts`) against this file's own database.

let env: TestEnv
beforeAll(async () => {
  env = await testEnv()
  env.clock.set(new Date()) // the CLI runs on the system clock: its links expire in real time
})
afterAll(async () => { await env.close() })

const BASE_URL = 'https://ion.example.org'

async function ion(args: string[], stdin?: string) {
  const p = Bun.spawn([process.execPath, '--no-env-file', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: env.db.url, REDIS_URL: process.env.REDIS_URL, BASE_URL }),
    stdin: stdin === undefined ? 'ignore' : new Blob([stdin]),
    stdout: 'pipe', stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, stdout, stderr }
}

const linkIn = (out: string) => out.match(/https:\/\/ion\.example\.org\/password\/reset\/([a-z2-7]{52})\n/)?.[1] ?? null
const account = async (username: string) =>
  (await env.sql`SELECT id, user_type, is_superuser, locked, password_hash FROM users WHERE lower(username) = lower(${username})`)
const groupsOf = async (id: number) =>
  (await env.sql<{ name: string }[]>`SELECT g.name FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = ${id}`).map((r) => r.name)

describe('usage errors exit 2', () => {
  test('no username, two usernames, an unknown flag, an invalid username, a flag with a value', async () => {
    for (const args of [['create-admin'], ['create-admin', 'a', 'b'], ['create-admin', 'a', '--frob'], ['create-admin', 'bad name!'], ['create-admin', 'a', '--password-stdin=x']]) {
      const r = await ion(args)
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('create-admin')
    }
    expect((await env.sql`SELECT count(*)::int AS n FROM users`)[0]!.n).toBe(0)
  })

  test('the command is listed in the usage', async () => {
    const r = await ion(['--help'])
    expect(r.stdout).toContain('create-admin <username>')
  })
})

describe('create-admin', () => {
  test('creates a teacher superuser in admin_all and prints a working one-time link', async () => {
    const r = await ion(['create-admin', 'principal'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('created principal')
    const token = linkIn(r.stdout)
    expect(token).not.toBeNull()
    const [u] = await account('principal')
    expect(u!.userType).toBe('teacher')
    expect(u!.isSuperuser).toBe(true)
    expect(await groupsOf(u!.id)).toEqual(['admin_all'])
    const a = await env.sql`SELECT actor_id, details FROM audit_log WHERE action = 'user.create_admin' AND target_id = ${String(u!.id)}`
    expect(a.length).toBe(1)
    expect(a[0]!.actorId).toBeNull()
    // The link sets a password, and the new admin reaches the user administration.
    expect((await env.app.handle(req(`/password/reset/${token}`))).status).toBe(200)
    const set = await env.app.handle(req(`/password/reset/${token}`, { form: { new_password: 'school admin phrase', confirm_password: 'school admin phrase' } }))
    expect(set.status).toBe(303)
    const cookie = await login(env.app, { username: 'principal', password: 'school admin phrase' })
    expect((await env.app.handle(req('/admin/users', { cookie }))).status).toBe(200)
  })

  test('twice is idempotent: one account, one membership, a new link', async () => {
    const a = await ion(['create-admin', 'twice'])
    const b = await ion(['create-admin', 'TWICE'])
    expect(a.code).toBe(0)
    expect(b.code).toBe(0)
    expect(b.stdout).toContain('updated TWICE')
    const rows = await account('twice')
    expect(rows.length).toBe(1)
    expect(await groupsOf(rows[0]!.id)).toEqual(['admin_all'])
    const t1 = linkIn(a.stdout)!, t2 = linkIn(b.stdout)!
    expect(t1).not.toBe(t2)
    // The newer link cancels the older.
    env.clock.set(new Date())
    expect((await env.app.handle(req(`/password/reset/${t1}`))).status).toBe(410)
    expect((await env.app.handle(req(`/password/reset/${t2}`))).status).toBe(200)
  })

  test('an existing locked student keeps their account: promoted, unlocked', async () => {
    const s = await makeUser(env.sql, { type: 'student', username: 'lockedkid', locked: true, groups: ['Band'] })
    const r = await ion(['create-admin', 'lockedkid'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('unlocked')
    const [u] = await account('lockedkid')
    expect(u!.id).toBe(s.id)
    expect(u!.userType).toBe('student')
    expect(u!.locked).toBe(false)
    expect(u!.isSuperuser).toBe(true)
    expect((await groupsOf(s.id)).sort()).toEqual(['Band', 'admin_all'])
  })

  test('--password-stdin sets the password (no link)', async () => {
    const r = await ion(['create-admin', 'stdinadmin', '--password-stdin'], 'a long admin passphrase\n')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('password set')
    expect(linkIn(r.stdout)).toBeNull()
    const cookie = await login(env.app, { username: 'stdinadmin', password: 'a long admin passphrase' })
    expect((await env.app.handle(req('/admin/users', { cookie }))).status).toBe(200)
  })

  test('--password-stdin refuses a weak or empty password and changes nothing', async () => {
    const weak = await ion(['create-admin', 'weakadmin', '--password-stdin'], 'short\n')
    expect(weak.code).toBe(1)
    expect(weak.stderr).toContain('password refused')
    expect((await account('weakadmin')).length).toBe(0)
    const common = await ion(['create-admin', 'weakadmin', '--password-stdin'], 'password123')
    expect(common.code).toBe(1)
    const empty = await ion(['create-admin', 'weakadmin', '--password-stdin'], '')
    expect(empty.code).toBe(2)
    expect((await account('weakadmin')).length).toBe(0)
  })
})
