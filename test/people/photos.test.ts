import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { ROOT } from '../helpers/cli.ts'
import { avatarSvg, sha256Hex } from '../../src/features/photos/image.ts'
import { upsertPhotos } from '../../src/features/photos/photos.sql.ts'

// Photo access (ion-apps.md §4): the privacy gate per viewer, the choice of photo (preferred,
// else the most recent grade walking down from today's), ETag/304, the preference form.
// The clock says 2026-11-30: the class of 2027 are seniors, 2028 juniors.

let env: TestEnv
const AVATAR = readFileSync(join(ROOT, 'public/default-avatar.svg'))

/** A tiny "JPEG" / "PNG": the magic bytes plus a label, enough for a sniffer and a byte compare. */
const jpeg = (label: string) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode(label)])
const png = (label: string) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new TextEncoder().encode(label)])

let owner: MadeUser, open: MadeUser, half: MadeUser, other: MadeUser, teacher: MadeUser, counselor: MadeUser
let office: MadeUser, alum: MadeUser, staff: MadeUser, early: MadeUser, none: MadeUser
const cookies: Record<string, string> = {}
const photoIds: Record<string, number> = {}

async function addPhoto(userId: number, grade: number, bytes: Uint8Array, type: 'image/jpeg' | 'image/png' | 'image/svg+xml' = 'image/jpeg') {
  await env.sql.begin((tx) => upsertPhotos(tx, [{ userId, gradeNumber: grade, bytes, contentType: type, etag: sha256Hex(bytes), createdAt: env.clock.now() }]))
  const [row] = await env.sql<{ id: number }[]>`SELECT id FROM photos WHERE user_id = ${userId} AND grade_number = ${grade}`
  return row!.id
}

beforeAll(async () => {
  env = await testEnv()
  owner = await makeUser(env.sql, { username: 'owner', graduationYear: 2028 }) // grade 11, flags closed
  open = await makeUser(env.sql, { username: 'openkid', graduationYear: 2027 })
  half = await makeUser(env.sql, { username: 'halfkid', graduationYear: 2027 })
  other = await makeUser(env.sql, { username: 'other', graduationYear: 2029 })
  teacher = await makeUser(env.sql, { username: 'teach', type: 'teacher' })
  counselor = await makeUser(env.sql, { username: 'couns', type: 'counselor' })
  office = await makeUser(env.sql, { username: 'office', type: 'simple_user', groups: ['admin_eighth'] })
  alum = await makeUser(env.sql, { username: 'alum', type: 'alum' })
  staff = await makeUser(env.sql, { username: 'staffer', type: 'teacher' })
  early = await makeUser(env.sql, { username: 'early', graduationYear: 2028 })
  none = await makeUser(env.sql, { username: 'nophoto', graduationYear: 2028 })
  await env.sql`UPDATE users SET parent_show_pictures = true, self_show_pictures = true WHERE id = ${open.id}`
  await env.sql`UPDATE users SET parent_show_pictures = true, self_show_pictures = false WHERE id = ${half.id}`
  photoIds.o9 = await addPhoto(owner.id, 9, jpeg('owner-9'))
  photoIds.o10 = await addPhoto(owner.id, 10, png('owner-10'), 'image/png')
  photoIds.o11 = await addPhoto(owner.id, 11, jpeg('owner-11'))
  photoIds.o12 = await addPhoto(owner.id, 12, jpeg('owner-12-future'))
  photoIds.open = await addPhoto(open.id, 12, avatarSvg('Open', 'Kid', 200), 'image/svg+xml')
  photoIds.half = await addPhoto(half.id, 12, jpeg('half-12'))
  photoIds.alum = await addPhoto(alum.id, 13, jpeg('alum-13'))
  photoIds.staff = await addPhoto(staff.id, 13, jpeg('staff-13'))
  photoIds.early = await addPhoto(early.id, 9, jpeg('early-9'))
  for (const u of [owner, open, other, teacher, counselor, office, alum]) cookies[u.username] = await login(env.app, u)
})
afterAll(async () => { await env.close() })

const get = (path: string, who: string | null, headers: Record<string, string> = {}) =>
  env.app.handle(req(path, { cookie: who ? cookies[who] : undefined, headers }))
const bodyOf = async (r: Response) => new Uint8Array(await r.arrayBuffer())
const text = (b: Uint8Array) => new TextDecoder().decode(b)
/** What the response shows: a test photo's label, 'svg', 'default' for the avatar, or the status. */
async function shows(path: string, who: string | null): Promise<string> {
  const r = await get(path, who)
  if (r.status !== 200) return `status ${r.status}`
  const b = await bodyOf(r)
  if (Buffer.from(b).equals(AVATAR)) return 'default'
  if (text(b).startsWith('<svg')) return 'svg'
  return text(b.slice(b[0] === 0x89 ? 8 : 4))
}

