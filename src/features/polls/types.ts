// The vocabulary of polls (ion-apps.md §10): the eight question types and the shapes every
// part of the feature passes around.

export const QUESTION_TYPES = ['STD', 'ELC', 'STO', 'APP', 'SAP', 'RAN', 'FRE', 'SRE'] as const
export type QuestionType = (typeof QUESTION_TYPES)[number]

export const TYPE_NAMES: Record<QuestionType, string> = {
  STD: 'Standard (one choice)',
  ELC: 'Election (one choice, shuffled for each voter)',
  STO: 'Standard with “Other” write-in',
  APP: 'Approval (several choices)',
  SAP: 'Split approval (a vote split across the picks)',
  RAN: 'Ranked choice',
  FRE: 'Free response (long text)',
  SRE: 'Short response (one line)',
}

/** Types answered by picking choices (everything but free and short response). */
export const hasChoices = (t: QuestionType) => t !== 'FRE' && t !== 'SRE'
/** Types whose voters may pick more than one choice. */
export const isMulti = (t: QuestionType) => t === 'APP' || t === 'SAP' || t === 'RAN'

export const SHORT_MAX = 200
export const LONG_MAX = 5000
export const OTHER_MAX = 500

export const RESULTS_VISIBILITY = ['admins', 'after_close', 'live'] as const
export type ResultsVisibility = (typeof RESULTS_VISIBILITY)[number]
export const RESULTS_VISIBILITY_NAMES: Record<ResultsVisibility, string> = {
  admins: 'Only polls admins',
  after_close: 'Eligible voters, once the poll has closed',
  live: 'Eligible voters, at any time',
}

export type Poll = {
  id: number
  title: string
  description: string
  startTime: Date
  endTime: Date
  visible: boolean
  isSecret: boolean
  isAnonymous: boolean
  isElection: boolean
  resultsVisibility: ResultsVisibility
  groupIds: number[]
}

export type Choice = { id: number; questionId: number; num: number; info: string }
export type Question = { id: number; pollId: number; num: number; question: string; type: QuestionType; maxChoices: number; choices: Choice[] }

/** Text before a '|' is a choice's display name; after it, a slogan or platform. */
export function choiceName(info: string): string {
  const i = info.indexOf('|')
  return (i < 0 ? info : info.slice(0, i)).trim() || info.trim()
}
export function choiceDetail(info: string): string {
  const i = info.indexOf('|')
  return i < 0 ? '' : info.slice(i + 1).trim()
}

export type PollStatus = 'upcoming' | 'open' | 'closed'
export function statusOf(p: Pick<Poll, 'startTime' | 'endTime'>, now: Date): PollStatus {
  if (now.getTime() < p.startTime.getTime()) return 'upcoming'
  return now.getTime() < p.endTime.getTime() ? 'open' : 'closed'
}

/** Expected failures are values (DESIGN §2): a status and every reason. */
export type Refusal = { ok: false; status: 403 | 404 | 409 | 413 | 415 | 422; errors: string[] }
export type Outcome<T> = { ok: true; value: T } | Refusal
export const refuse = (status: Refusal['status'], ...errors: string[]): Refusal => ({ ok: false, status, errors })
export const done = <T>(value: T): Outcome<T> => ({ ok: true, value })
