// Ion's REST conventions: JSON, `{count, next, previous, results}` pages with absolute URLs,
// `?format=json` accepted, errors as `{"detail": …, "details": [...]}`.

export type Page<T> = { count: number; next: string | null; previous: string | null; results: T[] }

export function pageNumber(q: string | undefined): number {
  const n = Number(q ?? '1')
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : 1
}

/** Page links keep every other query parameter; `baseUrl` makes them absolute. */
export function paged<T>(requestUrl: string, baseUrl: string, page: number, perPage: number, count: number, results: T[]): Page<T> {
  const u = new URL(requestUrl)
  const link = (p: number) => {
    const l = new URL(baseUrl + u.pathname + u.search)
    l.searchParams.set('page', String(p))
    return l.toString()
  }
  return {
    count,
    next: page * perPage < count ? link(page + 1) : null,
    previous: page > 1 ? (page === 2 ? (() => { const l = new URL(baseUrl + u.pathname + u.search); l.searchParams.delete('page'); return l.toString() })() : link(page - 1)) : null,
    results,
  }
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })
