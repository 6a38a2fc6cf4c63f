import type { Deps } from '../../platform/http.ts'
import { getAsset, registerAsset } from '../../platform/html/assets.ts'
import { isRestricted, type Viewer } from '../../platform/viewer.ts'
import defaultAvatar from '../../../public/default-avatar.svg' with { type: 'file' }
import { picturesVisible, walkFrom } from './gate.ts'
import { YEAR_GRADE } from './image.ts'
import { pickPhoto, pictureOwner } from './photos.sql.ts'

// GET /profile/picture/<id>[/<year>] and /api/profile/<id|username>/picture[/<year>]: the
// photo behind the privacy gate, else the default avatar; ETags make a repeat visit a 304.

export const DEFAULT_AVATAR = 'default-avatar.svg'
registerAsset(DEFAULT_AVATAR, defaultAvatar)

export type PictureAnswer =
  | { ok: false; status: 403 | 404; message: string }
  | { ok: true; notModified: boolean; contentType: string; etag: string; bytes: Uint8Array | null; isDefault: boolean }

/** The ETags in an If-None-Match header, unquoted, weak or strong alike; '*' stays '*'. */
export function parseIfNoneMatch(h: string | null): string[] {
  if (!h) return []
  return h.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')).filter(Boolean).slice(0, 20)
}

const matches = (known: string[], etag: string) => known.includes('*') || known.includes(etag)

export async function resolvePicture(
  deps: Deps, viewer: Viewer, key: { id: number } | { username: string }, year: string | undefined, ifNoneMatch: string | null,
): Promise<PictureAnswer> {
  const grade = year === undefined ? null : YEAR_GRADE[year.toLowerCase()] ?? -1
  if (grade === -1) return { ok: false, status: 404, message: 'Pictures are by year: freshman, sophomore, junior, senior or staff.' }
  const owner = await pictureOwner(deps.sql, key)
  const mine = owner !== null && owner.id === viewer.id
  if (!owner || (!owner.active && !mine)) return { ok: false, status: 404, message: 'There is no such person.' }
  if (isRestricted(viewer) && !mine) return { ok: false, status: 403, message: 'You may see only your own picture.' }
  const known = parseIfNoneMatch(ifNoneMatch)
  if (picturesVisible(viewer, owner)) {
    const photo = await pickPhoto(deps.sql, owner.id, { grade, walkFrom: walkFrom(owner, deps.clock.today(), deps.config.yearTurnoverMonth), known })
    if (photo) {
      const notModified = photo.bytes === null || matches(known, photo.etag)
      return { ok: true, notModified, contentType: photo.contentType, etag: photo.etag, bytes: notModified ? null : photo.bytes, isDefault: false }
    }
  }
  const a = getAsset(DEFAULT_AVATAR)!
  const etag = a.etag.slice(1, -1)
  const notModified = matches(known, etag)
  return { ok: true, notModified, contentType: a.type, etag, bytes: notModified ? null : a.bytes, isDefault: true }
}

/**
 * Private (one person's view of another), revalidated after five minutes. Pictures may be SVG
 * (the demo school's), so the response carries a CSP of its own: no script, no fetches.
 */
export function pictureResponse(a: Extract<PictureAnswer, { ok: true }>): Response {
  const headers: Record<string, string> = {
    etag: `"${a.etag}"`,
    'cache-control': 'private, max-age=300',
    vary: 'Cookie, Authorization',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
  }
  if (a.notModified) return new Response(null, { status: 304, headers })
  headers['content-type'] = a.contentType
  return new Response(a.bytes as Uint8Array<ArrayBuffer>, { status: 200, headers })
}

export const pictureUrl = (userId: number, grade?: number) =>
  `/profile/picture/${userId}${grade === undefined ? '' : '/' + (Object.keys(YEAR_GRADE).find((k) => YEAR_GRADE[k] === grade) ?? '')}`
