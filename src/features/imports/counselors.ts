import type { ExistingUser, CounselorRow } from './users-import.sql.ts'
import type { UserRow } from './user-rows.ts'

// A student's counselor is named by username or by last name (as SIS exports do), among the
// existing counselors and the counselors the same file creates or updates.

/** id null: a counselor this import creates (resolved by username when it is written). */
export type CounselorRef = { id: number | null; username: string }

export type CounselorResolution = { ok: true; ref: CounselorRef | null } | { ok: false; error: string }

type Candidate = CounselorRef & { lastName: string }

export function resolveCounselors(
  rows: { row: UserRow; target: ExistingUser | null }[],
  dbCounselors: CounselorRow[],
): Map<number, CounselorResolution> {
  const candidates = new Map<string, Candidate>()
  for (const c of dbCounselors) candidates.set(c.username.toLowerCase(), { id: c.id, username: c.username, lastName: c.lastName })
  for (const { row, target } of rows) {
    const type = row.typeGiven || !target ? row.userType : target.userType
    const username = (row.username ?? target?.username ?? '').toLowerCase()
    if (!username) continue
    if (target && target.username.toLowerCase() !== username) candidates.delete(target.username.toLowerCase())
    if (type === 'counselor') candidates.set(username, { id: target?.id ?? null, username, lastName: row.lastName })
    else candidates.delete(username)
  }
  const all = [...candidates.values()]

  const out = new Map<number, CounselorResolution>()
  for (const { row } of rows) {
    if (row.counselor === undefined) continue
    if (row.counselor === null) {
      out.set(row.line, { ok: true, ref: null })
      continue
    }
    const q = row.counselor.toLowerCase()
    const byUsername = candidates.get(q)
    if (byUsername) {
      out.set(row.line, { ok: true, ref: { id: byUsername.id, username: byUsername.username } })
      continue
    }
    const byLast = all.filter((c) => c.lastName.toLowerCase() === q)
    if (byLast.length === 1) out.set(row.line, { ok: true, ref: { id: byLast[0]!.id, username: byLast[0]!.username } })
    else if (byLast.length > 1)
      out.set(row.line, { ok: false, error: `Counselor "${row.counselor}" matches ${byLast.length} counselors (${byLast.map((c) => c.username).join(', ')}): use the username.` })
    else out.set(row.line, { ok: false, error: `Counselor "${row.counselor}" is not a counselor's username or last name.` })
  }
  return out
}
