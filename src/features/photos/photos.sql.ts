import type { Db, Tx } from '../../platform/db.ts'
import type { UserType } from '../../platform/viewer.ts'
import type { PhotoType } from './image.ts'

// The photos slice's only SQL.

/** What the privacy gate and the grade walk need to know about a picture's owner. */
export type PictureOwner = {
  id: number
  userType: UserType
  graduationYear: number | null
  active: boolean
  selfShowPictures: boolean
  parentShowPictures: boolean
}

export async function pictureOwner(db: Db, key: { id: number } | { username: string }): Promise<PictureOwner | null> {
  const [row] = 'id' in key
    ? await db<PictureOwner[]>`
        SELECT id, user_type, graduation_year, active, self_show_pictures, parent_show_pictures FROM users WHERE id = ${key.id}`
    : await db<PictureOwner[]>`
        SELECT id, user_type, graduation_year, active, self_show_pictures, parent_show_pictures FROM users
        WHERE lower(username) = lower(${key.username})`
  return row ?? null
}

export type PickedPhoto = { id: number; gradeNumber: number; contentType: PhotoType; etag: string; bytes: Buffer | null }

/**
 * One statement picks the photo: with `grade`, that grade's; otherwise the preferred photo, else
 * the highest grade at or below `walkFrom`. The bytes are left out (null) when the client
 * already has them (`known` holds the ETags it sent).
 */
export async function pickPhoto(db: Db, userId: number, p: { grade: number | null; walkFrom: number; known: string[] }): Promise<PickedPhoto | null> {
  const [row] = await db<PickedPhoto[]>`
    SELECT p.id, p.grade_number, p.content_type, p.etag,
           CASE WHEN p.etag = ANY(${p.known}::text[]) THEN NULL ELSE p.bytes END AS bytes
    FROM users u JOIN photos p ON p.user_id = u.id
    WHERE u.id = ${userId}
      AND CASE WHEN ${p.grade}::int IS NOT NULL THEN p.grade_number = ${p.grade}::int
               ELSE p.id = u.preferred_photo_id OR p.grade_number <= ${p.walkFrom} END
    ORDER BY p.id = u.preferred_photo_id DESC, p.grade_number DESC
    LIMIT 1`
  return row ?? null
}

export type PhotoListing = { photos: { id: number; gradeNumber: number }[]; preferredId: number | null }

export async function photosOf(db: Db, userId: number): Promise<PhotoListing> {
  const rows = await db<{ id: number | null; gradeNumber: number | null; preferredPhotoId: number | null }[]>`
    SELECT p.id, p.grade_number, u.preferred_photo_id
    FROM users u LEFT JOIN photos p ON p.user_id = u.id
    WHERE u.id = ${userId} ORDER BY p.grade_number`
  return {
    photos: rows.filter((r) => r.id !== null).map((r) => ({ id: r.id!, gradeNumber: r.gradeNumber! })),
    preferredId: rows[0]?.preferredPhotoId ?? null,
  }
}

/** `photoId` null means automatic. False when the photo is not one of the user's own. */
export async function setPreferredPhoto(db: Db, userId: number, photoId: number | null): Promise<boolean> {
  const rows = await db`
    UPDATE users SET preferred_photo_id = ${photoId}
    WHERE id = ${userId} AND (${photoId}::int IS NULL OR EXISTS (SELECT 1 FROM photos WHERE id = ${photoId}::int AND user_id = ${userId}))
    RETURNING 1`
  return rows.length > 0
}

export type PhotoOwnerHit = { id: number; studentId: string; userType: UserType; graduationYear: number | null }

export async function usersByStudentIds(db: Db, studentIds: string[]): Promise<PhotoOwnerHit[]> {
  if (!studentIds.length) return []
  return db<PhotoOwnerHit[]>`
    SELECT id, student_id, user_type, graduation_year FROM users WHERE student_id = ANY(${studentIds}::text[])`
}

const PHOTO_COLUMNS = ['userId', 'gradeNumber', 'bytes', 'contentType', 'etag', 'createdAt'] as const

export type NewPhoto = { userId: number; gradeNumber: number; bytes: Uint8Array; contentType: PhotoType; etag: string; createdAt: Date }

/** Inserts or replaces (user, grade) photos; identical bytes are left alone. */
export async function upsertPhotos(tx: Tx, rows: NewPhoto[]): Promise<{ created: number; replaced: number }> {
  if (!rows.length) return { created: 0, replaced: 0 }
  const values = rows.map((r) => ({ ...r, bytes: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) }))
  const out = await tx<{ inserted: boolean }[]>`
    INSERT INTO photos ${tx(values, ...PHOTO_COLUMNS)}
    ON CONFLICT (user_id, grade_number) DO UPDATE
      SET bytes = EXCLUDED.bytes, content_type = EXCLUDED.content_type, etag = EXCLUDED.etag, created_at = EXCLUDED.created_at
      WHERE photos.etag <> EXCLUDED.etag
    RETURNING (xmax = 0) AS inserted`
  const created = out.filter((r) => r.inserted).length
  return { created, replaced: out.length - created }
}

/** The demo seed: inserts only (user, grade) pairs without a photo. */
export async function insertMissingPhotos(tx: Tx, rows: NewPhoto[]): Promise<number> {
  if (!rows.length) return 0
  const values = rows.map((r) => ({ ...r, bytes: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) }))
  const res = await tx`
    INSERT INTO photos ${tx(values, ...PHOTO_COLUMNS)}
    ON CONFLICT (user_id, grade_number) DO NOTHING`
  return res.count
}

export type DemoStudent = { id: number; firstName: string; lastName: string; graduationYear: number }

/** The first `limit` students of each class by id: the same ones on every run. */
export async function demoPhotoStudents(db: Db, perClass: number): Promise<DemoStudent[]> {
  return db<DemoStudent[]>`
    SELECT id, first_name, last_name, graduation_year FROM (
      SELECT id, first_name, last_name, graduation_year,
             row_number() OVER (PARTITION BY graduation_year ORDER BY id) AS n
      FROM users WHERE user_type = 'student' AND graduation_year IS NOT NULL AND active
    ) s WHERE n <= ${perClass} ORDER BY id`
}
