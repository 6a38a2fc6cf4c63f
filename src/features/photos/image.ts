// Photo bytes: what they are (by their magic bytes, never the file name), their ETag, and the
// demo school's generated avatars.

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/svg+xml'

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** JPEG (FF D8 FF) or PNG (its 8-byte signature); anything else is not a photo. */
export function sniffImage(b: Uint8Array): 'image/jpeg' | 'image/png' | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= PNG.length && PNG.every((x, i) => b[i] === x)) return 'image/png'
  return null
}

export const sha256Hex = (b: Uint8Array) => new Bun.CryptoHasher('sha256').update(b).digest('hex')

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A portrait-shaped SVG with the person's initials on a colour of their own. */
export function avatarSvg(first: string, last: string, hue: number, shade = 42): Uint8Array {
  const initials = ([...first][0] ?? '') + ([...last][0] ?? '')
  const bg = `hsl(${Math.round(hue) % 360} 55% ${shade}%)`
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 150" width="120" height="150">`
    + `<rect width="120" height="150" fill="${bg}"/>`
    + `<circle cx="60" cy="150" r="52" fill="#fff" fill-opacity=".22"/>`
    + `<text x="60" y="76" font-family="system-ui, sans-serif" font-size="42" font-weight="600" fill="#fff" text-anchor="middle">${xml(initials.toUpperCase())}</text>`
    + `</svg>`
  return new TextEncoder().encode(svg)
}

/** Years in picture URLs (Ion's names), and back. 13 is staff. */
export const YEAR_GRADE: Record<string, number> = { freshman: 9, sophomore: 10, junior: 11, senior: 12, staff: 13 }
export const yearName = (grade: number) => Object.keys(YEAR_GRADE).find((k) => YEAR_GRADE[k] === grade) ?? String(grade)
export const yearLabel = (grade: number) => grade === 13 ? 'Staff photo' : `${yearName(grade)[0]!.toUpperCase()}${yearName(grade).slice(1)} year`
