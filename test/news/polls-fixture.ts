// Builders for the polls tests: polls, questions and choices straight into the tables (the
// builder itself is tested in polls-admin.test.ts), and a few readers of what was stored.
import type { Sql } from '../../src/platform/db.ts'
import type { QuestionType } from '../../src/features/polls/types.ts'

export const NOW = '2026-11-30T14:00:00Z' // Monday 09:00 in New York (the testEnv default)
const DAY = 86_400_000
export const daysFrom = (iso: string, days: number) => new Date(new Date(iso).getTime() + days * DAY)

export type PollOpts = {
  title?: string
  start?: Date
  end?: Date
  visible?: boolean
  secret?: boolean
  anonymous?: boolean
  election?: boolean
  results?: 'admins' | 'after_close' | 'live'
  groups?: string[]
}

export async function addPoll(sql: Sql, o: PollOpts = {}): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO polls (title, start_time, end_time, visible, is_secret, is_anonymous, is_election, results_visibility, created_at, updated_at)
    VALUES (${o.title ?? 'Test poll'}, ${o.start ?? daysFrom(NOW, -1)}, ${o.end ?? daysFrom(NOW, 1)}, ${o.visible ?? true}, ${o.secret ?? false},
            ${o.anonymous ?? false}, ${o.election ?? false}, ${o.results ?? 'admins'}, now(), now())
    RETURNING id`
  if (o.groups?.length) {
    await sql`INSERT INTO groups (name) SELECT unnest(${o.groups}::text[]) ON CONFLICT (lower(name)) DO NOTHING`
    await sql`INSERT INTO poll_groups (poll_id, group_id) SELECT ${row!.id}, id FROM groups WHERE name = ANY(${o.groups}::text[])`
  }
  return row!.id
}

export type MadeQuestion = { id: number; choices: number[]; byName: Record<string, number> }

export async function addQuestion(sql: Sql, pollId: number, type: QuestionType, question: string, choices: string[] = [], maxChoices = 1): Promise<MadeQuestion> {
  const [q] = await sql<{ id: number }[]>`
    INSERT INTO poll_questions (poll_id, num, question, type, max_choices)
    VALUES (${pollId}, (SELECT coalesce(max(num), 0) + 1 FROM poll_questions WHERE poll_id = ${pollId}), ${question}, ${type}, ${maxChoices})
    RETURNING id`
  const ids: number[] = []
  for (const [i, info] of choices.entries()) {
    const [c] = await sql<{ id: number }[]>`INSERT INTO poll_choices (question_id, num, info) VALUES (${q!.id}, ${i + 1}, ${info}) RETURNING id`
    ids.push(c!.id)
  }
  return { id: q!.id, choices: ids, byName: Object.fromEntries(choices.map((c, i) => [c.split('|')[0]!.trim(), ids[i]!])) }
}

/** A person's stored answer to a question: choices in rank order, or the clear/other/text. */
export async function stored(sql: Sql, questionId: number, userId: number) {
  const rows = await sql<{ cleared: boolean; otherText: string | null; response: string | null }[]>`
    SELECT cleared, other_text, response FROM poll_answers WHERE question_id = ${questionId} AND user_id = ${userId}`
  const choices = await sql<{ choiceId: number; rank: number | null }[]>`
    SELECT choice_id, rank FROM poll_answer_choices WHERE question_id = ${questionId} AND user_id = ${userId} ORDER BY rank NULLS LAST, choice_id`
  return { answers: rows.length, ...(rows[0] ?? {}), choices: choices.map((c) => c.choiceId), ranks: choices.map((c) => c.rank) }
}

export async function answerRows(sql: Sql, questionId: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM poll_answers WHERE question_id = ${questionId}`
  return row!.n
}

/** Stores one person's answer without going through the ballot (results tests). */
export async function answer(sql: Sql, pollId: number, questionId: number, userId: number, a: { choices?: number[]; ranked?: boolean; cleared?: boolean; other?: string; response?: string }) {
  await sql`INSERT INTO poll_voters (poll_id, user_id, first_voted_at, last_voted_at) VALUES (${pollId}, ${userId}, now(), now()) ON CONFLICT DO NOTHING`
  await sql`
    INSERT INTO poll_answers (question_id, poll_id, user_id, cleared, other_text, response, answered_at)
    VALUES (${questionId}, ${pollId}, ${userId}, ${a.cleared ?? false}, ${a.other ?? null}, ${a.response ?? null}, now())`
  for (const [i, choiceId] of (a.choices ?? []).entries())
    await sql`INSERT INTO poll_answer_choices (question_id, user_id, choice_id, rank) VALUES (${questionId}, ${userId}, ${choiceId}, ${a.ranked ? i + 1 : null})`
}

/** n plain students (no password: results tests never log them in). */
export async function students(sql: Sql, n: number, graduationYear = 2027, tag = 's'): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    INSERT INTO users (username, user_type, first_name, last_name, graduation_year)
    SELECT ${tag} || g || 'x' || ${graduationYear}, 'student', 'Stu', 'Dent' || g, ${graduationYear} FROM generate_series(1, ${n}) g
    RETURNING id`
  return rows.map((r) => r.id)
}
