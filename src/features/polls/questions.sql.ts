import type { Db } from '../../platform/db.ts'
import type { Choice, Question, QuestionType } from './types.ts'

// Questions and choices: ordered by `num` (1, 2, 3 … without gaps). A move swaps two neighbours
// in one UPDATE and a delete closes the gap in one UPDATE (the UNIQUE (parent, num) constraints
// are checked at the end of each statement).

export async function questionsOf(db: Db, pollId: number): Promise<Question[]> {
  const qs = await db<Omit<Question, 'choices'>[]>`
    SELECT id, poll_id, num, question, type, max_choices FROM poll_questions WHERE poll_id = ${pollId} ORDER BY num`
  const cs = await db<Choice[]>`
    SELECT c.id, c.question_id, c.num, c.info FROM poll_choices c JOIN poll_questions q ON q.id = c.question_id
    WHERE q.poll_id = ${pollId} ORDER BY c.question_id, c.num`
  const by = new Map<number, Choice[]>()
  for (const c of cs) {
    const list = by.get(c.questionId)
    if (list) list.push(c)
    else by.set(c.questionId, [c])
  }
  return qs.map((q) => ({ ...q, choices: by.get(q.id) ?? [] }))
}

export async function answerCount(db: Db, questionId: number): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM poll_answers WHERE question_id = ${questionId}`
  return row?.n ?? 0
}

export async function insertQuestion(db: Db, pollId: number, q: { question: string; type: QuestionType; maxChoices: number }): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO poll_questions (poll_id, num, question, type, max_choices)
    VALUES (${pollId}, (SELECT coalesce(max(num), 0) + 1 FROM poll_questions WHERE poll_id = ${pollId}), ${q.question}, ${q.type}, ${q.maxChoices})
    RETURNING id`
  return row!.id
}

export async function updateQuestion(db: Db, pollId: number, id: number, q: { question: string; type: QuestionType; maxChoices: number }): Promise<boolean> {
  const r = await db`
    UPDATE poll_questions SET question = ${q.question}, type = ${q.type}, max_choices = ${q.maxChoices}
    WHERE id = ${id} AND poll_id = ${pollId}`
  return r.count > 0
}

export async function deleteQuestion(db: Db, pollId: number, id: number): Promise<boolean> {
  const [row] = await db<{ num: number }[]>`DELETE FROM poll_questions WHERE id = ${id} AND poll_id = ${pollId} RETURNING num`
  if (!row) return false
  await db`UPDATE poll_questions SET num = num - 1 WHERE poll_id = ${pollId} AND num > ${row.num}`
  return true
}

/** Swaps a question with its neighbour above (-1) or below (+1); false at either end. */
export async function moveQuestion(db: Db, pollId: number, id: number, by: -1 | 1): Promise<boolean> {
  const r = await db`
    WITH me AS (SELECT num FROM poll_questions WHERE id = ${id} AND poll_id = ${pollId}),
         other AS (SELECT q.id, q.num FROM poll_questions q, me WHERE q.poll_id = ${pollId} AND q.num = me.num + ${by})
    UPDATE poll_questions q SET num = CASE WHEN q.id = ${id} THEN (SELECT num FROM other) ELSE (SELECT num FROM me) END
    WHERE q.id IN (${id}, (SELECT id FROM other)) AND EXISTS (SELECT 1 FROM other)`
  return r.count === 2
}

export async function insertChoices(db: Db, questionId: number, infos: string[]): Promise<number[]> {
  if (!infos.length) return []
  const rows = await db<{ id: number }[]>`
    INSERT INTO poll_choices (question_id, num, info)
    SELECT ${questionId}, base.n + t.ord, t.info
    FROM (SELECT coalesce(max(num), 0) AS n FROM poll_choices WHERE question_id = ${questionId}) base,
         unnest(${infos}::text[]) WITH ORDINALITY AS t(info, ord)
    ORDER BY t.ord
    RETURNING id`
  return rows.map((r) => r.id)
}

/** The choice with its question, only if both belong to the poll. */
export async function choiceInPoll(db: Db, pollId: number, choiceId: number): Promise<{ id: number; questionId: number; type: QuestionType } | null> {
  const [row] = await db<{ id: number; questionId: number; type: QuestionType }[]>`
    SELECT c.id, c.question_id, q.type FROM poll_choices c JOIN poll_questions q ON q.id = c.question_id
    WHERE c.id = ${choiceId} AND q.poll_id = ${pollId}`
  return row ?? null
}

export async function updateChoice(db: Db, id: number, info: string): Promise<boolean> {
  return (await db`UPDATE poll_choices SET info = ${info} WHERE id = ${id}`).count > 0
}

export async function deleteChoice(db: Db, id: number): Promise<boolean> {
  const [row] = await db<{ questionId: number; num: number }[]>`DELETE FROM poll_choices WHERE id = ${id} RETURNING question_id, num`
  if (!row) return false
  await db`UPDATE poll_choices SET num = num - 1 WHERE question_id = ${row.questionId} AND num > ${row.num}`
  // An answer whose only choice this was is no answer any more.
  await db`
    DELETE FROM poll_answers a WHERE a.question_id = ${row.questionId} AND NOT a.cleared AND a.other_text IS NULL AND a.response IS NULL
      AND NOT EXISTS (SELECT 1 FROM poll_answer_choices c WHERE c.question_id = a.question_id AND c.user_id = a.user_id)`
  return true
}

export async function moveChoice(db: Db, id: number, by: -1 | 1): Promise<boolean> {
  const r = await db`
    WITH me AS (SELECT question_id, num FROM poll_choices WHERE id = ${id}),
         other AS (SELECT c.id, c.num FROM poll_choices c, me WHERE c.question_id = me.question_id AND c.num = me.num + ${by})
    UPDATE poll_choices c SET num = CASE WHEN c.id = ${id} THEN (SELECT num FROM other) ELSE (SELECT num FROM me) END
    WHERE c.id IN (${id}, (SELECT id FROM other)) AND EXISTS (SELECT 1 FROM other)`
  return r.count === 2
}

/** Ranked answers may not rank more candidates than the question now allows. */
export async function trimRanks(db: Db, questionId: number, maxChoices: number): Promise<void> {
  await db`DELETE FROM poll_answer_choices WHERE question_id = ${questionId} AND rank > ${maxChoices}`
}

/** The poll's questions that have at least one answer (their type is locked). */
export async function answeredQuestionIds(db: Db, pollId: number): Promise<Set<number>> {
  const rows = await db<{ questionId: number }[]>`SELECT DISTINCT question_id FROM poll_answers WHERE poll_id = ${pollId}`
  return new Set(rows.map((r) => r.questionId))
}
