import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { toCsv } from '../../src/platform/csv.ts'

// /admin/import: upload → preview (stashed in Redis) → import → summary.
let env: TestEnv
let admin: string
let admin2: string
let teacher: string
beforeAll(async () => {
  env = await testEnv()
  admin = await login(env.app, await makeUser(env.sql, { username: 'importadmin', type: 'teacher', groups: ['admin_all'] }))
  admin2 = await login(env.app, await makeUser(env.sql, { username: 'otheradmin', type: 'teacher', groups: ['admin_all'] }))
  teacher = await login(env.app, await makeUser(env.sql, { username: 'eighthadmin', type: 'teacher', groups: ['admin_eighth'] }))
})
afterAll(async () => { await env.close() })

const GOOD = toCsv([
  ['Student ID', 'First Name', 'Last Name', 'Grad Year', 'Email'],
  ['8000001', 'Jane', '<b>Doe</b>', '2027', 'jane@example.org'],
  ['8000002', 'John', 'Roe', '2028', ''],
])
const BAD = toCsv([
  ['Student ID', 'First Name', 'Last Name', 'Grad Year'],
  ['8000011', 'Val', 'Id', '2029'],
  ['8000012', '', 'Nameless', '2029'],
])

function upload(cookie: string, parts: { file?: Blob & { name?: string }; csv?: string; kind?: string; deactivate?: boolean }) {
  const fd = new FormData()
  fd.append('kind', parts.kind ?? 'users')
  if (parts.file) fd.append('file', parts.file)
  else fd.append('file', new File([], '', { type: 'application/octet-stream' }))
  fd.append('csv', parts.csv ?? '')
  if (parts.deactivate) fd.append('deactivate_missing', 'on')
  return env.app.handle(req('/admin/import', { method: 'POST', body: fd, cookie }))
}
const stashId = (html: string) => /name="id" value="([0-9a-f]{32})"/.exec(html)?.[1]
const applyForm = (cookie: string, id: string, mode: 'all' | 'valid') => env.app.handle(req('/admin/import/apply', { form: { id, mode }, cookie }))
const count = async (where: string) => (await env.sql.unsafe(`SELECT count(*)::int AS n FROM users WHERE ${where}`))[0]!.n as number

describe('access', () => {
  test('only admin_all: others get 403, anonymous goes to login, nothing changes', async () => {
    expect((await env.app.handle(req('/admin/import', { cookie: teacher }))).status).toBe(403)
    expect((await upload(teacher, { csv: GOOD })).status).toBe(403)
    expect((await applyForm(teacher, 'a'.repeat(32), 'all')).status).toBe(403)
    const anon = await env.app.handle(req('/admin/import'))
    expect(anon.status).toBe(303)
    expect(await count(`student_id LIKE '80000%'`)).toBe(0)
  })

  test('the admin index links to the page', async () => {
    const r = await env.app.handle(req('/admin', { cookie: admin }))
    expect(await r.text()).toContain('href="/admin/import"')
  })

  test('the form', async () => {
    const r = await env.app.handle(req('/admin/import', { cookie: admin }))
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('enctype="multipart/form-data"')
    expect(html).toContain('name="file"')
    expect(html).toContain('name="csv"')
  })
})

