// Input no handler should ever see, refused for every route before validation (so nothing has
// run and nothing changed):
// - a NUL character: PostgreSQL cannot store it in text, so the statement that meets it fails
//   (a 500, after whatever the handler already wrote);
// - a JSON object with its own `toString` or `valueOf` key: it cannot be turned into a string, so
//   `String(v)` in a handler and Elysia's own validation message both throw (a 500);
// - a path param that is not valid percent-encoded UTF-8 ('%zz', '%ED%A0%80'): Elysia hands the
//   handler null where its type says string (`params.date.slice` threw: a 500);
// - a body that is a bare string or array (text/plain, a JSON string or list): no route takes one,
//   and Elysia's cleaner turns a string into an object with one key per character before a
//   `t.Record` body validates it: a 2 MB text/plain POST held the event loop for 8 s.

export const NUL_REFUSAL = 'The request contains a NUL character, which Ion cannot store.'
export const OBJECT_REFUSAL = 'The request could not be read.'
export const ADDRESS_REFUSAL = 'The address could not be read.'

const isPlain = (v: object) => {
  const p = Object.getPrototypeOf(v)
  return p === Object.prototype || p === null
}

/**
 * Why this input is refused, or null. `search` is the raw query string: Elysia's `query` keeps only
 * the last of a repeated name, and some routes read every value from the URL. Walks iteratively:
 * JSON may nest deeply.
 */
export function inputRefusal(input: { params?: unknown; query?: unknown; body?: unknown; search?: string }): string | null {
  const { params, body } = input
  if (input.search && /%00/i.test(input.search)) return NUL_REFUSAL
  if (params && typeof params === 'object' && Object.values(params).some((v) => v === null)) return ADDRESS_REFUSAL
  if ((typeof body === 'string' && body !== '') || Array.isArray(body)) return OBJECT_REFUSAL
  const stack = [input.params, input.query, body]
  while (stack.length) {
    const v = stack.pop()
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return NUL_REFUSAL
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x) // not push(...v): a million-item list would overflow the call
    } else if (v && typeof v === 'object' && isPlain(v)) {
      if (Object.hasOwn(v, 'toString') || Object.hasOwn(v, 'valueOf')) return OBJECT_REFUSAL
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return NUL_REFUSAL
        stack.push(x)
      }
    }
  }
  return null
}
