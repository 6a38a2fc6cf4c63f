import type { Db, Tx } from '../../platform/db.ts'

// A person's answers. Writing them is five statements whatever the number of questions, in one
// transaction that starts by upserting the person's poll_voters row: a second submission for the
// same poll and person waits on that row lock until the first commits, then replaces its answers.

export type StoredAnswer = { questionId: number; cleared: boolean; otherText: string | null; response: string | null; choiceIds: number[] }

export async function answersOf(db: Db, pollId: number, userId: number): Promise<Map<number, StoredAnswer>> {
  const rows = await db<StoredAnswer[]>`
    SELECT a.question_id, a.cleared, a.other_text, a.response,
           coalesce(array_agg(c.choice_id ORDER BY c.rank NULLS LAST, c.choice_id) FILTER (WHERE c.choice_id IS NOT NULL), '{}') AS choice_ids
    FROM poll_answers a LEFT JOIN poll_answer_choices c ON c.question_id = a.question_id AND c.user_id = a.user_id
    WHERE a.poll_id = ${pollId} AND a.user_id = ${userId}
    GROUP BY a.question_id, a.cleared, a.other_text, a.response`
  return new Map(rows.map((r) => [r.questionId, r]))
}

export type AnswerWrite = { questionId: number; cleared: boolean; otherText: string | null; response: string | null; choices: { choiceId: number; rank: number | null }[] }

/**
 * Replaces the person's answers to the questions in `replace` with `writes` (a question in
 * `replace` without a write is left unanswered). Run inside a transaction.
 */
export async function writeAnswers(tx: Tx, o: { pollId: number; userId: number; now: Date; replace: number[]; writes: AnswerWrite[] }): Promise<void> {
  const { pollId, userId, now } = o
  await tx`
    INSERT INTO poll_voters (poll_id, user_id, first_voted_at, last_voted_at) VALUES (${pollId}, ${userId}, ${now}, ${now})
    ON CONFLICT (poll_id, user_id) DO UPDATE SET last_voted_at = excluded.last_voted_at`
  await tx`DELETE FROM poll_answers WHERE user_id = ${userId} AND question_id = ANY(${o.replace}::int[])`
  if (o.writes.length) {
    await tx`
      INSERT INTO poll_answers ${tx(o.writes.map((w) => ({
        questionId: w.questionId, pollId, userId, cleared: w.cleared, otherText: w.otherText, response: w.response, answeredAt: now,
      })))}`
  }
  const choices = o.writes.flatMap((w) => w.choices.map((c) => ({ questionId: w.questionId, userId, choiceId: c.choiceId, rank: c.rank })))
  if (choices.length) await tx`INSERT INTO poll_answer_choices ${tx(choices)}`
  // Someone whose last answer was just removed has not voted in this poll any more.
  await tx`
    DELETE FROM poll_voters v WHERE v.poll_id = ${pollId} AND v.user_id = ${userId}
      AND NOT EXISTS (SELECT 1 FROM poll_answers a WHERE a.poll_id = ${pollId} AND a.user_id = ${userId})`
}

/** Every answer in a poll with the voter's graduation year (results, CSV). */
export type AnswerRow = {
  questionId: number
  userId: number
  cleared: boolean
  otherText: string | null
  response: string | null
  choiceIds: number[]
  graduationYear: number | null
}

export async function pollAnswers(db: Db, pollId: number): Promise<AnswerRow[]> {
  return db<AnswerRow[]>`
    SELECT a.question_id, a.user_id, a.cleared, a.other_text, a.response, u.graduation_year,
           coalesce(array_agg(c.choice_id ORDER BY c.rank NULLS LAST, c.choice_id) FILTER (WHERE c.choice_id IS NOT NULL), '{}') AS choice_ids
    FROM poll_answers a
    JOIN users u ON u.id = a.user_id
    LEFT JOIN poll_answer_choices c ON c.question_id = a.question_id AND c.user_id = a.user_id
    WHERE a.poll_id = ${pollId}
    GROUP BY a.question_id, a.user_id, a.cleared, a.other_text, a.response, u.graduation_year
    ORDER BY a.question_id, a.user_id`
}

export type VoterRow = { userId: number; username: string; firstName: string; lastName: string; graduationYear: number | null }

/** The poll's voters (individual-answers CSV), by last and first name. */
export async function pollVoters(db: Db, pollId: number): Promise<VoterRow[]> {
  return db<VoterRow[]>`
    SELECT u.id AS user_id, u.username, u.first_name, u.last_name, u.graduation_year
    FROM poll_voters v JOIN users u ON u.id = v.user_id
    WHERE v.poll_id = ${pollId}
    ORDER BY lower(u.last_name), lower(u.first_name), u.id`
}
