// Reading urlencoded/multipart form bodies: Elysia gives a field once as a string and a repeated
// field as an array.

export type Form = Record<string, unknown>

export const formOf = (body: unknown): Form => (body && typeof body === 'object' && !Array.isArray(body) ? (body as Form) : {})

/** One text value ('' when absent; a repeated field counts by its first value). */
export function one(f: Form, name: string): string {
  const v = f[name]
  if (Array.isArray(v)) return v.length ? String(v[0]) : ''
  return v === undefined || v === null ? '' : String(v)
}

/** Every value of a repeated field. */
export function many(f: Form, name: string): string[] {
  const v = f[name]
  if (v === undefined || v === null || v === '') return []
  return (Array.isArray(v) ? v : [v]).map(String).filter((s) => s !== '')
}

/** A checkbox: on/true/1/yes. */
export const ticked = (f: Form, name: string) => ['on', 'true', '1', 'yes'].includes(one(f, name).toLowerCase())
