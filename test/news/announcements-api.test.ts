import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req } from '../helpers/app.ts'
import { addAnnouncement, audits, groupId, newsEnv, NOW, person, type NewsEnv, type Person } from './announcements-fixture.ts'

// /api/announcements and /api/announcements/<id> (issue 8, item 8; ion-apps.md §8, §19): Ion's
// shape, 50 a page with absolute links, read for API users (or any token), write for
// announcement admins.

setDefaultTimeout(30_000)
let n: NewsEnv
let student: Person
let admin: Person
let noApi: Person
let alum: Person
let club: number
let pub: number
let grouped: number
let hidden: number
const BASE = 'http://localhost:3000'

beforeAll(async () => {
  n = await newsEnv()
  student = await person(n, { graduationYear: 2028 })
  admin = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
  noApi = await person(n, { graduationYear: 2028 })
  await n.sql`UPDATE users SET oauth_and_api_access = false WHERE id = ${noApi.id}`
  alum = await person(n, { type: 'alum' })
  club = await groupId(n.sql, 'API Club', [student.id])
  pub = await addAnnouncement(n.sql, { title: 'Public', content: '<p>Hello</p>', userId: admin.id, added: new Date('2026-11-30T12:00:00Z') })
  grouped = await addAnnouncement(n.sql, { title: 'For the club', groups: [club], pinned: true, added: new Date('2026-11-01T12:00:00Z') })
  hidden = await addAnnouncement(n.sql, { title: 'Not for you', groups: [await groupId(n.sql, 'API Others')], added: new Date('2026-11-29T12:00:00Z') })
  await addAnnouncement(n.sql, { title: 'Expired', expires: new Date('2026-11-01T00:00:00Z'), added: new Date('2026-10-01T12:00:00Z') })
})
afterAll(async () => { await n.close() })

