import type { CsvRecord } from '../../platform/csv.ts'
import type { Db } from '../../platform/db.ts'
import { seniorYear } from '../users/grade.ts'
import { studentUsernameBase, UsernameAllocator, usernameStem } from '../users/usernames.ts'
import { cell, mapHeader, USER_COLUMNS } from './columns.ts'
import { resolveCounselors, type CounselorRef } from './counselors.ts'
import { byLine, type PlanBase, type RowError } from './types.ts'
import { checkUserRow, type UserRow } from './user-rows.ts'
import { diffUser, type Change } from './users-diff.ts'
import {
  activeStudentsNotIn, counselors, usernamesWithStems, usersByKeys,
  type ExistingUser, type ImportedUserFields, type MissingStudent, type UserUpdate,
} from './users-import.sql.ts'

// planImport: a CSV of users → what would be created, updated and deactivated, and every row
// error with its line. Reads only; applyImport (users-apply.ts) writes.

export type ImportOptions = { today: string; turnoverMonth: number; deactivateMissing?: boolean }

export type NewUserPlan = ImportedUserFields

export type PlannedCreate = { line: number; user: NewUserPlan; counselor: CounselorRef | null; email: string | null }

export type PlannedUpdate = {
  line: number
  id: number
  /** The username before this import. */
  was: string
  key: 'student ID' | 'username'
  changes: Change[]
  next: UserUpdate
  /** Set when the counselor is one this import creates (its id is known only then). */
  counselor: CounselorRef | null
  email: string | null
}

export type UserImportPlan = PlanBase & {
  kind: 'users'
  creates: PlannedCreate[]
  updates: PlannedUpdate[]
  unchanged: number
  deactivations: MissingStudent[]
}

type Keyed = { row: UserRow; target: ExistingUser | null }