describe('the privacy gate', () => {
  test('viewer × owner: the photo or the default avatar', async () => {
    const matrix: [string, string, string][] = [
      // viewer, whose picture, what they see
      ['owner', 'owner', 'owner-11'],
      ['other', 'owner', 'default'], // both flags closed
      ['other', 'halfkid', 'default'], // parent open, self closed
      ['other', 'openkid', 'svg'], // both open: their (demo-style SVG) photo
      ['teach', 'owner', 'owner-11'],
      ['couns', 'owner', 'owner-11'],
      ['office', 'owner', 'owner-11'], // an eighth admin who is not a teacher
      ['alum', 'alum', 'alum-13'], // restricted, but their own
      ['alum', 'owner', 'status 403'],
    ]
    const ids: Record<string, number> = { owner: owner.id, halfkid: half.id, openkid: open.id, alum: alum.id }
    const got: [string, string, string][] = []
    for (const [viewer, whose] of matrix) {
      got.push([viewer, whose, await shows(`/profile/picture/${ids[whose]}`, viewer)])
    }
    expect(got).toEqual(matrix)
  })

  test('the API: by id or username (any case); restricted accounts and strangers are refused', async () => {
    expect(await shows(`/api/profile/${owner.id}/picture`, 'teach')).toBe('owner-11')
    expect(await shows('/api/profile/OWNER/picture', 'teach')).toBe('owner-11')
    expect(await shows('/api/profile/owner/picture', 'other')).toBe('default')
    expect(await shows('/api/profile/owner/picture/freshman', 'owner')).toBe('owner-9')
    expect(await shows('/api/profile/alum/picture', 'alum')).toBe('status 403')
    const anon = await get('/api/profile/owner/picture', null)
    expect(anon.status).toBe(401)
    const missing = await get('/api/profile/nobody/picture', 'teach')
    expect(missing.status).toBe(404)
    expect((await missing.json()).details).toBeDefined()
  })

  test('anonymous visitors are sent to log in; unknown people and years are 404', async () => {
    const r = await get(`/profile/picture/${owner.id}`, null)
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toContain('/login?next=')
    expect((await get('/profile/picture/999999', 'teach')).status).toBe(404)
    expect((await get(`/profile/picture/${owner.id}/fifth`, 'teach')).status).toBe(404)
  })

  test('an inactive person has no picture: 404', async () => {
    const gone = await makeUser(env.sql, { username: 'gone', active: false })
    await addPhoto(gone.id, 12, jpeg('gone'))
    expect(await shows(`/profile/picture/${gone.id}`, 'teach')).toBe('status 404')
  })
})

describe('which photo', () => {
  test('by year; a year without a photo is the default avatar', async () => {
    expect(await shows(`/profile/picture/${owner.id}/freshman`, 'teach')).toBe('owner-9')
    expect(await shows(`/profile/picture/${owner.id}/sophomore`, 'teach')).toBe('owner-10')
    expect(await shows(`/profile/picture/${owner.id}/SENIOR`, 'teach')).toBe('owner-12-future')
    expect(await shows(`/profile/picture/${none.id}/junior`, 'teach')).toBe('default')
    expect(await shows(`/profile/picture/${owner.id}/freshman`, 'other')).toBe('default') // the gate applies to years too
  })

  test('no year: the most recent photo at or below the current grade (never a later grade), else the default', async () => {
    expect(await shows(`/profile/picture/${owner.id}`, 'teach')).toBe('owner-11')
    expect(await shows(`/profile/picture/${early.id}`, 'teach')).toBe('early-9')
    expect(await shows(`/profile/picture/${none.id}`, 'teach')).toBe('default')
    expect(await shows(`/profile/picture/${staff.id}`, 'teach')).toBe('staff-13')
  })

  test('the preferred photo wins; deleting it falls back to the walk', async () => {
    await env.sql`UPDATE users SET preferred_photo_id = ${photoIds.o10!} WHERE id = ${owner.id}`
    expect(await shows(`/profile/picture/${owner.id}`, 'teach')).toBe('owner-10')
    expect(await shows(`/api/profile/${owner.id}/picture`, 'teach')).toBe('owner-10')
    expect(await shows(`/profile/picture/${owner.id}/junior`, 'teach')).toBe('owner-11') // a year is that year
    await env.sql`DELETE FROM photos WHERE id = ${photoIds.o10!}`
    const [u] = await env.sql`SELECT preferred_photo_id FROM users WHERE id = ${owner.id}`
    expect(u!.preferredPhotoId).toBeNull()
    expect(await shows(`/profile/picture/${owner.id}`, 'teach')).toBe('owner-11')
    photoIds.o10 = await addPhoto(owner.id, 10, png('owner-10'), 'image/png')
  })

  test('the schema refuses a preferred photo that belongs to someone else', async () => {
    await expect(env.sql`UPDATE users SET preferred_photo_id = ${photoIds.open!} WHERE id = ${owner.id}`).rejects.toThrow(/foreign key/)
  })
})

