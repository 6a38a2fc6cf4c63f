import { dateInTz } from '../../platform/clock.ts'
import { toCsv } from '../../platform/csv.ts'
import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { accessTo, type Access } from './access.ts'
import { participation } from './polls.sql.ts'
import { questionsOf } from './questions.sql.ts'
import { fmtVotes, GRADE_KEYS, GRADE_NAMES, gradeKey, percent, tallyPoll, type QuestionResult } from './tally.ts'
import { choiceName, done, refuse, type Outcome, type Poll, type Question } from './types.ts'
import { pollAnswers, pollVoters, type AnswerRow, type VoterRow } from './votes.sql.ts'

// The results page and the two CSV exports. Results: polls admins always, voters as the poll
// says. CSV: polls admins only (the route's policy), never for secret polls; the individual
// answers of an anonymous poll carry an opaque voter number instead of names.

export type Results = { access: Access; voters: number; eligible: number; questions: QuestionResult[] }

export async function resultsFor(deps: Deps, viewer: Viewer, pollId: number): Promise<Outcome<Results>> {
  const a = await accessTo(deps, viewer, pollId)
  if (!a.ok) return a
  if (!a.value.canSeeResults) {
    const when = a.value.poll.resultsVisibility === 'after_close' ? ' They will be shown here when the poll closes.' : ''
    return refuse(403, `The results of this poll are not shown to voters.${when}`)
  }
  const poll = a.value.poll
  const [questions, answers, turnout] = await Promise.all([questionsOf(deps.sql, pollId), pollAnswers(deps.sql, pollId), participation(deps.sql, pollId)])
  const onDate = dateInTz(poll.startTime, deps.clock.tz)
  return done({ access: a.value, ...turnout, questions: tallyPoll(questions, answers, onDate, deps.config.yearTurnoverMonth) })
}

export const SECRET_CSV = 'CSV results cannot be generated for secret polls.'

/** Results CSV: one row per choice (and write-in, and clear vote) of every question. */
export function resultsCsv(results: QuestionResult[]): string {
  const head = ['Question #', 'Question', 'Type', 'Choice', 'Votes', 'Percent', 'Points', ...GRADE_KEYS.map((g) => GRADE_NAMES[g])]
  const rows: (string | number)[][] = [head]
  for (const r of results) {
    const q = r.question
    const lead = [q.num, q.question, q.type]
    if (q.type === 'FRE' || q.type === 'SRE') {
      rows.push([...lead, 'Text answers', r.answers, r.answers ? 100 : 0, '', ...GRADE_KEYS.map((g) => r.byGrade[g])])
      continue
    }
    for (const row of r.rows) {
      rows.push([...lead, row.label, fmtVotes(row.votes), percent(row.votes, r.answers), row.points ?? '', ...GRADE_KEYS.map((g) => fmtVotes(row.byGrade[g]))])
    }
  }
  return toCsv(rows)
}

/** One cell of the individual-answers CSV. */
export function answerCell(q: Question, a: AnswerRow | undefined): string {
  if (!a) return ''
  if (a.cleared) return 'Cleared'
  if (a.response !== null) return a.response
  if (a.otherText !== null) return `Other: ${a.otherText}`
  const name = (id: number) => choiceName(q.choices.find((c) => c.id === id)?.info ?? '?')
  return q.type === 'RAN' ? a.choiceIds.map((id, i) => `${i + 1}. ${name(id)}`).join('; ') : a.choiceIds.map(name).join('; ')
}

/** A fresh random order for every download: row numbers say nothing about id, name or time. */
function shuffled<T>(xs: T[]): T[] {
  const out = [...xs]
  const r = new Uint32Array(out.length)
  crypto.getRandomValues(r)
  for (let i = out.length - 1; i > 0; i--) {
    const j = r[i]! % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

export function answersCsv(o: { poll: Poll; questions: Question[]; answers: AnswerRow[]; voters: VoterRow[]; onDate: string; turnoverMonth: number }): string {
  const byVoter = new Map<number, Map<number, AnswerRow>>()
  for (const a of o.answers) {
    const m = byVoter.get(a.userId) ?? new Map<number, AnswerRow>()
    m.set(a.questionId, a)
    byVoter.set(a.userId, m)
  }
  const qCols = o.questions.map((q) => `${q.num}. ${q.question}`)
  const cells = (v: VoterRow) => o.questions.map((q) => answerCell(q, byVoter.get(v.userId)?.get(q.id)))
  const grade = (v: VoterRow) => GRADE_NAMES[gradeKey(v.graduationYear, o.onDate, o.turnoverMonth)]
  // Anonymous: no names and no grade either (a lone staff voter would be named by it).
  if (o.poll.isAnonymous) return toCsv([['Voter', ...qCols], ...shuffled(o.voters).map((v, i) => [i + 1, ...cells(v)])])
  return toCsv([['Username', 'First name', 'Last name', 'Grade', ...qCols], ...o.voters.map((v) => [v.username, v.firstName, v.lastName, grade(v), ...cells(v)])])
}

export type CsvFile = { name: string; body: string }

/** The CSV exports, for polls admins (the route's policy): refused (403) for secret polls. */
export async function exportCsv(deps: Deps, viewer: Viewer, pollId: number, kind: 'results' | 'answers'): Promise<Outcome<CsvFile>> {
  const a = await accessTo(deps, viewer, pollId)
  if (!a.ok) return a
  const poll = a.value.poll
  if (poll.isSecret) return refuse(403, SECRET_CSV)
  const onDate = dateInTz(poll.startTime, deps.clock.tz)
  const turnoverMonth = deps.config.yearTurnoverMonth
  const [questions, answers] = await Promise.all([questionsOf(deps.sql, pollId), pollAnswers(deps.sql, pollId)])
  const slug = poll.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'poll'
  if (kind === 'results') return done({ name: `${slug}-results.csv`, body: resultsCsv(tallyPoll(questions, answers, onDate, turnoverMonth)) })
  const voters = await pollVoters(deps.sql, pollId)
  return done({ name: `${slug}-answers.csv`, body: answersCsv({ poll, questions, answers, voters, onDate, turnoverMonth }) })
}
