import type { SeedStep } from '../../platform/registry.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'
import { prng } from '../users/demo-people.ts'
import { insertPoll, pollIdByTitle, type PollFields } from './polls.sql.ts'
import { insertChoices, insertQuestion } from './questions.sql.ts'
import { demoElectorate, insertDemoAnswers, type DemoAnswer } from './seed.sql.ts'
import type { QuestionType } from './types.ts'

// `seed --demo` (issue 8, item 9): an open poll with one question of each of the eight types
// (some students have voted; the demo 'student' account has not, so its nav badge shows), and a
// closed student-government election with ranked races whose instant runoffs take several
// rounds. Idempotent: a poll whose title exists is left alone. Votes come from a fixed PRNG.

export const SPIRIT_POLL = 'Spirit Week 2026'
export const ELECTION_POLL = 'Student Government Election'

type Q = { question: string; type: QuestionType; max?: number; choices?: string[] }

const SPIRIT_QUESTIONS: Q[] = [
  { question: 'Which day should be pajama day?', type: 'STD', choices: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] },
  { question: 'Spirit captain', type: 'ELC', choices: ['Maya Ortiz | Louder than last year', 'Dev Patel | Spirit for every club', 'Grace Kim | Costumes for all'] },
  { question: 'Food for the class picnic?', type: 'STO', choices: ['Pizza', 'Tacos', 'Sandwiches'] },
  { question: 'Which events would you go to?', type: 'APP', max: 3, choices: ['Pep rally', 'Powder-puff game', 'Talent show', 'Bonfire', 'Movie night'] },
  { question: 'Split your vote between the charities we support', type: 'SAP', max: 3, choices: ['Food bank', 'Animal shelter', 'Library fund'] },
  { question: 'Rank the mascot costumes', type: 'RAN', max: 3, choices: ['Owl', 'Fox', 'Bear', 'Wolf'] },
  { question: 'Any other ideas for spirit week?', type: 'FRE' },
  { question: 'Our school in one word', type: 'SRE' },
]

const ELECTION_QUESTIONS: Q[] = [
  { question: 'President', type: 'RAN', max: 3, choices: ['Ava Brooks | Every voice heard', 'Noah Chen | Better lunches', 'Liam Diaz | More clubs', 'Zoe Evans | Greener campus'] },
  { question: 'Vice President', type: 'RAN', max: 3, choices: ['Ella Fox', 'Omar Grant', 'Ivy Hall'] },
  { question: 'Treasurer', type: 'ELC', choices: ['Ben Ito | Count on me', 'Mia Jones | Open books'] },
]

const IDEAS = ['A dress-like-a-teacher day', 'More music at lunch', 'A hallway decorating contest', 'Class colour day on Friday', 'Free hot chocolate at the bonfire']
const WORDS = ['Curious', 'Busy', 'Friendly', 'Loud', 'Home', 'Ambitious']
const OTHERS = ['Sushi', 'Burgers', 'sushi', 'Pho']

type Rand = () => number
const pick = <T>(r: Rand, xs: T[]): T => xs[Math.floor(r() * xs.length)]!
/** An index drawn with the given weights. */
const weighted = (r: Rand, w: number[]) => {
  let x = r() * w.reduce((s, n) => s + n, 0)
  for (let i = 0; i < w.length; i++) if ((x -= w[i]!) < 0) return i
  return w.length - 1
}
const shuffle = <T>(r: Rand, xs: T[]): T[] => {
  const a = [...xs]
  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [a[i], a[j]] = [a[j]!, a[i]!] }
  return a
}
/** A ranking led by a weighted first choice, then up to `max` in a random order. */
const ranking = (r: Rand, ids: number[], first: number[], max: number) => {
  const lead = ids[weighted(r, first)]!
  return [lead, ...shuffle(r, ids.filter((id) => id !== lead))].slice(0, 1 + Math.floor(r() * max))
}

async function addQuestions(tx: Parameters<typeof insertChoices>[0], pollId: number, qs: Q[]): Promise<{ id: number; type: QuestionType; choices: number[] }[]> {
  const out = []
  for (const q of qs) {
    const id = await insertQuestion(tx, pollId, { question: q.question, type: q.type, maxChoices: q.max ?? 1 })
    out.push({ id, type: q.type, choices: await insertChoices(tx, id, q.choices ?? []) })
  }
  return out
}

