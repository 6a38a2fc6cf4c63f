import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { runIon } from '../helpers/cli.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { makeUser } from '../helpers/factories.ts'
import { dateInTz } from '../../src/platform/clock.ts'
import { seniorYear } from '../../src/features/users/grade.ts'
import { sha256Hex } from '../../src/features/photos/image.ts'

// `ion import photos <dir|zip>` through `bun src/main.ts`, against its own database. The CLI
// runs on the real clock, so classes are set relative to today's seniors.

let db: TestDb
let root: string
let ENV: Record<string, string | undefined>
const SENIOR = seniorYear(dateInTz(new Date(), 'America/New_York'), 7)

const jpeg = (label: string, pad = 0) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode(label), ...new Uint8Array(pad)])
const png = (label: string) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new TextEncoder().encode(label)])
const BIG = 2 * 1024 * 1024 + 1

const ids: Record<string, number> = {}
beforeAll(async () => {
  db = await createTestDb()
  root = mkdtempSync(join(tmpdir(), 'ion-photos-'))
  ENV = { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL }
  const mk = async (sid: string, year: number | null, type: 'student' | 'teacher' = 'student') =>
    (ids[sid] = (await makeUser(db.sql, { studentId: sid, graduationYear: year, type })).id)
  await mk('1000001', SENIOR + 1) // junior
  await mk('1000002', SENIOR + 3) // freshman
  await mk('1000003', SENIOR)
  await mk('1000004', SENIOR)
  await mk('1000005', SENIOR + 2) // sophomore
  await mk('1000006', SENIOR - 3) // graduated
  await mk('2000001', SENIOR + 1)
  await mk('2000002', SENIOR + 1)
  await mk('2000003', SENIOR + 1)
})
afterAll(async () => { await db.drop() })

function folder(name: string, files: Record<string, Uint8Array | string>): string {
  const dir = join(root, name)
  for (const [f, data] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true })
    writeFileSync(join(dir, f), data)
  }
  return dir
}

const photos = () => db.sql<{ userId: number; gradeNumber: number; contentType: string; etag: string }[]>`
  SELECT user_id, grade_number, content_type, etag FROM photos ORDER BY user_id, grade_number`
const count = async () => (await db.sql`SELECT count(*)::int AS n FROM photos`)[0]!.n as number

describe('usage errors exit 2', () => {
  test('a bad --grade, a missing path, a flag of another kind', async () => {
    const cases: [string[], string][] = [
      [['import', 'photos', root, '--grade', '8'], '--grade must be 9, 10, 11, 12, or 13'],
      [['import', 'photos', root, '--grade', 'senior'], '--grade must be'],
      [['import', 'photos', root, '--grade'], '--grade needs a value'],
      [['import', 'photos'], 'missing file'],
      [['import', 'photos', root, '--valid-only'], 'does not take --valid-only'],
    ]
    for (const [args, msg] of cases) {
      const r = await runIon(args, ENV)
      expect({ args, code: r.code }).toEqual({ args, code: 2 })
      expect(r.stderr).toContain(msg)
    }
    expect((await runIon(['import'], ENV)).stderr).toContain('ion import photos <dir|file.zip> [--grade N] [--dry-run]')
  })

  test('neither a folder nor a zip, or not there: exit 1, one clear line', async () => {
    const missing = await runIon(['import', 'photos', join(root, 'nope')], ENV)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('no such file or folder')
    const txt = join(root, 'list.txt')
    writeFileSync(txt, 'hello')
    const r = await runIon(['import', 'photos', txt], ENV)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('is neither a folder nor a zip file')
    const broken = join(root, 'broken.zip')
    writeFileSync(broken, new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]))
    const b = await runIon(['import', 'photos', broken], ENV)
    expect(b.code).toBe(1)
    expect(b.stderr).toContain('not a readable zip file')
  })
})

