// Rendered fragments that many viewers share (a dashboard's announcement and event cards), memoised
// by everything they show (issue 10). Nothing to invalidate: the key is built from every value the
// fragment renders, so a changed value is a different key, never a stale hit. A value too long to
// be a good key (an announcement's text) is passed as `check` and compared on a hit. Bounded by
// entries and by characters held (a post may be 200,000 characters): the oldest entries go first.
// The output is a pure function of the key, so one memo may serve every app in the process.

export type RenderMemo = {
  /** The fragment for `key` (and `check`), rendered now when it is not memoised. */
  get(key: string, check: string, render: () => string): string
  readonly size: number
}

const sizeOf = (key: string, e: { check: string; html: string }) => key.length + e.check.length + e.html.length

export function renderMemo(maxEntries: number, maxChars = 8_000_000): RenderMemo {
  const entries = new Map<string, { check: string; html: string }>()
  let chars = 0
  return {
    get(key, check, render) {
      const hit = entries.get(key)
      if (hit && hit.check === check) return hit.html
      const html = render()
      if (hit) {
        entries.delete(key)
        chars -= sizeOf(key, hit)
      }
      const entry = { check, html }
      entries.set(key, entry)
      chars += sizeOf(key, entry)
      while (entries.size > maxEntries || (chars > maxChars && entries.size > 1)) {
        const [oldest, e] = entries.entries().next().value!
        entries.delete(oldest)
        chars -= sizeOf(oldest, e)
      }
      return html
    },
    get size() {
      return entries.size
    },
  }
}