describe('caching', () => {
  test('ETag is the SHA-256 of the bytes; If-None-Match answers 304 with no body (weak or in a list too)', async () => {
    const r = await get(`/profile/picture/${owner.id}`, 'teach')
    const etag = r.headers.get('etag')!
    expect(etag).toBe(`"${sha256Hex(jpeg('owner-11'))}"`)
    expect(r.headers.get('cache-control')).toBe('private, max-age=300')
    expect(r.headers.get('content-type')).toBe('image/jpeg')
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const again = await get(`/profile/picture/${owner.id}`, 'teach', { 'if-none-match': inm })
      expect([inm, again.status]).toEqual([inm, 304])
      expect((await bodyOf(again)).length).toBe(0)
      expect(again.headers.get('etag')).toBe(etag)
    }
    const stale = await get(`/profile/picture/${owner.id}`, 'teach', { 'if-none-match': '"old"' })
    expect(stale.status).toBe(200)
  })

  test('the default avatar has its own ETag, so a viewer whose access changes gets new bytes', async () => {
    const hidden = await get(`/profile/picture/${owner.id}`, 'other')
    const tag = hidden.headers.get('etag')!
    expect(tag).not.toBe(`"${sha256Hex(jpeg('owner-11'))}"`)
    expect((await get(`/profile/picture/${owner.id}`, 'other', { 'if-none-match': tag })).status).toBe(304)
    expect((await get(`/profile/picture/${owner.id}`, 'teach', { 'if-none-match': tag })).status).toBe(200)
  })

  test('SVG is served inert: its own CSP, nosniff, the SVG type', async () => {
    const r = await get(`/profile/picture/${open.id}`, 'other')
    expect(r.headers.get('content-type')).toBe('image/svg+xml')
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'")
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(r.headers.get('vary')).toContain('Cookie')
  })
})

describe('the preferred-picture preference', () => {
  test('students see their photos as choices, with automatic selected', async () => {
    await env.sql`UPDATE users SET preferred_photo_id = NULL WHERE id = ${owner.id}`
    const html = await (await get('/preferences', 'owner')).text()
    expect(html).toContain('id="pref-photo"')
    expect(html).toMatch(/<input type="radio" name="photo" value="auto" checked/)
    for (const year of ['freshman', 'sophomore', 'junior', 'senior']) expect(html).toContain(`/profile/picture/${owner.id}/${year}`)
    expect(await (await get('/preferences', 'teach')).text()).not.toContain('id="pref-photo"')
  })

  test('a student with no photo is told so', async () => {
    const html = await (await get('/preferences', 'other')).text()
    expect(html).toContain('The school has no photo of you yet')
  })

  test('choosing a photo, then automatic again', async () => {
    const post = (photo: string, htmx = false) => env.app.handle(req('/preferences/photo', { cookie: cookies.owner, form: { photo }, htmx }))
    const r = await post(String(photoIds.o9))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/preferences?saved=1')
    expect(await shows(`/profile/picture/${owner.id}`, 'teach')).toBe('owner-9')
    const hx = await post('auto', true)
    expect(hx.status).toBe(200)
    const frag = await hx.text()
    expect(frag).toContain('Picture choice saved.')
    expect(frag).not.toContain('<html')
    expect(await shows(`/profile/picture/${owner.id}`, 'teach')).toBe('owner-11')
  })

  test('someone else’s photo, or nonsense, is refused and changes nothing', async () => {
    const before = (await env.sql`SELECT preferred_photo_id FROM users WHERE id = ${owner.id}`)[0]!.preferredPhotoId
    for (const photo of [String(photoIds.open), '99999', 'x1']) {
      const r = await env.app.handle(req('/preferences/photo', { cookie: cookies.owner, form: { photo }, htmx: true }))
      expect([photo, r.status]).toEqual([photo, 422])
      expect(await r.text()).toContain('Choose one of your own photos')
    }
    const plain = await env.app.handle(req('/preferences/photo', { cookie: cookies.owner, form: { photo: String(photoIds.open) } }))
    expect(plain.status).toBe(422)
    expect((await env.sql`SELECT preferred_photo_id FROM users WHERE id = ${owner.id}`)[0]!.preferredPhotoId).toBe(before)
  })

  test('only students have the preference', async () => {
    const r = await env.app.handle(req('/preferences/photo', { cookie: cookies.teach, form: { photo: 'auto' } }))
    expect(r.status).toBe(403)
  })
})
