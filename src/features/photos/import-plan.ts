import type { Db, Sql } from '../../platform/db.ts'
import { audit } from '../users/users.sql.ts'
import { gradeNumber } from '../users/grade.ts'
import { MAX_PHOTO_BYTES, sha256Hex, sniffImage, type PhotoType } from './image.ts'
import { upsertPhotos, usersByStudentIds, type NewPhoto } from './photos.sql.ts'
import type { PhotoSource } from './sources.ts'

// `ion import photos`: every file is checked first and every problem collected (a name that is
// not a student id, an unknown id, not a JPEG/PNG by its bytes, over 2 MB); the valid files are
// then written in one transaction.

export type FileError = { name: string; message: string }
export type PlannedPhoto = { name: string; userId: number; studentId: string; gradeNumber: number; contentType: PhotoType; size: number }
export type PhotoPlan = { files: number; valid: PlannedPhoto[]; errors: FileError[] }
export type PhotoImportResult = { created: number; replaced: number; unchanged: number }

const NAME_RE = /^([A-Za-z0-9]{1,20})\.(jpe?g|png)$/i
const BATCH = 50
const BATCH_BYTES = 32 * 1024 * 1024
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`

/** Reads a batch; when one entry breaks the batch, each is read alone so only it fails. */
async function readSafely(source: PhotoSource, names: string[]): Promise<Map<string, Uint8Array | Error>> {
  try {
    return await source.read(names)
  } catch {
    const out = new Map<string, Uint8Array | Error>()
    for (const n of names) {
      try {
        const one = await source.read([n])
        if (one.has(n)) out.set(n, one.get(n)!)
      } catch (e) {
        out.set(n, e as Error)
      }
    }
    return out
  }
}

/** A file's bytes are a photo: the reason when not. */
function badBytes(b: Uint8Array | Error | undefined): string | null {
  if (b === undefined || b instanceof Error) return 'could not be read'
  if (b.length === 0) return 'is empty'
  if (b.length > MAX_PHOTO_BYTES) return `is larger than 2 MB (${mb(b.length)})`
  if (!sniffImage(b)) return 'is not a JPEG or PNG image'
  return null
}

export async function planPhotoImport(
  db: Db, source: PhotoSource, opts: { grade: number | null; today: string; turnoverMonth: number; onProgress?: (done: number) => void },
): Promise<PhotoPlan> {
  const errors: FileError[] = []
  const named: { name: string; studentId: string; size: number }[] = []
  const firstFor = new Map<string, string>()
  for (const e of source.entries) {
    const base = e.name.slice(e.name.lastIndexOf('/') + 1)
    const m = NAME_RE.exec(base)
    if (!m) { errors.push({ name: e.name, message: 'is not named <student id>.jpg or .png' }); continue }
    const studentId = m[1]!
    const earlier = firstFor.get(studentId)
    if (earlier) { errors.push({ name: e.name, message: `is a second photo for student ID ${studentId} (first: ${earlier})` }); continue }
    firstFor.set(studentId, e.name)
    if (e.size > MAX_PHOTO_BYTES) { errors.push({ name: e.name, message: `is larger than 2 MB (${mb(e.size)})` }); continue }
    named.push({ name: e.name, studentId, size: e.size })
  }

  const users = new Map((await usersByStudentIds(db, named.map((n) => n.studentId))).map((u) => [u.studentId, u]))
  const known: (typeof named[number] & { userId: number; gradeNumber: number })[] = []
  for (const n of named) {
    const u = users.get(n.studentId)
    if (!u) { errors.push({ name: n.name, message: `no account has student ID ${n.studentId}` }); continue }
    const grade = opts.grade ?? (u.userType === 'student' ? gradeNumber(u.graduationYear, opts.today, opts.turnoverMonth) : 13)
    if (u.userType === 'student' && opts.grade === null && (grade < 9 || grade > 12)) {
      errors.push({ name: n.name, message: `student ${n.studentId} is not in grades 9–12 now${u.graduationYear ? ` (class of ${u.graduationYear})` : ''}: use --grade` })
      continue
    }
    known.push({ ...n, userId: u.id, gradeNumber: grade })
  }

  const valid: PlannedPhoto[] = []
  let done = source.entries.length - known.length
  opts.onProgress?.(done)
  for (let i = 0; i < known.length; i += BATCH) {
    const batch = known.slice(i, i + BATCH)
    const bytes = await readSafely(source, batch.map((k) => k.name))
    for (const k of batch) {
      const b = bytes.get(k.name)
      const why = badBytes(b)
      if (why) errors.push({ name: k.name, message: why })
      else valid.push({ name: k.name, userId: k.userId, studentId: k.studentId, gradeNumber: k.gradeNumber, contentType: sniffImage(b as Uint8Array)!, size: (b as Uint8Array).length })
    }
    opts.onProgress?.((done += batch.length))
  }
  errors.sort((a, b) => a.name.localeCompare(b.name))
  return { files: source.entries.length, valid, errors }
}

/** Batches by count and by bytes, so one statement never carries more than ~32 MB. */
function batches(valid: PlannedPhoto[]): PlannedPhoto[][] {
  const out: PlannedPhoto[][] = []
  let cur: PlannedPhoto[] = []
  let size = 0
  for (const v of valid) {
    if (cur.length && (cur.length >= BATCH || size + v.size > BATCH_BYTES)) { out.push(cur); cur = []; size = 0 }
    cur.push(v)
    size += v.size
  }
  if (cur.length) out.push(cur)
  return out
}

export class SourceChanged extends Error {}

/** All valid photos in one transaction; a file that changed since it was checked rolls it all back. */
export async function applyPhotoImport(
  sql: Sql, source: PhotoSource, plan: PhotoPlan, opts: { now: Date; file: string; onProgress?: (done: number) => void },
): Promise<PhotoImportResult> {
  return sql.begin(async (tx) => {
    const result: PhotoImportResult = { created: 0, replaced: 0, unchanged: 0 }
    let done = 0
    for (const batch of batches(plan.valid)) {
      const bytes = await source.read(batch.map((v) => v.name))
      const rows: NewPhoto[] = batch.map((v) => {
        const b = bytes.get(v.name)
        const why = badBytes(b)
        if (why) throw new SourceChanged(`${v.name} changed while importing: it ${why}`)
        const data = b as Uint8Array
        return { userId: v.userId, gradeNumber: v.gradeNumber, bytes: data, contentType: sniffImage(data)!, etag: sha256Hex(data), createdAt: opts.now }
      })
      const r = await upsertPhotos(tx, rows)
      result.created += r.created
      result.replaced += r.replaced
      result.unchanged += rows.length - r.created - r.replaced
      opts.onProgress?.((done += batch.length))
    }
    await audit(tx, {
      actorId: null, action: 'import.photos', targetType: 'photos', at: opts.now,
      details: { ...result, files: plan.files, errors: plan.errors.length, source: 'cli', file: opts.file },
    })
    return result
  })
}