export async function planImport(db: Db, records: CsvRecord[], opts: ImportOptions): Promise<UserImportPlan> {
  const plan: UserImportPlan = { kind: 'users', rows: 0, creates: [], updates: [], unchanged: 0, deactivations: [], errors: [], notes: [], fatal: false }
  const [header, ...data] = records
  plan.rows = data.length
  const fatal = (line: number, message: string) => {
    plan.errors.push({ line, message })
    plan.fatal = true
    return plan
  }
  if (!header) return fatal(1, 'The file is empty.')
  const cols = mapHeader(header.fields, USER_COLUMNS)
  const missing = [
    cols.index.firstName === undefined && 'First Name',
    cols.index.lastName === undefined && 'Last Name',
    cols.index.studentId === undefined && cols.index.username === undefined && 'Student ID or Username',
  ].filter(Boolean)
  if (missing.length) return fatal(header.line, `The header needs the column(s) ${missing.join(', ')} (it has: ${header.fields.join(', ')}).`)
  if (cols.errors.length) return fatal(header.line, cols.errors.join(' '))
  if (!data.length) return fatal(header.line, 'The file has a header but no rows.')
  if (cols.ignored.length) plan.notes.push(`Ignored column(s): ${cols.ignored.join(', ')}.`)

  const senior = seniorYear(opts.today, opts.turnoverMonth)
  const limits = { minYear: senior - 10, maxYear: senior + 13 }
  const errors: RowError[] = plan.errors
  const fail = (line: number, messages: string[]) => { for (const message of messages) errors.push({ line, message }) }

  // 1. Each row alone, and keys named twice (the later line is the error).
  const seenIds = new Map<string, number>()
  const seenNames = new Map<string, number>()
  const rows: UserRow[] = []
  for (const rec of data) {
    const messages: string[] = []
    if (rec.fields.slice(header.fields.length).some((f) => f.trim()))
      messages.push(`This row has ${rec.fields.length} fields but the header has ${header.fields.length}.`)
    const check = checkUserRow(rec, cols.index, limits)
    if (!check.ok) messages.push(...check.errors)
    const sid = cell(rec.fields, cols.index, 'studentId')
    const uname = cell(rec.fields, cols.index, 'username')?.toLowerCase()
    if (sid) {
      const first = seenIds.get(sid)
      if (first !== undefined) messages.push(`Student ID ${sid} is also on line ${first}.`)
      else seenIds.set(sid, rec.line)
    }
    if (uname) {
      const first = seenNames.get(uname)
      if (first !== undefined) messages.push(`Username ${uname} is also on line ${first}.`)
      else seenNames.set(uname, rec.line)
    }
    if (messages.length) fail(rec.line, messages)
    else if (check.ok) rows.push(check.row)
  }

  // 2. Match rows to accounts: students by student ID, everyone else by username.
  const existing = await usersByKeys(db, [...seenIds.keys()], [...seenNames.keys()])
  const byId = new Map(existing.filter((u) => u.studentId).map((u) => [u.studentId!, u]))
  const byName = new Map(existing.map((u) => [u.username.toLowerCase(), u]))
  const keyed: Keyed[] = []
  for (const row of rows) {
    const messages: string[] = []
    let target: ExistingUser | null
    if (row.studentId) {
      target = byId.get(row.studentId) ?? null
      const owner = row.username ? byName.get(row.username) : undefined
      if (owner && owner.id !== target?.id)
        messages.push(`Username ${row.username} belongs to another account (${owner.studentId ? `student ID ${owner.studentId}` : owner.userType}).`)
      if (!target && row.graduationYear === undefined) messages.push('Grad year is required to create a student (the file has no Grad Year column).')
    } else {
      target = byName.get(row.username!) ?? null
      if (target?.studentId)
        messages.push(`${target.username} is a student account (student ID ${target.studentId}): students are matched by student ID.`)
    }
    if (messages.length) fail(row.line, messages)
    else keyed.push({ row, target })
  }

  // 3. Counselors: a username or a last name, among existing counselors and those this file makes.
  const dbCounselors = await counselors(db)
  const resolved = resolveCounselors(keyed, dbCounselors)
  const ready: (Keyed & { counselor: CounselorRef | null | undefined })[] = []
  for (const k of keyed) {
    const r = resolved.get(k.row.line)
    if (r && !r.ok) fail(k.row.line, [r.error])
    else ready.push({ ...k, counselor: r?.ref })
  }

  // 4. Usernames for new students without one: unique against the database and this file.
  const bases = new Map<number, string>()
  for (const k of ready) {
    if (k.target || k.row.username) continue
    const base = studentUsernameBase(k.row.graduationYear!, k.row.firstName, k.row.lastName)
    if (base) bases.set(k.row.line, base)
  }
  const taken = await usernamesWithStems(db, [...new Set([...bases.values()].map(usernameStem))])
  const alloc = new UsernameAllocator([...taken, ...seenNames.keys()])

  const counselorNames = new Map(dbCounselors.map((c) => [c.id, c.username]))
  for (const { row, target, counselor } of ready) {
    if (target) {
      const d = diffUser(target, row, counselor, counselorNames)
      if (!d.changes.length) plan.unchanged++
      else plan.updates.push({
        line: row.line, id: target.id, was: target.username, key: row.studentId ? 'student ID' : 'username',
        changes: d.changes, next: d.next, counselor: counselor && counselor.id === null ? counselor : null, email: d.email,
      })
      continue
    }
    let username = row.username
    if (!username) {
      const base = bases.get(row.line)
      if (!base) {
        fail(row.line, ['The first name has no letters to make a username from: give a Username.'])
        continue
      }
      username = alloc.allocate(base)
    }
    plan.creates.push({
      line: row.line,
      user: {
        username, userType: row.userType, firstName: row.firstName, lastName: row.lastName, middleName: row.middleName ?? '',
        nickname: row.nickname ?? '', graduationYear: row.graduationYear ?? null, studentId: row.studentId, gender: row.gender ?? null,
      },
      counselor: counselor ?? null,
      email: row.email ?? null,
    })
  }

  // 5. Withdrawn students: active students whose ID is not in the file (only for a file of students).
  if (opts.deactivateMissing) {
    const hasStudents = seenIds.size > 0
    if (hasStudents) plan.deactivations = await activeStudentsNotIn(db, [...seenIds.keys()])
    else plan.notes.push('The file has no students, so no one is deactivated.')
  }
  errors.sort(byLine)
  return plan
}
