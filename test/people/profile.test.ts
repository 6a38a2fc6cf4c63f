import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { addActivity, addBlock, addRoom, addSponsor, schedule } from '../helpers/eighth.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

// /profile[/<id>]: who may open which profile, and what it holds besides the privacy matrix
// (privacy.test.ts): grade, the next six eighth blocks, sponsored activities, groups, links.
// The clock: Monday 2026-11-30, 09:00 in New York.

let env: TestEnv
const u: Record<string, MadeUser> = {}
const cookie: Record<string, string> = {}
const ids: Record<string, number> = {}

beforeAll(async () => {
  env = await testEnv()
  const sql = env.sql
  u.ada = await makeUser(sql, { username: 'alovelace', firstName: 'Ada', lastName: 'Lovelace', nickname: '<i>Countess</i>', graduationYear: 2027, groups: ['Chess Club'] })
  u.sam = await makeUser(sql, { username: 'sother', firstName: 'Sam', lastName: 'Other', graduationYear: 2029 })
  u.tess = await makeUser(sql, { username: 'tteach', type: 'teacher', firstName: 'Tess', lastName: 'Teach' })
  u.grp = await makeUser(sql, { username: 'gadmin', type: 'teacher', firstName: 'Gus', lastName: 'Groups', groups: ['admin_groups'] })
  u.office = await makeUser(sql, { username: 'eoffice', type: 'simple_user', firstName: 'Eve', lastName: 'Office', groups: ['admin_eighth'] })
  u.gone = await makeUser(sql, { username: 'zgone', firstName: 'Zed', lastName: 'Gone', active: false })
  u.svc = await makeUser(sql, { username: 'svc', type: 'service', firstName: 'Svc', lastName: 'Account' })
  // Eight blocks from today on (two today), one in the past; Ada signed up for the first.
  const room = await addRoom(sql, '214')
  const tessSponsor = await addSponsor(sql, 'Teach', 'Tess')
  await sql`UPDATE eighth_sponsors SET user_id = ${u.tess.id} WHERE id = ${tessSponsor}`
  const other = await addSponsor(sql, 'Other')
  const chess = await addActivity(sql, 'Chess', { rooms: [room], sponsors: [tessSponsor] })
  const art = await addActivity(sql, 'Art', { sponsors: [tessSponsor] })
  const gone = await addActivity(sql, 'Deleted Club', { sponsors: [tessSponsor], deleted: true })
  const dates = ['2026-11-30', '2026-11-30', '2026-12-02', '2026-12-02', '2026-12-04', '2026-12-04', '2026-12-07', '2026-12-07']
  const blocks: number[] = []
  for (const [i, d] of dates.entries()) blocks.push(await addBlock(sql, d, i % 2 ? 'B' : 'A'))
  const past = await addBlock(sql, '2026-11-25', 'A')
  ids.chessToday = await schedule(sql, blocks[0]!, chess)
  await schedule(sql, past, chess, { title: 'Long ago' })
  // Art with its own sponsor list (someone else) overrides the activity's: not Tess's.
  await schedule(sql, blocks[2]!, art, { sponsors: [other] })
  await schedule(sql, blocks[4]!, art, { title: 'Watercolors' })
  await schedule(sql, blocks[5]!, gone)
  await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${u.ada.id}, ${blocks[0]!}, ${ids.chessToday}, ${env.clock.now()})`
  for (const k of ['ada', 'sam', 'tess', 'grp', 'office']) cookie[k] = await login(env.app, u[k]!)
})
afterAll(async () => { await env?.close() })

const get = (path: string, who: string) => env.app.handle(req(path, { cookie: cookie[who] }))
const html = async (path: string, who: string) => {
  const r = await get(path, who)
  expect(r.status).toBe(200)
  return r.text()
}

describe('opening a profile', () => {
  test('/profile is your own; /profile/<id> is anyone’s', async () => {
    const own = await html('/profile', 'ada')
    expect(own).toContain('<h1 id="profile-title">Ada Lovelace</h1>')
    expect(own).toContain('Senior (class of 2027)')
    expect(await html(`/profile/${u.ada!.id}`, 'sam')).toContain('Ada Lovelace')
    expect(await html(`/profile/${u.tess!.id}`, 'sam')).toContain('<p class="muted">Staff</p>')
  })
  test('an unknown or malformed id is 404; anonymous goes to the login page', async () => {
    expect((await get('/profile/999999', 'sam')).status).toBe(404)
    expect((await get('/profile/abc', 'sam')).status).toBe(404)
    const anon = await env.app.handle(req(`/profile/${u.ada!.id}`))
    expect(anon.status).toBe(303)
    expect(anon.headers.get('location')).toStartWith('/login')
  })
  test('inactive and service accounts: 404, except to the office (marked)', async () => {
    expect((await get(`/profile/${u.gone!.id}`, 'sam')).status).toBe(404)
    expect((await get(`/profile/${u.svc!.id}`, 'tess')).status).toBe(404)
    expect(await html(`/profile/${u.gone!.id}`, 'office')).toContain('Locked or inactive')
  })
  test('names are escaped', async () => {
    const page = await html(`/profile/${u.ada!.id}`, 'sam')
    expect(page).toContain('&lt;i&gt;Countess&lt;/i&gt;')
    expect(page).not.toContain('<i>Countess</i>')
  })
})

describe('eighth period on the profile', () => {
  test('the next six blocks (today’s before 17:00), the signup shown, the rest “Not signed up”', async () => {
    const page = await html(`/profile/${u.ada!.id}`, 'tess')
    const items = page.match(/<li class="sched-item">/g) ?? []
    const eighth = page.slice(page.indexOf('id="eighth-title"'), page.indexOf('</section>', page.indexOf('id="eighth-title"')))
    expect(eighth.match(/class="sched-item"/g)).toHaveLength(6)
    expect(eighth).toContain('Chess')
    expect(eighth).toContain('Rm. 214')
    expect(eighth).toContain('Not signed up')
    expect(eighth).not.toContain('Long ago')
    expect(eighth).not.toContain('December 7, 2026 (B)')
    expect(items.length).toBeGreaterThanOrEqual(6)
  })
  test('after 17:00 today’s blocks are gone from the list', async () => {
    env.clock.set('2026-11-30T23:00:00Z') // 18:00 in New York (a fresh login: the morning's session has idled out)
    try {
      cookie.late = await login(env.app, u.tess!)
      const page = await html(`/profile/${u.ada!.id}`, 'late')
      const eighth = page.slice(page.indexOf('id="eighth-title"'), page.indexOf('</section>', page.indexOf('id="eighth-title"')))
      expect(eighth).not.toContain('November 30')
      expect(eighth).toContain('December 7, 2026 (B)')
    } finally {
      env.clock.set('2026-11-30T14:00:00Z')
    }
  })
  test('a sponsor’s upcoming activities: by the scheduled sponsor list, else the activity’s; never deleted or past', async () => {
    const page = await html(`/profile/${u.tess!.id}`, 'sam')
    const s = page.slice(page.indexOf('id="sponsored-title"'))
    expect(s).toContain('Chess')
    expect(s).toContain('Art - Watercolors')
    expect(s.match(/class="sched-item"/g)).toHaveLength(2) // not the overridden Art, not Deleted Club, not the past block
    expect(s).not.toContain('Long ago')
    expect(await html(`/profile/${u.sam!.id}`, 'tess')).not.toContain('Sponsored activities')
  })
})

describe('groups and links', () => {
  test('groups: for group admins and the office only', async () => {
    expect(await html(`/profile/${u.ada!.id}`, 'grp')).toContain('<li>Chess Club</li>')
    expect(await html(`/profile/${u.ada!.id}`, 'office')).toContain('<li>Chess Club</li>')
    expect(await html(`/profile/${u.ada!.id}`, 'tess')).not.toContain('Chess Club')
    expect(await html(`/profile/${u.ada!.id}`, 'sam')).not.toContain('Chess Club')
  })
  test('the eighth history for staff and the owner; privacy settings for the office', async () => {
    expect(await html(`/profile/${u.ada!.id}`, 'tess')).toContain(`href="/eighth/profile/${u.ada!.id}"`)
    expect(await html('/profile', 'ada')).toContain('href="/eighth/profile"')
    const sam = await html(`/profile/${u.ada!.id}`, 'sam')
    expect(sam).not.toContain('/eighth/profile')
    expect(sam).not.toContain('/preferences/privacy')
    const office = await html(`/profile/${u.ada!.id}`, 'office')
    expect(office).toContain(`href="/preferences/privacy?user=${u.ada!.id}"`)
    expect(office).toContain(`href="/eighth/signup?user=${u.ada!.id}"`)
  })
})
