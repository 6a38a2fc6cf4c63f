// Instant-runoff voting for ranked questions.
//
// Each round, every ballot counts for its highest-ranked candidate still in the race; a ballot
// with none left is "exhausted" and no longer counts. A candidate with more than half of the
// ballots still counting wins. Otherwise the candidate with the fewest votes is eliminated and
// the next round begins. One candidate is eliminated per round (candidates without a single vote
// too), so every step can be checked by hand.
//
// Ties for last place are broken deterministically, and the round says how:
//   1. the tied candidates are compared on the earlier rounds, most recent first: whoever had
//      fewer votes there is eliminated (those level there are compared on the round before);
//   2. if they were level in every round, the candidate listed later on the ballot (the larger
//      choice number) is eliminated.
// With two candidates level on the final round, this rule decides the winner too (and says so).

export type IrvCandidate = { id: number; num: number; name: string }
export type IrvRound = {
  round: number
  /** Votes of the candidates still in the race, most first (then ballot order). */
  counts: { id: number; votes: number }[]
  /** Ballots still counting (they rank someone still in the race). */
  continuing: number
  exhausted: number
  eliminated: number | null
  winner: number | null
  tieBreak: string | null
}
export type IrvResult = { rounds: IrvRound[]; winner: number | null }

export function instantRunoff(candidates: IrvCandidate[], ballots: number[][]): IrvResult {
  const byId = new Map(candidates.map((c) => [c.id, c]))
  const left = new Set(candidates.map((c) => c.id))
  const rounds: IrvRound[] = []
  const history: Map<number, number>[] = []
  const valid = ballots.map((b) => b.filter((id) => byId.has(id))).filter((b) => b.length > 0)
  while (left.size > 0) {
    const counts = new Map<number, number>([...left].map((id) => [id, 0]))
    let exhausted = 0
    for (const b of valid) {
      const top = b.find((id) => left.has(id))
      if (top === undefined) exhausted++
      else counts.set(top, counts.get(top)! + 1)
    }
    history.push(counts)
    const continuing = [...counts.values()].reduce((s, n) => s + n, 0)
    const order = [...counts.entries()].sort((a, b) => b[1] - a[1] || byId.get(a[0])!.num - byId.get(b[0])!.num)
    const round: IrvRound = {
      round: rounds.length + 1, counts: order.map(([id, votes]) => ({ id, votes })),
      continuing, exhausted, eliminated: null, winner: null, tieBreak: null,
    }
    rounds.push(round)
    if (continuing === 0) return { rounds, winner: null }
    const [leader, leaderVotes] = order[0]!
    if (leaderVotes * 2 > continuing || left.size === 1) {
      round.winner = leader
      return { rounds, winner: leader }
    }
    const { id, tieBreak } = lowest(order, history, byId)
    round.eliminated = id
    round.tieBreak = tieBreak
    left.delete(id)
  }
  return { rounds, winner: null }
}

function lowest(order: [number, number][], history: Map<number, number>[], byId: Map<number, IrvCandidate>): { id: number; tieBreak: string | null } {
  const min = order[order.length - 1]![1]
  let tied = order.filter(([, v]) => v === min).map(([id]) => id)
  if (tied.length === 1) return { id: tied[0]!, tieBreak: null }
  const names = (ids: number[]) => ids.map((id) => byId.get(id)!.name).join(', ')
  const all = names(tied)
  for (let r = history.length - 2; r >= 0; r--) {
    const counts = history[r]!
    const least = Math.min(...tied.map((id) => counts.get(id) ?? 0))
    const fewer = tied.filter((id) => (counts.get(id) ?? 0) === least)
    if (fewer.length < tied.length) tied = fewer
    if (tied.length === 1) return { id: tied[0]!, tieBreak: `${all} tied for last; ${names(tied)} had fewer votes in round ${r + 1}.` }
  }
  const last = tied.reduce((a, b) => (byId.get(a)!.num > byId.get(b)!.num ? a : b))
  return { id: last, tieBreak: `${all} tied for last in every round; ${byId.get(last)!.name}, listed later on the ballot, is eliminated.` }
}
