import { decodeCsvBytes } from '../../platform/csv.ts'
import type { Redis } from '../../platform/redis.ts'
import type { ImportKind } from './service.ts'

// The admin page's upload: a file or pasted text, checked before anything is planned; and the
// preview's CSV stashed in Redis for 30 minutes under a random id, so "Import" imports exactly
// what was previewed.

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024
const NOT_CSV_EXT = /\.(xlsx|xlsm|xls|ods|numbers|pdf|docx?|zip|gz|png|jpe?g|gif|webp|heic)$/i

export type Upload = { ok: true; text: string; name: string } | { ok: false; status: number; message: string }

export async function readUpload(file: unknown, pasted: string | undefined): Promise<Upload> {
  if (file instanceof Blob && file.size > 0) {
    const name = (file as File).name || 'upload.csv'
    if (file.size > MAX_UPLOAD_BYTES) return { ok: false, status: 413, message: 'The file is larger than 5 MB. Split it into smaller files.' }
    if (NOT_CSV_EXT.test(name) || /^(image|audio|video)\//.test(file.type))
      return { ok: false, status: 415, message: `${name} is not a CSV file. In a spreadsheet, use "Save as" → CSV and upload that.` }
    const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()))
    if (!decoded.ok) return { ok: false, status: 415, message: `${name} is not a CSV text file. In a spreadsheet, use "Save as" → CSV and upload that.` }
    if (!decoded.text.trim()) return { ok: false, status: 422, message: `${name} is empty.` }
    return { ok: true, text: decoded.text, name }
  }
  const text = pasted ?? ''
  if (text.length > MAX_UPLOAD_BYTES) return { ok: false, status: 413, message: 'The pasted text is larger than 5 MB. Upload smaller files.' }
  if (text.includes('\0')) return { ok: false, status: 415, message: 'The pasted text is not CSV.' }
  if (!text.trim()) return { ok: false, status: 422, message: 'Choose a CSV file or paste its contents: nothing was sent.' }
  return { ok: true, text, name: 'pasted text' }
}

export type Stash = { kind: ImportKind; text: string; name: string; deactivateMissing: boolean; actorId: number }

const STASH_SECONDS = 1800
const key = (id: string) => `import:${id}`

export async function stashImport(redis: Redis, s: Stash): Promise<string> {
  const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex')
  await redis.set(key(id), JSON.stringify(s), { exSeconds: STASH_SECONDS })
  return id
}

/** The stash, only for the admin who made it. */
export async function loadStash(redis: Redis, id: string, actorId: number): Promise<Stash | null> {
  const raw = await redis.get(key(id))
  if (!raw) return null
  const s = JSON.parse(raw) as Stash
  return s.actorId === actorId ? s : null
}

export const dropStash = (redis: Redis, id: string) => redis.del(key(id))
