import type { Db, Tx } from '../../platform/db.ts'

// The demo seed's reads and bulk writes (thousands of answers in a few statements).

/** Active students (not the fixed demo 'student', who is left to vote) and the class groups. */
export async function demoElectorate(db: Db): Promise<{ studentIds: number[]; classGroupIds: number[] }> {
  const students = await db<{ id: number }[]>`
    SELECT id FROM users WHERE user_type = 'student' AND active AND NOT locked AND username <> 'student' ORDER BY id`
  const groups = await db<{ id: number }[]>`SELECT id FROM groups WHERE name LIKE 'Class of %' ORDER BY name`
  return { studentIds: students.map((s) => s.id), classGroupIds: groups.map((g) => g.id) }
}

export type DemoAnswer = { questionId: number; userId: number; cleared?: boolean; otherText?: string; response?: string; choices?: number[]; ranked?: boolean }

export async function insertDemoAnswers(tx: Tx, pollId: number, answers: DemoAnswer[], at: Date): Promise<void> {
  const voters = [...new Set(answers.map((a) => a.userId))].map((userId) => ({ pollId, userId, firstVotedAt: at, lastVotedAt: at }))
  const rows = answers.map((a) => ({
    questionId: a.questionId, pollId, userId: a.userId, cleared: a.cleared ?? false, otherText: a.otherText ?? null, response: a.response ?? null, answeredAt: at,
  }))
  const choices = answers.flatMap((a) => (a.choices ?? []).map((choiceId, i) => ({ questionId: a.questionId, userId: a.userId, choiceId, rank: a.ranked ? i + 1 : null })))
  for (let i = 0; i < voters.length; i += 2000) await tx`INSERT INTO poll_voters ${tx(voters.slice(i, i + 2000))}`
  for (let i = 0; i < rows.length; i += 2000) await tx`INSERT INTO poll_answers ${tx(rows.slice(i, i + 2000))}`
  for (let i = 0; i < choices.length; i += 2000) await tx`INSERT INTO poll_answer_choices ${tx(choices.slice(i, i + 2000))}`
}
