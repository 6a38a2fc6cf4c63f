import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { ORIGIN, req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { groupsVisibleTo, isMember, membersOf } from '../../src/features/groups/index.ts'
import { parseUsernames } from '../../src/features/groups/bulk.ts'
import type { Viewer } from '../../src/platform/viewer.ts'

// The group editor: who may use it, create/rename/delete (empty only), members one by one and in
// bulk, student_visible, and permission groups (admin_*) for superusers only.

let env: TestEnv
let su: MadeUser, gadmin: MadeUser, eadmin: MadeUser, alladmin: MadeUser, kim: MadeUser, lee: MadeUser, teach: MadeUser, alum: MadeUser
const c: Record<string, string> = {}

beforeAll(async () => {
  env = await testEnv()
  su = await makeUser(env.sql, { username: 'root1', type: 'teacher', isSuperuser: true })
  gadmin = await makeUser(env.sql, { username: 'gadmin', type: 'teacher', groups: ['admin_groups'] })
  eadmin = await makeUser(env.sql, { username: 'eadmin', type: 'teacher', groups: ['admin_eighth'] })
  alladmin = await makeUser(env.sql, { username: 'alladmin', type: 'teacher', groups: ['admin_all'] })
  kim = await makeUser(env.sql, { username: 'kimz', firstName: 'Kimberly', lastName: 'Zhao', groups: ['Robotics', 'Band'] })
  lee = await makeUser(env.sql, { username: 'leez', firstName: 'Lee', lastName: 'Zhang' })
  teach = await makeUser(env.sql, { username: 'teach', type: 'teacher' })
  alum = await makeUser(env.sql, { username: 'alum', type: 'alum' })
  await env.sql`UPDATE groups SET student_visible = true WHERE name = 'Robotics'`
  for (const u of [su, gadmin, eadmin, alladmin, kim, teach, alum]) c[u.username] = await login(env.app, u)
})
afterAll(async () => { await env.close() })

const get = (path: string, who: string | null, htmx = false) => env.app.handle(req(path, { cookie: who ? c[who] : undefined, htmx }))
const post = (path: string, who: string, form: Record<string, string> = {}, htmx = false) =>
  env.app.handle(req(path, { method: 'POST', cookie: c[who], form, htmx }))
const gid = async (name: string) => (await env.sql<{ id: number }[]>`SELECT id FROM groups WHERE lower(name) = lower(${name})`)[0]?.id
const members = async (name: string) =>
  (await env.sql<{ username: string }[]>`SELECT u.username FROM user_groups ug JOIN users u ON u.id = ug.user_id JOIN groups g ON g.id = ug.group_id WHERE g.name = ${name} ORDER BY 1`).map((r) => r.username)

describe('who may use it', () => {
  test('anonymous visitors log in; restricted accounts are refused', async () => {
    expect((await get('/groups', null)).status).toBe(303)
    expect((await get('/groups', 'alum')).status).toBe(403)
  })

  test('any member sees their own groups, read-only, and nothing else', async () => {
    const html = await (await get('/groups', 'kimz')).text()
    expect(html).toContain('Your groups')
    expect(html).toContain('<li>Band</li>')
    expect(html).toContain('<li>Robotics</li>')
    expect(html).not.toContain('All groups')
    expect(html).not.toContain('action="/groups"')
    const robotics = (await gid('Robotics'))!
    for (const who of ['kimz', 'teach']) {
      expect((await get(`/groups/${robotics}`, who)).status).toBe(403)
      expect((await post('/groups', who, { name: 'Sneaky' })).status).toBe(403)
      expect((await post(`/groups/${robotics}/members`, who, { user_id: String(lee.id) })).status).toBe(403)
      expect((await post(`/groups/${robotics}/delete`, who)).status).toBe(403)
    }
    expect(await gid('Sneaky')).toBeUndefined()
  })

  test('group admins (admin_groups, admin_eighth, admin_all, superusers) see every group with counts and visibility', async () => {
    for (const who of ['gadmin', 'eadmin', 'alladmin', 'root1']) {
      const r = await get('/groups', who)
      expect([who, r.status]).toEqual([who, 200])
      const html = await r.text()
      expect(html).toContain('All groups')
      expect(html).toMatch(/>Robotics<\/a><\/td><td class="num">1<\/td><td>visible<\/td>/)
      expect(html).toMatch(/>admin_eighth<\/a> <span class="badge warn">permission<\/span><\/td><td class="num">1<\/td><td><span class="muted">hidden<\/span><\/td>/)
    }
  })

  test('the admin index links to the editor', async () => {
    expect(await (await get('/admin', 'eadmin')).text()).toContain('href="/groups"')
  })
})

describe('create, rename, delete', () => {
  test('create: a name is required, unique in any case; admin_* only by a superuser', async () => {
    const r = await post('/groups', 'gadmin', { name: '  Chess   Club ', student_visible: 'on' })
    expect(r.status).toBe(303)
    const id = (await gid('Chess Club'))!
    expect(r.headers.get('location')).toBe(`/groups/${id}?done=created`)
    expect((await env.sql`SELECT student_visible FROM groups WHERE id = ${id}`)[0]!.studentVisible).toBe(true)
    const dup = await post('/groups', 'eadmin', { name: 'chess club' })
    expect(dup.status).toBe(409)
    expect(await dup.text()).toContain('There is already a group named “chess club”.')
    expect((await post('/groups', 'gadmin', { name: '   ' })).status).toBe(422)
    for (const who of ['gadmin', 'eadmin', 'alladmin']) expect((await post('/groups', who, { name: 'admin_new' })).status).toBe(403)
    expect(await gid('admin_new')).toBeUndefined()
    expect((await post('/groups', 'root1', { name: 'admin_new' })).status).toBe(303)
    const [a] = await env.sql`SELECT actor_id, details FROM audit_log WHERE action = 'group.create' ORDER BY id LIMIT 1`
    expect(a).toEqual({ actorId: gadmin.id, details: { name: 'Chess Club', studentVisible: true } })
  })

  test('rename: to a free name; to or from admin_* only by a superuser', async () => {
    const chess = (await gid('Chess Club'))!
    const r = await post(`/groups/${chess}/rename`, 'eadmin', { name: 'Chess Team' }, true)
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('Renamed.')
    expect(await gid('Chess Team')).toBe(chess)
    expect((await post(`/groups/${chess}/rename`, 'gadmin', { name: 'Robotics' }, true)).status).toBe(409)
    expect((await post(`/groups/${chess}/rename`, 'gadmin', { name: 'admin_chess' })).status).toBe(403)
    const perm = (await gid('admin_new'))!
    expect((await post(`/groups/${perm}/rename`, 'gadmin', { name: 'Not a permission' })).status).toBe(403)
    expect((await post(`/groups/${perm}/rename`, 'root1', { name: 'Former permission' })).status).toBe(303)
    expect((await post(`/groups/${chess}/rename`, 'root1', { name: 'admin_chess' })).status).toBe(303)
    expect((await post(`/groups/${chess}/rename`, 'root1', { name: 'Chess Team' })).status).toBe(303)
  })

  test('delete: only an empty group; otherwise 409 with a clear message and nothing changes', async () => {
    const band = (await gid('Band'))!
    const r = await post(`/groups/${band}/delete`, 'gadmin')
    expect(r.status).toBe(409)
    expect(await r.text()).toContain('Band still has 1 member. Remove every member first; only an empty group can be deleted.')
    expect(await gid('Band')).toBe(band)
    const hx = await post(`/groups/${band}/delete`, 'gadmin', {}, true)
    expect(hx.status).toBe(409) // htmx 4 swaps it into the editor
    expect(await hx.text()).toContain('id="group-editor"')
    const chess = (await gid('Chess Team'))!
    const ok = await post(`/groups/${chess}/delete`, 'eadmin')
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/groups?deleted=1')
    expect(await gid('Chess Team')).toBeUndefined()
    expect((await post(`/groups/${chess}/delete`, 'eadmin')).status).toBe(404)
    const perm = (await gid('admin_schedule'))!
    expect((await post(`/groups/${perm}/delete`, 'gadmin')).status).toBe(403)
  })

  test('student_visible toggles', async () => {
    const band = (await gid('Band'))!
    const r = await post(`/groups/${band}/visibility`, 'gadmin', { student_visible: 'on' }, true)
    expect(await r.text()).toContain('Students can now see this group.')
    expect((await env.sql`SELECT student_visible FROM groups WHERE id = ${band}`)[0]!.studentVisible).toBe(true)
    await post(`/groups/${band}/visibility`, 'gadmin', { student_visible: 'off' })
    expect((await env.sql`SELECT student_visible FROM groups WHERE id = ${band}`)[0]!.studentVisible).toBe(false)
  })
})

describe('members', () => {
  test('type-ahead finds people and marks members', async () => {
    const robotics = (await gid('Robotics'))!
    const r = await get(`/groups/${robotics}/candidates?q=zh`, 'gadmin', true)
    const html = await r.text()
    expect(html).toStartWith('<div id="candidates"')
    expect(html).toContain('Zhao, Kimberly')
    expect(html).toContain('<span class="badge ok">member</span>')
    expect(html).toContain(`name="user_id" value="${lee.id}"`)
    const full = await (await get(`/groups/${robotics}?q=zhang`, 'gadmin')).text()
    expect(full).toContain('Zhang, Lee')
  })

  test('add and remove one at a time; twice is a 409; an unknown account is a 404', async () => {
    const robotics = (await gid('Robotics'))!
    const r = await post(`/groups/${robotics}/members`, 'eadmin', { user_id: String(lee.id), q: 'zh' }, true)
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('Added to the group.')
    expect(html).toContain('value="zh"') // the search stays
    expect(await members('Robotics')).toEqual(['kimz', 'leez'])
    expect((await post(`/groups/${robotics}/members`, 'eadmin', { user_id: String(lee.id) })).status).toBe(409)
    expect((await post(`/groups/${robotics}/members`, 'eadmin', { user_id: '999999' })).status).toBe(404)
    const rm = await post(`/groups/${robotics}/members/${lee.id}/remove`, 'gadmin')
    expect(rm.status).toBe(303)
    expect(rm.headers.get('location')).toBe(`/groups/${robotics}?done=removed`)
    expect(await members('Robotics')).toEqual(['kimz'])
    expect((await post(`/groups/${robotics}/members/${lee.id}/remove`, 'gadmin')).status).toBe(409)
  })

  test('a delete racing an add: never both (no member is ever deleted with the group)', async () => {
    for (let i = 0; i < 15; i++) {
      await post('/groups', 'gadmin', { name: `Race ${i}` })
      const id = (await gid(`Race ${i}`))!
      const [add, del] = await Promise.all([
        post(`/groups/${id}/members`, 'gadmin', { user_id: String(lee.id) }),
        post(`/groups/${id}/delete`, 'eadmin'),
      ])
      const outcome = [add.status, del.status]
      expect([[303, 409], [404, 303]]).toContainEqual(outcome)
    }
  })

  test('permission group membership: superusers only, and others see it read-only', async () => {
    const perm = (await gid('admin_announcements'))!
    for (const who of ['gadmin', 'eadmin', 'alladmin'])
      expect([who, (await post(`/groups/${perm}/members`, who, { user_id: String(teach.id) })).status]).toEqual([who, 403])
    const page = await (await get(`/groups/${perm}`, 'gadmin')).text()
    expect(page).toContain('Only superusers manage permission groups')
    expect(page).not.toContain('/members"')
    expect((await post(`/groups/${perm}/members`, 'root1', { user_id: String(teach.id) })).status).toBe(303)
    expect(await members('admin_announcements')).toEqual(['teach'])
    expect((await post(`/groups/${perm}/members/${teach.id}/remove`, 'gadmin')).status).toBe(403)
  })
})

describe('bulk add', () => {
  const multipart = (path: string, who: string, parts: Record<string, string | File>) => {
    const fd = new FormData()
    for (const [k, v] of Object.entries(parts)) fd.append(k, v)
    return env.app.handle(new Request(ORIGIN + path, { method: 'POST', body: fd, headers: { origin: ORIGIN, cookie: c[who]!, 'hx-request': 'true', 'hx-request-type': 'partial' } }))
  }

  test('pasted usernames: added, already members and unknown are each reported', async () => {
    const band = (await gid('Band'))!
    const r = await post(`/groups/${band}/bulk`, 'gadmin', { text: 'LEEZ, teach\nkimz\n\nnobody1, nobody2\nleez' })
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('Added 2 people.')
    expect(html).toMatch(/Added \(2\):<\/strong> <span class="mono">leez, teach<\/span>/)
    expect(html).toMatch(/Already members \(1\):<\/strong> <span class="mono">kimz<\/span>/)
    expect(html).toMatch(/No such username \(2\):<\/strong> <span class="mono">nobody1, nobody2<\/span>/)
    expect(await members('Band')).toEqual(['kimz', 'leez', 'teach'])
  })

  test('a CSV upload with a username column (multipart, as htmx sends it)', async () => {
    await post('/groups', 'gadmin', { name: 'Upload Club' })
    const id = (await gid('Upload Club'))!
    const csv = new File(['Name,Username\r\nKim,kimz\r\nLee,leez\r\n'], 'roster.csv', { type: 'text/csv' })
    const r = await multipart(`/groups/${id}/bulk`, 'eadmin', { file: csv, text: '' })
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('Added 2 people.')
    expect(await members('Upload Club')).toEqual(['kimz', 'leez'])
  })

  test('malformed input changes nothing: a bad token, an empty form, a binary file', async () => {
    await post('/groups', 'gadmin', { name: 'Strict Club' })
    const id = (await gid('Strict Club'))!
    const bad = await post(`/groups/${id}/bulk`, 'gadmin', { text: 'kimz, lee z!, <script>\nleez' }, true)
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain('Line 1: “z!” is not a username.')
    expect(html).toContain('Line 1: “&lt;script&gt;” is not a username.')
    expect(html).toContain('Nothing was added.')
    expect(await members('Strict Club')).toEqual([])
    expect((await post(`/groups/${id}/bulk`, 'gadmin', { text: ' \n ' })).status).toBe(422)
    const bin = await multipart(`/groups/${id}/bulk`, 'gadmin', { file: new File([new Uint8Array([0x89, 0x50, 0, 0, 1])], 'x.png', { type: 'image/png' }) })
    expect(bin.status).toBe(415)
    expect(await members('Strict Club')).toEqual([])
  })

  test('the parser: lines, commas, a quoted CSV, duplicates', () => {
    expect(parseUsernames('a,b\nc  d\n"e"\nA')).toEqual({ ok: true, usernames: ['a', 'b', 'c', 'd', 'e'] })
    expect(parseUsernames('username,grade\nx,9\ny,10')).toEqual({ ok: true, usernames: ['x', 'y'] })
    expect(parseUsernames('"unterminated').ok).toBe(false)
  })
})

describe('what other features use', () => {
  const viewerOf = (id: number, perms: string[] = [], superuser = false) =>
    ({ id, perms, isSuperuser: superuser, userType: 'student' }) as unknown as Viewer

  test('groupsVisibleTo: group admins every group, everyone else the student-visible ones', async () => {
    const studentView = (await groupsVisibleTo(env.sql, viewerOf(kim.id))).map((g) => g.name)
    expect(studentView).toContain('Robotics')
    expect(studentView).not.toContain('Band')
    expect(studentView.every((n) => !n.startsWith('admin_'))).toBe(true)
    const adminView = (await groupsVisibleTo(env.sql, viewerOf(eadmin.id, ['admin_eighth']))).map((g) => g.name)
    expect(adminView).toContain('Band')
    expect(adminView).toContain('admin_all')
  })

  test('isMember and membersOf', async () => {
    const band = (await gid('Band'))!
    expect(await isMember(env.sql, kim.id, band)).toBe(true)
    expect(await isMember(env.sql, su.id, band)).toBe(false)
    // By last name: teach is “User…”, then Zhang, then Zhao.
    expect((await membersOf(env.sql, band)).map((m) => m.username)).toEqual(['teach', 'leez', 'kimz'])
  })
})
