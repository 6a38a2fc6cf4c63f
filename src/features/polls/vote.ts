import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { accessTo, type Access } from './access.ts'
import { NOTHING, parseBallot, type Form } from './ballot.ts'
import { questionsOf } from './questions.sql.ts'
import { done, refuse, type Outcome, type Question } from './types.ts'
import { answersOf, writeAnswers, type StoredAnswer } from './votes.sql.ts'

// Casting (and changing) a vote: eligibility and the window, then the whole ballot is checked
// before anything is written (every problem reported, nothing saved), then one transaction
// replaces the answers given (see votes.sql.ts for why a double submit never mixes two ballots).

export type Ballot = { access: Access; questions: Question[]; mine: Map<number, StoredAnswer> }

/** What the ballot page needs: the poll, its questions and this person's current answers. */
export async function ballotFor(deps: Deps, viewer: Viewer, pollId: number): Promise<Outcome<Ballot>> {
  const a = await accessTo(deps, viewer, pollId)
  if (!a.ok) return a
  const [questions, mine] = await Promise.all([questionsOf(deps.sql, pollId), answersOf(deps.sql, pollId, viewer.id)])
  return done({ access: a.value, questions, mine })
}

export type VoteResult = Ballot & { saved: number }

export async function castVote(deps: Deps, viewer: Viewer, pollId: number, form: Form): Promise<Outcome<VoteResult> & { ballot?: Ballot }> {
  const b = await ballotFor(deps, viewer, pollId)
  if (!b.ok) return b
  const { access, questions, mine } = b.value
  if (access.voteRefusal) return { ...access.voteRefusal, ballot: b.value }
  const parsed = parseBallot(questions, form)
  if (!parsed.ok) return { ...refuse(422, ...parsed.errors), ballot: b.value }
  const changes = parsed.actions.filter((a) => a.write || mine.has(a.questionId))
  if (!changes.length) return { ...refuse(422, NOTHING), ballot: b.value }
  try {
    await deps.sql.begin((tx) => writeAnswers(tx, {
      pollId, userId: viewer.id, now: deps.clock.now(),
      replace: changes.map((a) => a.questionId),
      writes: changes.flatMap((a) => (a.write ? [a.write] : [])),
    }))
  } catch (e) {
    // A question or choice deleted by an admin while this ballot was on screen.
    if ((e as { code?: string }).code === '23503') return { ...refuse(409, 'This poll changed while you were voting. Check your answers and submit again.'), ballot: b.value }
    throw e
  }
  const fresh = await answersOf(deps.sql, pollId, viewer.id)
  return done({ access, questions, mine: fresh, saved: changes.length })
}
