import type postgres from 'postgres'
import type { Db } from '../../platform/db.ts'
import type { UserType } from '../../platform/viewer.ts'
import type { Branch, FieldKey, Op, SearchQuery, Term } from './query.ts'

// The directory search as SQL. Values always travel as parameters; column names come only from
// the fixed fragments below (never from the query text). Contains matches are written as
// lower(col) LIKE lower(pattern) so that 0005_search.sql's trigram indexes serve them.

type Fragment = postgres.Fragment

/** Escapes LIKE's own wildcards; an inner `*` is the user's wildcard. */
export function likePattern(value: string): string {
  return '%' + value.replace(/[\\%_]/g, (c) => '\\' + c).replace(/\*+/g, '%') + '%'
}

const INTEGER = /^\d{1,9}$/

/** The only columns a search may touch. */
function columns(db: Db) {
  return {
    first_name: db`u.first_name`,
    last_name: db`u.last_name`,
    middle_name: db`u.middle_name`,
    nickname: db`u.nickname`,
    username: db`u.username`,
    student_id: db`u.student_id`,
    user_type: db`u.user_type`,
  }
}
type Col = keyof ReturnType<typeof columns>

const TEXT_KEYS: Partial<Record<FieldKey, Col[]>> = {
  first: ['first_name', 'nickname'],
  last: ['last_name'],
  nick: ['nickname'],
  name: ['last_name', 'middle_name', 'first_name', 'nickname'],
  middle: ['middle_name'],
  username: ['username'],
  studentid: ['student_id'],
  type: ['user_type'],
}

const GENDERS: Record<string, string> = { m: 'male', f: 'female', n: 'non-binary' }
const STAFF_TYPES: UserType[] = ['teacher', 'counselor']

const anyOf = (db: Db, xs: Fragment[]): Fragment =>
  xs.length ? xs.reduce((a, x) => db`${a} OR ${x}`) : db`false`
const allOf = (db: Db, xs: Fragment[]): Fragment =>
  xs.length ? xs.reduce((a, x) => db`${a} AND ${x}`) : db`true`

/** A case-insensitive comparison of a text expression with a value. */
function textMatch(db: Db, col: Fragment, op: Op, value: string, exact: boolean): Fragment {
  if (op === 'lte') return db`lower(${col}) <= lower(${value})`
  if (op === 'gte') return db`lower(${col}) >= lower(${value})`
  return exact ? db`lower(${col}) = lower(${value})` : db`lower(${col}) LIKE lower(${likePattern(value)})`
}

function intMatch(db: Db, col: 'id' | 'graduation_year', op: Op, value: string): Fragment {
  if (!INTEGER.test(value)) return db`false`
  const n = Number(value)
  const c = col === 'id' ? db`u.id` : db`u.graduation_year`
  return op === 'lte' ? db`${c} <= ${n}` : op === 'gte' ? db`${c} >= ${n}` : db`${c} = ${n}`
}

function wordMatch(db: Db, t: Extract<Term, { kind: 'word' }>, staff: boolean): Fragment {
  const c = columns(db)
  const cols: Col[] = t.advanced ? ['first_name', 'last_name', 'nickname'] : ['first_name', 'last_name', 'nickname', 'username']
  const numeric = INTEGER.test(t.value)
  if (numeric && !t.advanced && staff) cols.push('student_id')
  const parts = cols.map((k) => textMatch(db, c[k], 'contains', t.value, t.exact))
  if (numeric) parts.push(intMatch(db, 'id', 'contains', t.value))
  return db`(${anyOf(db, parts)})`
}

/** Keys that match what only staff may see. */
const STAFF_KEYS: FieldKey[] = ['studentid', 'email', 'counselor']

function fieldMatch(db: Db, t: Extract<Term, { kind: 'field' }>, staff: boolean): Fragment {
  const c = columns(db)
  if (!staff && STAFF_KEYS.includes(t.key)) return db`false`
  switch (t.key) {
    case 'id': return intMatch(db, 'id', t.op, t.value)
    case 'gradyear': return intMatch(db, 'graduation_year', t.op, t.value)
    case 'gender': {
      const g = GENDERS[t.value[0]!]
      return g ? db`u.gender = ${g}` : db`false`
    }
    case 'email':
      return db`EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND ${textMatch(db, db`e.address`, t.op, t.value, t.exact)})`
    case 'counselor':
      return db`EXISTS (SELECT 1 FROM users cu WHERE cu.id = u.counselor_id AND ${textMatch(db, db`cu.last_name`, t.op, t.value, t.exact)})`
    case 'type':
      if (t.value === 'staff') return db`u.user_type = ANY(${STAFF_TYPES})`
      break
  }
  const cols = TEXT_KEYS[t.key] ?? []
  return db`(${anyOf(db, cols.map((k) => textMatch(db, c[k], t.op, t.value, t.exact)))})`
}

function branchMatch(db: Db, b: Branch, staff: boolean): Fragment {
  if (b.kind === 'digits') {
    const id = INTEGER.test(b.value) ? Number(b.value) : -1
    return staff ? db`(u.student_id = ${b.value} OR u.id = ${id})` : db`u.id = ${id}`
  }
  // No usable term (only unknown keys, or a lone `*`) matches everyone, as in Ion.
  return db`(${allOf(db, b.terms.map((t) => (t.kind === 'word' ? wordMatch(db, t, staff) : fieldMatch(db, t, staff))))})`
}

/** Who can be found at all: never service accounts, never locked or inactive accounts. */
const findable = (db: Db) => db`u.active AND NOT u.locked AND u.user_type <> 'service'`

/** The WHERE clause of a parsed query: the union of its branches (a user appears once). */
export function whereOf(db: Db, q: SearchQuery): Fragment {
  return db`${findable(db)} AND (${anyOf(db, q.branches.map((b) => branchMatch(db, b, q.staff)))})`
}

export type PersonHit = {
  id: number
  username: string
  userType: UserType
  firstName: string
  lastName: string
  nickname: string
  graduationYear: number | null
  studentId: string | null
  total: number
}

const PERSON_COLUMNS = (db: Db) =>
  db`u.id, u.username, u.user_type, u.first_name, u.last_name, u.nickname, u.graduation_year, u.student_id, count(*) OVER ()::int AS total`

/** The page's list: by name, at most `limit`, with the full count. One statement. */
export async function peopleByName(db: Db, q: SearchQuery, limit: number): Promise<PersonHit[]> {
  return db<PersonHit[]>`
    SELECT ${PERSON_COLUMNS(db)} FROM users u WHERE ${whereOf(db, q)}
    ORDER BY lower(u.last_name), lower(u.first_name), u.id LIMIT ${limit}`
}

/** The API's list: by id, one page, with the full count. One statement. */
export async function peopleById(db: Db, q: SearchQuery, limit: number, offset: number): Promise<PersonHit[]> {
  return db<PersonHit[]>`
    SELECT ${PERSON_COLUMNS(db)} FROM users u WHERE ${whereOf(db, q)}
    ORDER BY u.id LIMIT ${limit} OFFSET ${offset}`
}

/** A findable user with exactly this student id. */
export async function idOfStudentId(db: Db, studentId: string): Promise<number | null> {
  const [row] = await db<{ id: number }[]>`SELECT u.id FROM users u WHERE u.student_id = ${studentId} AND ${findable(db)}`
  return row?.id ?? null
}