function spiritAnswer(r: Rand, q: { id: number; type: QuestionType; choices: number[] }, userId: number): DemoAnswer | null {
  const a = { questionId: q.id, userId }
  switch (q.type) {
    case 'STD': return { ...a, choices: [q.choices[weighted(r, [1, 2, 1, 1, 4])]!] }
    case 'ELC': return { ...a, choices: [q.choices[weighted(r, [5, 4, 3])]!] }
    case 'STO': { const x = r(); return x < 0.05 ? { ...a, cleared: true } : x < 0.2 ? { ...a, otherText: pick(r, OTHERS) } : { ...a, choices: [pick(r, q.choices)] } }
    case 'APP': case 'SAP': return { ...a, choices: shuffle(r, q.choices).slice(0, 1 + Math.floor(r() * 3)) }
    case 'RAN': return { ...a, choices: ranking(r, q.choices, [3, 3, 2, 2], 3), ranked: true }
    case 'FRE': return r() < 0.3 ? { ...a, response: pick(r, IDEAS) } : null
    case 'SRE': return r() < 0.5 ? { ...a, response: pick(r, WORDS) } : null
  }
}

export const pollsDemoSeed: SeedStep = {
  name: 'polls demo',
  order: 40,
  run: async ({ sql, clock }) => sql.begin(async (tx) => {
    const tz = clock.tz
    const today = clock.today()
    const now = clock.now()
    const { studentIds, classGroupIds } = await demoElectorate(tx)
    const r = prng(0x9011)
    const made: string[] = []
    const base: Omit<PollFields, 'title' | 'startTime' | 'endTime'> = {
      description: '', visible: true, isSecret: false, isAnonymous: false, isElection: false, resultsVisibility: 'live', groupIds: [],
    }
    if (!(await pollIdByTitle(tx, SPIRIT_POLL))) {
      const id = await insertPoll(tx, {
        ...base, title: SPIRIT_POLL,
        description: '<p>Help plan spirit week! Every student and staff member can vote, and you can change your answers until the poll closes.</p>',
        startTime: zonedInstant(addDays(today, -2), '07:00', tz), endTime: zonedInstant(addDays(today, 12), '23:59', tz),
      }, null, now)
      const qs = await addQuestions(tx, id, SPIRIT_QUESTIONS)
      const voters = shuffle(r, studentIds).slice(0, Math.min(150, studentIds.length))
      const answers = voters.flatMap((u) => qs.map((q) => spiritAnswer(r, q, u)).filter((a) => a !== null))
      await insertDemoAnswers(tx, id, answers, now)
      made.push(`${SPIRIT_POLL} (${voters.length} voters)`)
    }
    if (!(await pollIdByTitle(tx, ELECTION_POLL))) {
      const id = await insertPoll(tx, {
        ...base, title: ELECTION_POLL, isElection: true, isAnonymous: true, resultsVisibility: 'after_close', groupIds: classGroupIds,
        description: '<p>Elect next year\u2019s student government. Rank the candidates: if nobody has a majority of first choices, the last one is eliminated and those ballots go to their next choice.</p>',
        startTime: zonedInstant(addDays(today, -30), '07:30', tz), endTime: zonedInstant(addDays(today, -23), '15:00', tz),
      }, null, now)
      const [pres, vp, treas] = await addQuestions(tx, id, ELECTION_QUESTIONS)
      const voters = studentIds.filter(() => r() < 0.6)
      const answers = voters.flatMap((u): DemoAnswer[] => [
        { questionId: pres!.id, userId: u, choices: ranking(r, pres!.choices, [31, 29, 24, 16], 3), ranked: true },
        ...(r() < 0.9 ? [{ questionId: vp!.id, userId: u, choices: ranking(r, vp!.choices, [36, 34, 30], 3), ranked: true }] : []),
        r() < 0.03 ? { questionId: treas!.id, userId: u, cleared: true } : { questionId: treas!.id, userId: u, choices: [treas!.choices[weighted(r, [52, 48])]!] },
      ])
      await insertDemoAnswers(tx, id, answers, zonedInstant(addDays(today, -25), '12:00', tz))
      made.push(`${ELECTION_POLL} (${voters.length} voters, closed)`)
    }
    return made.length ? made.join('; ') : 'already there'
  }),
}
