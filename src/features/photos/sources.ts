import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { unzipSync } from 'fflate'

// Where `ion import photos` reads from: a folder (searched recursively) or a zip file. Entries
// are listed first (name and size), then read a batch at a time, so a large yearbook export is
// never all in memory as files (a zip is held once, compressed).

export type SourceEntry = { name: string; size: number }
export type PhotoSource = {
  kind: 'folder' | 'zip'
  entries: SourceEntry[]
  /** The bytes of the named entries (only those that exist). */
  read(names: string[]): Promise<Map<string, Uint8Array>>
}

export type Opened = { ok: true; source: PhotoSource } | { ok: false; message: string }

const MAX_ENTRIES = 50_000

/** Files a desktop leaves behind, silently passed over. */
export const isJunk = (name: string) =>
  name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX') || /(^|\/)(Thumbs\.db|desktop\.ini)$/i.test(name)

export async function openSource(path: string): Promise<Opened> {
  let st
  try {
    st = statSync(path)
  } catch {
    return { ok: false, message: `cannot read ${path}: no such file or folder` }
  }
  if (st.isDirectory()) return openFolder(path)
  if (!st.isFile()) return { ok: false, message: `${path} is neither a folder nor a zip file` }
  const bytes = new Uint8Array(await Bun.file(path).arrayBuffer())
  const zipMagic = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)
  if (!zipMagic) return { ok: false, message: `${path} is neither a folder nor a zip file` }
  return openZip(path, bytes)
}

function openFolder(dir: string): Opened {
  const entries: SourceEntry[] = []
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = join(d.parentPath, d.name)
    const name = relative(dir, full).split('\\').join('/')
    if (isJunk(name)) continue
    const st = statSync(full, { throwIfNoEntry: false })
    if (!st?.isFile()) continue
    entries.push({ name, size: st.size })
    if (entries.length > MAX_ENTRIES) return { ok: false, message: `${dir} has more than ${MAX_ENTRIES} files` }
  }
  entries.sort((a, b) => a.name.localeCompare(b.name))
  return {
    ok: true,
    source: {
      kind: 'folder', entries,
      async read(names) {
        const out = new Map<string, Uint8Array>()
        for (const n of names) out.set(n, new Uint8Array(await Bun.file(join(dir, n)).arrayBuffer()))
        return out
      },
    },
  }
}

function openZip(path: string, bytes: Uint8Array): Opened {
  const entries: SourceEntry[] = []
  try {
    // The filter sees every entry's header and extracts none: a listing.
    unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.endsWith('/') && !isJunk(f.name)) entries.push({ name: f.name, size: f.originalSize })
        return false
      },
    })
  } catch (e) {
    return { ok: false, message: `${path} is not a readable zip file (${(e as Error).message})` }
  }
  if (entries.length > MAX_ENTRIES) return { ok: false, message: `${path} has more than ${MAX_ENTRIES} files` }
  entries.sort((a, b) => a.name.localeCompare(b.name))
  return {
    ok: true,
    source: {
      kind: 'zip', entries,
      async read(names) {
        const wanted = new Set(names)
        const files = unzipSync(bytes, { filter: (f) => wanted.has(f.name) })
        return new Map(Object.entries(files))
      },
    },
  }
}