const call = (path: string, init: Parameters<typeof req>[1] = {}) => n.handle(req(path, init))
const jsonCall = (path: string, method: string, body: unknown, cookie: string) =>
  call(path, { method, cookie, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('reading', () => {
  test("the list: Ion's fields, pinned first then newest, expired posts included, invisible ones not", async () => {
    const r = await call('/api/announcements', { cookie: student.cookie })
    expect(r.status).toBe(200)
    const body = await r.json()
    expect(body.count).toBe(3)
    expect(body.next).toBeNull()
    expect(body.previous).toBeNull()
    expect(body.results.map((x: { title: string }) => x.title)).toEqual(['For the club', 'Public', 'Expired'])
    expect(body.results[1]).toEqual({
      url: `${BASE}/api/announcements/${pub}`, id: pub, title: 'Public', content: '<p>Hello</p>', author: '', user: admin.id,
      added: '2026-11-30T07:00:00-05:00', updated: '2026-11-30T07:00:00-05:00', groups: [], pinned: false,
    })
    expect(body.results[0].groups).toEqual([club])
    expect(body.results.map((x: { id: number }) => x.id)).not.toContain(hidden)
  })

  test('one post; an invisible or unknown one is 404; a trailing slash works', async () => {
    expect((await (await call(`/api/announcements/${grouped}`, { cookie: student.cookie })).json()).title).toBe('For the club')
    expect((await call(`/api/announcements/${grouped}/`, { cookie: student.cookie })).status).toBe(200)
    expect((await call(`/api/announcements/${hidden}`, { cookie: student.cookie })).status).toBe(404)
    expect((await call('/api/announcements/99999999', { cookie: student.cookie })).status).toBe(404)
    expect((await call('/api/announcements/abc', { cookie: student.cookie })).status).toBe(404)
  })

  test('who may read: no credentials 401; no API access or restricted 403 by session; any personal token', async () => {
    expect((await call('/api/announcements')).status).toBe(401)
    const denied = await call('/api/announcements', { cookie: noApi.cookie })
    expect(denied.status).toBe(403)
    expect((await denied.json()).details).toEqual(['You do not have permission to perform this action.'])
    expect((await call('/api/announcements', { cookie: alum.cookie })).status).toBe(403)
    const made = await n.handle(req('/tokens', { cookie: noApi.cookie, form: { name: 'script' } }))
    const token = (await made.text()).match(/<code id="new-token">(ion_[a-z2-7]+)<\/code>/)?.[1]
    expect(token).toBeDefined()
    const viaToken = await call('/api/announcements', { headers: { authorization: `Bearer ${token}` } })
    expect(viaToken.status).toBe(200)
    expect((await viaToken.json()).count).toBe(2) // not in the club: the public post and the expired one
  })

  test('50 a page with absolute links; past the last page is 404', async () => {
    const extra: number[] = []
    for (let i = 0; i < 52; i++) extra.push(await addAnnouncement(n.sql, { title: `Bulk ${i}`, added: new Date(new Date(NOW).getTime() - (i + 1) * 1000) }))
    try {
      const p1 = await (await call('/api/announcements', { cookie: student.cookie })).json()
      expect(p1.count).toBe(55)
      expect(p1.results).toHaveLength(50)
      expect(p1.next).toBe(`${BASE}/api/announcements?page=2`)
      const p2 = await (await call('/api/announcements?page=2', { cookie: student.cookie })).json()
      expect(p2.results).toHaveLength(5)
      expect(p2.previous).toBe(`${BASE}/api/announcements`)
      expect(p2.next).toBeNull()
      expect((await call('/api/announcements?page=3', { cookie: student.cookie })).status).toBe(404)
      expect((await call('/api/announcements?page=0', { cookie: student.cookie })).status).toBe(404)
    } finally {
      await n.sql`DELETE FROM announcements WHERE id = ANY(${extra}::int[])`
    }
  })
})

describe('writing (announcement admins only)', () => {
  test('POST creates (sanitized, groups checked), PUT and PATCH update, DELETE removes; all audited', async () => {
    const bad = await jsonCall('/api/announcements', 'POST', { content: 'x', groups: [999999], pinned: 'maybe' }, admin.cookie)
    expect(bad.status).toBe(400)
    expect((await bad.json()).details).toEqual(['title: This field is required.', 'groups: Invalid pk - object does not exist.', 'pinned: pinned must be a valid boolean.'])

    const r = await jsonCall('/api/announcements', 'POST', { title: 'From the API', content: '<p onclick="x()">Hi<script>1</script></p>', groups: [club], pinned: true }, admin.cookie)
    expect(r.status).toBe(201)
    const made = await r.json()
    expect(made).toMatchObject({ title: 'From the API', content: '<p>Hi</p>', author: '', user: admin.id, groups: [club], pinned: true })
    expect(made.url).toBe(`${BASE}/api/announcements/${made.id}`)
    const [row] = await n.sql<{ expirationDate: Date; notifyPost: boolean }[]>`SELECT expiration_date, notify_post FROM announcements WHERE id = ${made.id}`
    expect(row!.expirationDate.toISOString()).toBe('3000-01-01T00:00:00.000Z')
    expect(row!.notifyPost).toBe(false)

    const patched = await (await jsonCall(`/api/announcements/${made.id}`, 'PATCH', { pinned: false }, admin.cookie)).json()
    expect(patched).toMatchObject({ title: 'From the API', pinned: false, groups: [club] })
    expect((await jsonCall(`/api/announcements/${made.id}`, 'PUT', { title: 'Only a title' }, admin.cookie)).status).toBe(400)
    const put = await (await jsonCall(`/api/announcements/${made.id}`, 'PUT', { title: 'Replaced', content: 'Plain text', author: 'Office' }, admin.cookie)).json()
    expect(put).toMatchObject({ title: 'Replaced', content: 'Plain text', author: 'Office', groups: [club] })

    expect((await call(`/api/announcements/${made.id}`, { method: 'DELETE', cookie: admin.cookie })).status).toBe(204)
    expect((await call(`/api/announcements/${made.id}`, { cookie: admin.cookie })).status).toBe(404)
    expect((await audits(n.sql, 'announcement.create')).at(-1)).toMatchObject({ actorId: admin.id, targetId: String(made.id), details: { via: 'api' } })
    expect((await audits(n.sql, 'announcement.update'))).toHaveLength(2)
    expect((await audits(n.sql, 'announcement.delete')).at(-1)!.targetId).toBe(String(made.id))
  })

  test('non-admins may not write, whatever they can read', async () => {
    const before = (await n.sql`SELECT count(*)::int AS c FROM announcements`)[0]!.c
    expect((await jsonCall('/api/announcements', 'POST', { title: 'x', content: 'x' }, student.cookie)).status).toBe(403)
    expect((await jsonCall(`/api/announcements/${pub}`, 'PATCH', { title: 'x' }, student.cookie)).status).toBe(403)
    expect((await jsonCall(`/api/announcements/${pub}`, 'PUT', { title: 'x', content: 'x' }, student.cookie)).status).toBe(403)
    expect((await call(`/api/announcements/${pub}`, { method: 'DELETE', cookie: student.cookie })).status).toBe(403)
    expect((await call('/api/announcements', { method: 'POST' })).status).toBe(401)
    expect((await n.sql`SELECT count(*)::int AS c FROM announcements`)[0]!.c).toBe(before)
    expect((await n.sql`SELECT title FROM announcements WHERE id = ${pub}`)[0]!.title).toBe('Public')
  })
})
