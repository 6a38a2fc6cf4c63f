// Header names as student information systems write them, matched case-insensitively; spaces,
// underscores, hyphens and dots are all the same ("Student ID" = "student_id" = "student-id").

export const normalizeHeader = (h: string) => h.trim().toLowerCase().replace(/[\s_.\-]+/g, ' ').trim()

export type Aliases<F extends string> = Record<F, string[]>

export type HeaderMap<F extends string> = {
  index: Partial<Record<F, number>>
  /** Headers that name no known column (ignored, shown as a note). */
  ignored: string[]
  /** Problems with the header itself (a column named twice). */
  errors: string[]
}

export function mapHeader<F extends string>(header: string[], aliases: Aliases<F>): HeaderMap<F> {
  const lookup = new Map<string, F>()
  for (const [field, names] of Object.entries(aliases) as [F, string[]][]) for (const n of names) lookup.set(normalizeHeader(n), field)
  const index: Partial<Record<F, number>> = {}
  const ignored: string[] = []
  const errors: string[] = []
  header.forEach((raw, i) => {
    const field = lookup.get(normalizeHeader(raw))
    if (!field) {
      if (raw.trim()) ignored.push(raw.trim())
      return
    }
    if (index[field] !== undefined) errors.push(`The column "${raw.trim()}" is given twice (as "${header[index[field]!]!.trim()}" too).`)
    else index[field] = i
  })
  return { index, ignored, errors }
}

/** The trimmed cell of a column, or undefined when the file has no such column. */
export function cell<F extends string>(fields: string[], index: Partial<Record<F, number>>, f: F): string | undefined {
  const i = index[f]
  return i === undefined ? undefined : (fields[i] ?? '').trim()
}

export type UserColumn =
  | 'studentId' | 'firstName' | 'lastName' | 'middleName' | 'nickname' | 'graduationYear'
  | 'userType' | 'email' | 'counselor' | 'username' | 'gender'

export const USER_COLUMNS: Aliases<UserColumn> = {
  studentId: ['student id', 'studentid', 'id', 'student number', 'student no', 'student #', 'sis id', 'fcps id'],
  firstName: ['first name', 'firstname', 'first', 'given name'],
  lastName: ['last name', 'lastname', 'last', 'surname', 'family name'],
  middleName: ['middle name', 'middlename', 'middle'],
  nickname: ['nickname', 'nick name', 'preferred name'],
  graduationYear: ['grad year', 'gradyear', 'graduation year', 'class of', 'year of graduation'],
  userType: ['type', 'user type', 'usertype', 'role'],
  email: ['email', 'e mail', 'email address', 'e mail address'],
  counselor: ['counselor', 'counsellor', 'counselor username', 'counselor name', 'counselor last name'],
  username: ['username', 'user name', 'login'],
  gender: ['gender', 'sex'],
}

export type GroupColumn = 'group' | 'username'

export const GROUP_COLUMNS: Aliases<GroupColumn> = {
  group: ['group', 'group name', 'groupname'],
  username: ['username', 'user name', 'user', 'login'],
}