describe('from a folder', () => {
  let dir: string
  beforeAll(() => {
    dir = folder('mixed', {
      '1000001.jpg': jpeg('junior'),
      '1000002.PNG': png('freshman'),
      'nested/1000005.jpeg': jpeg('sophomore'),
      '9999999.jpg': jpeg('nobody'),
      '1000003.jpg': 'this is not an image',
      '1000004.jpg': jpeg('huge', BIG),
      '1000006.jpg': jpeg('graduate'),
      '1000001.png': png('second'),
      'notes.txt': 'hello',
      '.DS_Store': 'junk',
    })
  })

  test('--dry-run lists what it would do and writes nothing', async () => {
    const r = await runIon(['import', 'photos', dir, '--dry-run'], ENV)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('photo  1000001.jpg  student ID 1000001  junior year')
    expect(r.stdout).toContain('dry run: 9 file(s) in the folder: 3 valid, 6 with errors (nothing written')
    expect(await count()).toBe(0)
  })

  test('imports the valid files in one go and names every bad one', async () => {
    const r = await runIon(['import', 'photos', dir], ENV)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('3 new, 0 replaced, 0 unchanged; 6 file(s) skipped for errors')
    for (const line of [
      '9999999.jpg: no account has student ID 9999999',
      '1000003.jpg: is not a JPEG or PNG image',
      '1000004.jpg: is larger than 2 MB (2.0 MB)',
      `1000006.jpg: student 1000006 is not in grades 9–12 now (class of ${SENIOR - 3}): use --grade`,
      '1000001.png: is a second photo for student ID 1000001 (first: 1000001.jpg)',
      'notes.txt: is not named <student id>.jpg or .png',
    ]) expect(r.stderr).toContain(line)
    expect(r.stderr).not.toContain('DS_Store')
    expect(r.stderr).toContain('import photos 100% (3/3)') // the progress bar (not a TTY: plain lines)
    expect([...(await photos())]).toEqual([
      { userId: ids['1000001']!, gradeNumber: 11, contentType: 'image/jpeg', etag: sha256Hex(jpeg('junior')) },
      { userId: ids['1000002']!, gradeNumber: 9, contentType: 'image/png', etag: sha256Hex(png('freshman')) },
      { userId: ids['1000005']!, gradeNumber: 10, contentType: 'image/jpeg', etag: sha256Hex(jpeg('sophomore')) },
    ])
    const [a] = await db.sql`SELECT details FROM audit_log WHERE action = 'import.photos'`
    expect(a!.details).toMatchObject({ created: 3, files: 9, errors: 6 })
  })

  test('a second run changes nothing; new bytes replace the grade’s photo', async () => {
    const again = await runIon(['import', 'photos', dir], ENV)
    expect(again.stdout).toContain('0 new, 0 replaced, 3 unchanged')
    const dir2 = folder('replace', { '1000001.jpg': jpeg('junior-retake') })
    const r = await runIon(['import', 'photos', dir2], ENV)
    expect(r.stdout).toContain('0 new, 1 replaced, 0 unchanged')
    const [p] = await db.sql`SELECT etag FROM photos WHERE user_id = ${ids['1000001']!} AND grade_number = 11`
    expect(p!.etag).toBe(sha256Hex(jpeg('junior-retake')))
  })

  test('--grade puts every photo in that grade (a graduate too)', async () => {
    const dir3 = folder('old', { '1000006.jpg': jpeg('graduate'), '1000001.jpg': jpeg('junior-as-freshman') })
    const r = await runIon(['import', 'photos', dir3, '--grade', '9'], ENV)
    expect(r.code).toBe(0)
    const rows = await db.sql`SELECT user_id FROM photos WHERE grade_number = 9 AND user_id = ANY(${[ids['1000006']!, ids['1000001']!]}::int[])`
    expect(rows.length).toBe(2)
  })

  test('nothing valid: exit 1 and nothing written', async () => {
    const before = await count()
    const r = await runIon(['import', 'photos', folder('bad', { '9999998.jpg': jpeg('x'), 'a.gif': 'GIF89a' })], ENV)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('nothing imported')
    expect(await count()).toBe(before)
  })
})

describe('from a zip', () => {
  test('a mix of good and bad entries; folders inside and __MACOSX are handled', async () => {
    const zip = zipSync({
      'export/2000001.jpg': jpeg('zip-junior'),
      'export/2000002.png': png('zip-png'),
      'export/2000003.jpg': new TextEncoder().encode('<html>not a photo</html>'),
      'export/8888888.jpg': jpeg('zip-nobody'),
      'export/big/2000009.jpg': jpeg('zip-huge', BIG),
      '__MACOSX/export/._2000001.jpg': new TextEncoder().encode('resource fork'),
      'export/readme.md': new TextEncoder().encode('hi'),
    })
    const file = join(root, 'photos.zip')
    writeFileSync(file, zip)
    const r = await runIon(['import', 'photos', file], ENV)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('2 new, 0 replaced, 0 unchanged; 4 file(s) skipped for errors')
    for (const line of [
      'export/2000003.jpg: is not a JPEG or PNG image',
      'export/8888888.jpg: no account has student ID 8888888',
      'export/big/2000009.jpg: is larger than 2 MB',
      'export/readme.md: is not named <student id>.jpg or .png',
    ]) expect(r.stderr).toContain(line)
    expect(r.stderr).not.toContain('MACOSX')
    const got = await db.sql<{ gradeNumber: number; contentType: string }[]>`
      SELECT grade_number, content_type FROM photos WHERE user_id = ANY(${[ids['2000001']!, ids['2000002']!]}::int[]) ORDER BY user_id`
    expect([...got]).toEqual([{ gradeNumber: 11, contentType: 'image/jpeg' }, { gradeNumber: 11, contentType: 'image/png' }])
  })
})