describe('upload → preview → import', () => {
  test('a file: the preview lists the new accounts (escaped) and writes nothing; Import writes them', async () => {
    const r = await upload(admin, { file: new File([GOOD], 'students.csv', { type: 'text/csv' }) })
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('students.csv: 2 row(s): 2 to create')
    expect(html).toContain('&lt;b&gt;Doe&lt;/b&gt;')
    expect(html).not.toContain('<b>Doe</b>')
    expect(html).toContain('2027jbdoeb') // letters of "<b>Doe</b>"
    expect(html).toContain('>Import</button>')
    expect(html).not.toContain('Import the valid rows</button>')
    expect(await count(`student_id LIKE '80000%'`)).toBe(0)
    const id = stashId(html)!
    expect(await env.redis.ttl(`import:${id}`)).toBeGreaterThan(1700)

    const done = await applyForm(admin, id, 'all')
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('2 created, 0 updated, 0 unchanged, 0 deactivated')
    expect(await count(`student_id LIKE '80000%'`)).toBe(2)
    const [a] = await env.sql`SELECT actor_id, ip, details FROM audit_log WHERE action = 'import.users' ORDER BY id DESC LIMIT 1`
    expect(a!.details).toMatchObject({ source: 'web', file: 'students.csv', created: 2 })
    // The stash is gone: importing twice is refused.
    expect((await applyForm(admin, id, 'all')).status).toBe(404)
  })

  test('pasted text works too; re-importing the same rows shows them unchanged', async () => {
    const r = await upload(admin, { csv: GOOD })
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('pasted text: 2 row(s): 0 to create, 0 to update, 2 unchanged')
  })

  test('row errors: preview shows line numbers; Import writes nothing (422); Import the valid rows writes the rest', async () => {
    const r = await upload(admin, { csv: BAD })
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toMatch(/<td>3<\/td><td>First name is required.<\/td>/)
    expect(html).toContain('Import the valid rows</button>')
    const id = stashId(html)!
    const all = await applyForm(admin, id, 'all')
    expect(all.status).toBe(422)
    expect(await all.text()).toContain('nothing was imported')
    expect(await count(`student_id LIKE '800001%'`)).toBe(0)
    const valid = await applyForm(admin, id, 'valid')
    expect(valid.status).toBe(200)
    expect(await valid.text()).toContain('1 created, 0 updated, 0 unchanged, 0 deactivated; 1 row(s) with errors skipped')
    expect(await count(`student_id LIKE '800001%'`)).toBe(1)
  })

  test('deactivate missing students: preview counts them, import deactivates them', async () => {
    await makeUser(env.sql, { username: 'withdrawn1', type: 'student', studentId: '8100001' })
    const students = await count(`user_type = 'student' AND active`)
    const r = await upload(admin, { csv: GOOD, deactivate: true })
    const html = await r.text()
    expect(html).toContain(`${students - 2} to deactivate`)
    expect(html).toContain('withdrawn1')
    const done = await applyForm(admin, stashId(html)!, 'all')
    expect(await done.text()).toContain(`${students - 2} deactivated`)
    expect(await count(`user_type = 'student' AND active`)).toBe(2)
  })

  test('groups: admin_* rows are errors in the preview', async () => {
    const r = await upload(admin, { kind: 'groups', csv: 'group,username\nadmin_all,importadmin\nDebate,importadmin\n' })
    const html = await r.text()
    expect(html).toContain('permission group')
    expect(html).toContain('Import the valid rows</button>')
  })

  test('a preview belongs to the admin who made it', async () => {
    const id = stashId(await (await upload(admin, { csv: GOOD })).text())!
    expect((await applyForm(admin2, id, 'all')).status).toBe(404)
    expect((await applyForm(admin, 'f'.repeat(32), 'all')).status).toBe(404)
  })
})

describe('bad uploads: 4xx, clear message, nothing written', () => {
  test('too large (> 5 MB) → 413', async () => {
    const big = GOOD + 'x'.repeat(5 * 1024 * 1024)
    const r = await upload(admin, { file: new File([big], 'big.csv', { type: 'text/csv' }) })
    expect(r.status).toBe(413)
    expect(await r.text()).toContain('larger than 5 MB')
    const pasted = await upload(admin, { csv: big })
    expect(pasted.status).toBe(413)
  })

  test('empty → 422', async () => {
    const r = await upload(admin, {})
    expect(r.status).toBe(422)
    expect(await r.text()).toContain('Choose a CSV file or paste its contents')
    const blank = await upload(admin, { file: new File(['\r\n\r\n  '], 'blank.csv', { type: 'text/csv' }) })
    expect(blank.status).toBe(422)
    expect(await blank.text()).toContain('blank.csv is empty')
  })

  test('not CSV (a spreadsheet, an image, binary) → 415', async () => {
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], 'photo.png', { type: 'image/png' })
    const xlsx = new File([new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0])], 'students.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
    const bin = new File([new Uint8Array([1, 2, 0, 4])], 'data.csv', { type: 'text/csv' })
    for (const f of [png, xlsx, bin]) {
      const r = await upload(admin, { file: f })
      expect(r.status).toBe(415)
      expect(await r.text()).toContain('is not a CSV')
    }
  })

  test('a header without the needed columns or broken quoting → 422 with the line', async () => {
    const r = await upload(admin, { csv: 'Name,Grade\nJo,9\n' })
    expect(r.status).toBe(422)
    expect(await r.text()).toContain('The header needs the column(s)')
    const q = await upload(admin, { csv: 'Student ID,First Name,Last Name\n1,"x\n' })
    expect(q.status).toBe(422)
    expect(await q.text()).toContain('never closed')
  })

  test('an unknown kind or a malformed apply id → 422', async () => {
    expect((await upload(admin, { kind: 'photos', csv: GOOD })).status).toBe(422)
    expect((await applyForm(admin, '../../etc', 'all')).status).toBe(422)
  })
})
