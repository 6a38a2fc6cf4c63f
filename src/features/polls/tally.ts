import { gradeNumber } from '../users/grade.ts'
import { instantRunoff, type IrvResult } from './irv.ts'
import { choiceDetail, choiceName, hasChoices, type Question } from './types.ts'
import type { AnswerRow } from './votes.sql.ts'

// Results of one poll from its answers (pure: tested without a database).
//   * single-choice and approval questions: votes per choice, "Other: …" write-ins, "Clear vote";
//   * split approval: each voter's one vote is split equally across their picks (Ion's SAP);
//   * ranked: first preferences, Borda points (max choices − rank + 1, Ion's results page) and
//     the instant-runoff rounds, whose winner is the question's winner;
//   * free and short response: the answers' text (never who wrote it).
// Grades are taken at the poll's start date, so a poll's breakdown doesn't move a year later.

export const GRADE_KEYS = ['9', '10', '11', '12', 'staff', 'other'] as const
export type GradeKey = (typeof GRADE_KEYS)[number]
export const GRADE_NAMES: Record<GradeKey, string> = { 9: 'Grade 9', 10: 'Grade 10', 11: 'Grade 11', 12: 'Grade 12', staff: 'Staff', other: 'Other' }
export type ByGrade = Record<GradeKey, number>

export function gradeKey(graduationYear: number | null, onDate: string, turnoverMonth: number): GradeKey {
  const n = gradeNumber(graduationYear, onDate, turnoverMonth)
  return n === 13 ? 'staff' : n >= 9 && n <= 12 ? (String(n) as GradeKey) : 'other'
}

const zero = (): ByGrade => ({ 9: 0, 10: 0, 11: 0, 12: 0, staff: 0, other: 0 })

export type ResultRow = {
  kind: 'choice' | 'other' | 'clear'
  label: string
  detail: string
  votes: number
  byGrade: ByGrade
  /** Ranked questions: Borda points. */
  points: number | null
}

export type QuestionResult = {
  question: Question
  /** Answers to this question (clear votes included): the base of every percentage. */
  answers: number
  byGrade: ByGrade
  rows: ResultRow[]
  texts: string[]
  irv: IrvResult | null
  winners: string[]
}

export const percent = (votes: number, of: number) => (of ? Math.round((votes / of) * 1000) / 10 : 0)
/** Split-approval votes are fractions: two decimals at most. */
export const fmtVotes = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''))

export function tallyQuestion(q: Question, answers: AnswerRow[], onDate: string, turnoverMonth: number): QuestionResult {
  const byGrade = zero()
  const choiceRows = new Map(q.choices.map((c) => [c.id, { kind: 'choice' as const, label: choiceName(c.info), detail: choiceDetail(c.info), votes: 0, byGrade: zero(), points: q.type === 'RAN' ? 0 : null }]))
  const others = new Map<string, ResultRow>()
  const clear: ResultRow = { kind: 'clear', label: 'Clear vote', detail: '', votes: 0, byGrade: zero(), points: null }
  const texts: string[] = []
  const ballots: number[][] = []
  for (const a of answers) {
    const g = gradeKey(a.graduationYear, onDate, turnoverMonth)
    byGrade[g]++
    if (a.cleared) { clear.votes++; clear.byGrade[g]++; continue }
    if (a.response !== null) { texts.push(a.response); continue }
    if (a.otherText !== null) {
      const key = a.otherText.trim().toLowerCase()
      const row = others.get(key) ?? { kind: 'other' as const, label: `Other: ${a.otherText.trim()}`, detail: '', votes: 0, byGrade: zero(), points: null }
      row.votes++; row.byGrade[g]++
      others.set(key, row)
      continue
    }
    const ids = a.choiceIds.filter((id) => choiceRows.has(id))
    if (!ids.length) continue
    if (q.type === 'RAN') {
      ballots.push(ids)
      const first = choiceRows.get(ids[0]!)!
      first.votes++; first.byGrade[g]++
      ids.forEach((id, i) => { choiceRows.get(id)!.points! += Math.max(0, q.maxChoices - i) })
      continue
    }
    const w = q.type === 'SAP' ? 1 / ids.length : 1
    for (const id of ids) {
      const row = choiceRows.get(id)!
      row.votes += w; row.byGrade[g] += w
    }
  }
  const rows: ResultRow[] = [...choiceRows.values(), ...[...others.values()].sort((a, b) => b.votes - a.votes || a.label.localeCompare(b.label))]
  if (hasChoices(q.type) && clear.votes) rows.push(clear)
  let irv: IrvResult | null = null
  let winners: string[] = []
  if (q.type === 'RAN') {
    irv = instantRunoff(q.choices.map((c) => ({ id: c.id, num: c.num, name: choiceName(c.info) })), ballots)
    const w = q.choices.find((c) => c.id === irv!.winner)
    winners = w ? [choiceName(w.info)] : []
  } else if (hasChoices(q.type)) {
    const top = Math.max(0, ...[...choiceRows.values()].map((r) => r.votes))
    winners = top > 0 ? [...choiceRows.values()].filter((r) => Math.abs(r.votes - top) < 1e-9).map((r) => r.label) : []
  }
  return { question: q, answers: answers.length, byGrade, rows, texts: texts.sort((a, b) => a.localeCompare(b)), irv, winners }
}

export function tallyPoll(questions: Question[], answers: AnswerRow[], onDate: string, turnoverMonth: number): QuestionResult[] {
  const byQuestion = new Map<number, AnswerRow[]>()
  for (const a of answers) {
    const list = byQuestion.get(a.questionId)
    if (list) list.push(a)
    else byQuestion.set(a.questionId, [a])
  }
  return questions.map((q) => tallyQuestion(q, byQuestion.get(q.id) ?? [], onDate, turnoverMonth))
}
