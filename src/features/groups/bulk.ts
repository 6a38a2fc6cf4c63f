import { CsvError, parseCsv } from '../../platform/csv.ts'

// Bulk add: usernames from a CSV upload or pasted text — one per line, or separated by commas
// or spaces; a CSV with a "username" column uses just that column. Anything that cannot be a
// username makes the whole input malformed, and then nothing changes.

export const MAX_BULK = 5000
const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/

export type ParsedUsernames = { ok: true; usernames: string[] } | { ok: false; errors: string[] }

export function parseUsernames(text: string): ParsedUsernames {
  let records
  try {
    records = parseCsv(text)
  } catch (e) {
    if (e instanceof CsvError) return { ok: false, errors: [`The text could not be read as CSV (line ${e.line}: ${e.reason}).`] }
    throw e
  }
  const header = records[0]?.fields.findIndex((f) => f.trim().toLowerCase() === 'username') ?? -1
  const tokens: { line: number; value: string }[] = []
  for (const r of header >= 0 ? records.slice(1) : records) {
    const cells = header >= 0 ? [r.fields[header] ?? ''] : r.fields
    for (const cell of cells) for (const value of cell.split(/\s+/)) if (value) tokens.push({ line: r.line, value })
  }
  if (!tokens.length) return { ok: false, errors: ['No usernames were found: paste one per line, or separate them with commas.'] }
  if (tokens.length > MAX_BULK) return { ok: false, errors: [`At most ${MAX_BULK} usernames at a time (this has ${tokens.length}).`] }
  const bad = tokens.filter((t) => !USERNAME_RE.test(t.value))
  if (bad.length) {
    const shown = bad.slice(0, 10).map((t) => `Line ${t.line}: “${t.value.slice(0, 60)}” is not a username.`)
    if (bad.length > 10) shown.push(`… and ${bad.length - 10} more.`)
    return { ok: false, errors: [...shown, 'Nothing was added.'] }
  }
  const seen = new Set<string>()
  const usernames: string[] = []
  for (const t of tokens) {
    const k = t.value.toLowerCase()
    if (!seen.has(k)) { seen.add(k); usernames.push(t.value) }
  }
  return { ok: true, usernames }
}
