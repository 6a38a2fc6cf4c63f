import { graduationYearOfGrade } from '../users/grade.ts'

// Ion's directory search syntax (ion-apps.md §5), parsed into a small AST. Pure: no SQL, no I/O.
//
//   query    := branch (" OR " branch)*         union of the branches
//   branch   := all digits                      exact student id or user id
//             | term (" " term)*                every term must match (AND)
//   term     := word | "quoted words"           name contains / equals (case-insensitive)
//             | key (":" | "=" | "<" | ">") value
//
// A branch with a keyed term is "advanced": its plain words then match first, last and nick
// names (and the id when numeric) but not the username, as in Ion.

export type Op = 'contains' | 'lte' | 'gte'

/** Keys after aliasing; `grade` becomes `gradyear` or `type`, and `sex` becomes `gender`. */
export type FieldKey =
  | 'first' | 'last' | 'nick' | 'name' | 'middle' | 'gradyear' | 'email' | 'studentid' | 'gender' | 'id' | 'username' | 'counselor' | 'type'

export type Term =
  /** A plain word: contains (or equals, when quoted) over the name columns. */
  | { kind: 'word'; value: string; exact: boolean; advanced: boolean }
  | { kind: 'field'; key: FieldKey; op: Op; value: string; exact: boolean }

export type Branch = { kind: 'digits'; value: string } | { kind: 'terms'; terms: Term[] }

/**
 * `staff`: the asker may match what only staff see (ion-apps.md §4): the student id, the email
 * address and the counselor. For anyone else those keys match no one and digits match only the
 * account id, so a search can't be used to test a guess at a hidden value.
 */
export type SearchQuery = { text: string; branches: Branch[]; staff: boolean }

export type ParseContext = { today: string; turnoverMonth: number; staff?: boolean }

export const MAX_QUERY = 200
const MAX_BRANCHES = 8
const MAX_TERMS = 12
const MAX_VALUE = 100

const KEYS: Record<string, FieldKey | 'grade'> = {
  firstname: 'first', first: 'first', lastname: 'last', last: 'last', nick: 'nick', nickname: 'nick', name: 'name',
  middlename: 'middle', middle: 'middle', grade: 'grade', gradyear: 'gradyear', email: 'email', studentid: 'studentid',
  sex: 'gender', gender: 'gender', id: 'id', username: 'username', counselor: 'counselor', type: 'type',
}

const GRADE_NAMES: Record<string, number> = { freshman: 9, sophomore: 10, junior: 11, senior: 12 }

const SEPARATORS: Record<string, Op> = { ':': 'contains', '=': 'contains', '<': 'lte', '>': 'gte' }

/** Whitespace-separated tokens; a double-quoted run (even inside `key:"a b"`) is one token. */
export function tokenize(s: string): string[] {
  return s.match(/(?:[^\s"]+|"[^"]*")+|"[^"]*$/g) ?? []
}

/** Leading and trailing `*` are implied wildcards: drop them. */
const stripStars = (s: string) => s.replace(/^\*+|\*+$/g, '')

function unquote(s: string): { value: string; exact: boolean } {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return { value: s.slice(1, -1).trim(), exact: true }
  return { value: stripStars(s.replace(/"/g, '')), exact: false }
}

const isDigits = (s: string) => /^\d+$/.test(s)
const isKeyed = (token: string) => !token.startsWith('"') && /^[A-Za-z]+[:=<>]/.test(token)

function keyedTerm(token: string, ctx: ParseContext): Term | null {
  const m = /^([A-Za-z]+)([:=<>])(.*)$/.exec(token)!
  const alias = KEYS[m[1]!.toLowerCase()]
  if (!alias) return null // unknown keys are ignored
  let op = SEPARATORS[m[2]!]!
  const { value: raw, exact } = unquote(m[3]!)
  let value = raw.toLowerCase().slice(0, MAX_VALUE)
  if (!value) return null
  let key: FieldKey
  if (alias === 'grade') {
    if (value === 'staff' || value === 'student') return { kind: 'field', key: 'type', op: 'contains', value, exact: true }
    const grade = isDigits(value) && value.length <= 2 ? Number(value) : GRADE_NAMES[value]
    if (grade === undefined) return { kind: 'field', key: 'gradyear', op, value: 'none', exact: true } // matches no one
    value = String(graduationYearOfGrade(grade, ctx.today, ctx.turnoverMonth))
    // A higher grade graduates earlier: grade>11 (11th and 12th) is gradyear<=that year.
    op = op === 'lte' ? 'gte' : op === 'gte' ? 'lte' : op
    key = 'gradyear'
  } else key = alias
  return { kind: 'field', key, op, value, exact }
}

function parseBranch(text: string, ctx: ParseContext): Branch {
  const tokens = tokenize(text).slice(0, MAX_TERMS)
  if (tokens.length === 1 && isDigits(tokens[0]!)) return { kind: 'digits', value: tokens[0]!.slice(0, 20) }
  const advanced = tokens.some(isKeyed)
  const terms: Term[] = []
  for (const token of tokens) {
    if (isKeyed(token)) {
      const t = keyedTerm(token, ctx)
      if (t) terms.push(t)
      continue
    }
    const { value, exact } = unquote(token)
    if (value) terms.push({ kind: 'word', value: value.toLowerCase().slice(0, MAX_VALUE), exact, advanced })
  }
  return { kind: 'terms', terms }
}

/** The AST of a search box's text. An empty query has no branches (no search at all). */
export function parseQuery(input: string, ctx: ParseContext): SearchQuery {
  const text = input.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY)
  const staff = ctx.staff ?? false
  if (!text) return { text, branches: [], staff }
  const branches = text.split(' OR ').map((b) => b.trim()).filter(Boolean).slice(0, MAX_BRANCHES).map((b) => parseBranch(b, ctx))
  return { text, branches, staff }
}

/** The whole query is a 7-digit student id: opens that profile directly. */
export const studentIdQuery = (q: SearchQuery) => (q.staff && /^\d{7}$/.test(q.text) ? q.text : null)

/** Per branch, the plain words (what activity, announcement and event sections search for). */
export function plainWords(q: SearchQuery): string[][] {
  return q.branches
    .map((b) => (b.kind === 'digits' ? [b.value] : b.terms.filter((t) => t.kind === 'word').map((t) => t.value)))
    .filter((ws) => ws.length > 0)
}
