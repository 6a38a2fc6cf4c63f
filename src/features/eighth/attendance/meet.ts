import { CsvError, parseCsv } from '../../../platform/csv.ts'
import type { Deps } from '../../../platform/http.ts'
import type { Viewer } from '../../../platform/viewer.ts'
import { readUpload } from '../../imports/upload.ts'
import { acceptOpenPasses, lockForAttendance, memberLogins, recordAttendance } from './attendance.sql.ts'
import { authorize, NOT_FOUND, refuse, type Done } from './attendance.ts'
import { auditEighth } from './fragments.sql.ts'

// Two attendance shortcuts (ion-eighth.md §3.2, §3.5; acceptance case 22):
//   a Google Meet attendance file: a member is present when the part before the @ of some
//   address in it is their student ID or their username (case-insensitive); everyone else is
//   absent (an unaccepted pass stays absent). Ion's file has the columns Name and Email; any
//   header with an "Email" column will do, and a file without one is searched for addresses.
//   "Accept all passes": every open pass accepted (present), once the block is locked.
// Both keep the rules of every attendance write: the office always, a sponsor until 22:00.

export type MeetPerson = { line: number; email: string; localPart: string }
export type MeetFile = { ok: true; people: MeetPerson[] } | { ok: false; message: string }

const EMAIL = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g
const EMAIL_HEADERS = new Set(['email', 'e-mail', 'email address'])
const isEmailHeader = (f: string) => EMAIL_HEADERS.has(f.trim().toLowerCase())
const FILE_HINT = 'Upload the attendance CSV of the Google Meet call (it has an Email column).'

/** The addresses of a Meet attendance CSV, or why the file cannot be used. Pure. */
export function readMeetCsv(text: string): MeetFile {
  let records
  try {
    records = parseCsv(text)
  } catch (e) {
    if (e instanceof CsvError) return { ok: false, message: `Could not interpret the file (line ${e.line}: ${e.reason}). ${FILE_HINT}` }
    throw e
  }
  const header = records.findIndex((r) => r.fields.some(isEmailHeader))
  const col = header >= 0 ? records[header]!.fields.findIndex(isEmailHeader) : -1
  const cells = header >= 0
    ? records.slice(header + 1).map((r) => ({ line: r.line, text: r.fields[col] ?? '' }))
    : records.flatMap((r) => r.fields.filter((f) => f.includes('@')).map((f) => ({ line: r.line, text: f })))
  const people = cells.flatMap((c) => [...c.text.matchAll(EMAIL)].map((m) => ({ line: c.line, email: m[0], localPart: m[0].split('@')[0]!.toLowerCase() })))
  if (people.length) return { ok: true, people }
  return { ok: false, message: header >= 0 ? 'The file lists nobody: its Email column is empty.' : `No email addresses were found in the file. ${FILE_HINT}` }
}

/** Members named by the file, and the addresses that name nobody here (each once, in file order). Pure. */
export function matchMeet(people: MeetPerson[], members: { userId: number; studentId: string | null; username: string }[]): { presentIds: number[]; unmatched: string[] } {
  const byKey = new Map<string, number[]>()
  const add = (k: string | null, id: number) => {
    const key = k?.trim().toLowerCase()
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), id])
  }
  for (const m of members) { add(m.studentId, m.userId); add(m.username, m.userId) }
  const present = new Set<number>()
  const unmatched = new Set<string>()
  for (const p of people) {
    const ids = byKey.get(p.localPart)
    if (ids) ids.forEach((id) => present.add(id))
    else unmatched.add(p.email.toLowerCase())
  }
  return { presentIds: [...present].sort((a, b) => a - b), unmatched: [...unmatched] }
}

/** A file refused before anything is read from the database: too large, not text, or empty. */
export type UploadRefusal = { ok: false; status: 413 | 415 | 422; message: string }
export type MeetDone = Done<{ present: number; absent: number; unmatched: string[]; file: string }> | UploadRefusal

/** Takes attendance from an uploaded (`file`) or pasted (`pasted`) Meet CSV. Nothing changes on a bad file. */
export async function takeFromMeet(deps: Deps, viewer: Viewer, id: number, file: unknown, pasted: string | undefined): Promise<MeetDone> {
  const auth = await authorize(deps, viewer, id)
  if (!auth.ok) return auth
  const upload = await readUpload(file, pasted)
  if (!upload.ok) return { ok: false, status: upload.status === 413 || upload.status === 415 ? upload.status : 422, message: upload.message }
  const meet = readMeetCsv(upload.text)
  if (!meet.ok) return refuse(422, meet.message)
  return deps.sql.begin(async (tx) => {
    if (!(await lockForAttendance(tx, id))) return refuse(404, NOT_FOUND)
    const { presentIds, unmatched } = matchMeet(meet.people, await memberLogins(tx, id))
    if (!presentIds.length)
      return refuse(422, `Nobody in ${upload.name} is signed up for this activity (an address matches a student when the part before the @ is their student ID or username). Nothing was changed.`)
    const rows = await recordAttendance(tx, id, presentIds, deps.clock.now())
    const present = rows.filter((r) => !r.wasAbsent).map((r) => r.userId)
    const absent = rows.filter((r) => r.wasAbsent).map((r) => r.userId)
    await auditEighth(tx, {
      at: deps.clock.now(), actorId: viewer.id, action: 'eighth.attendance_meet', targetType: 'scheduled_activity', targetId: id,
      students: rows.map((r) => r.userId), details: { present, absent, file: upload.name, unmatched: unmatched.slice(0, 50) },
    })
    return { ok: true, present: present.length, absent: absent.length, unmatched, file: upload.name }
  })
}

const SHOW_UNMATCHED = 10

/** The message after a Meet upload: counts, and who in the file is not in this activity. */
export function meetMessage(o: { present: number; absent: number; unmatched: string[] }): string {
  const counts = `Attendance saved from the Google Meet file: ${o.present} present, ${o.absent} absent.`
  if (!o.unmatched.length) return counts
  const more = o.unmatched.length > SHOW_UNMATCHED ? ` and ${o.unmatched.length - SHOW_UNMATCHED} more` : ''
  return `${counts} Not signed up for this activity: ${o.unmatched.slice(0, SHOW_UNMATCHED).join(', ')}${more}.`
}

/** Accepts every open pass (present): the office or a sponsor, once the block is locked. Audited. */
export async function acceptAllPasses(deps: Deps, viewer: Viewer, id: number): Promise<Done<{ accepted: number }>> {
  const auth = await authorize(deps, viewer, id)
  if (!auth.ok) return auth
  if (!auth.head.blockLocked) return refuse(409, 'Passes can be accepted or rejected once the block is locked.')
  return deps.sql.begin(async (tx) => {
    if (!(await lockForAttendance(tx, id))) return refuse(404, NOT_FOUND)
    const accepted = await acceptOpenPasses(tx, id)
    if (accepted.length)
      await auditEighth(tx, { at: deps.clock.now(), actorId: viewer.id, action: 'eighth.pass_accept_all', targetType: 'scheduled_activity', targetId: id, students: accepted })
    return { ok: true, accepted: accepted.length }
  })
}
