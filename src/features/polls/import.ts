import { CsvError, parseCsv } from '../../platform/csv.ts'
import { audit } from '../users/users.sql.ts'
import { addChoices, type Act } from './builder.ts'
import { lockPoll } from './polls.sql.ts'
import { insertChoices, insertQuestion } from './questions.sql.ts'
import { done, refuse, type Outcome } from './types.ts'

// Election candidates from a CSV (Ion's builder import). Two shapes:
//   * a header row with a "name" column, and optionally "position" and "slogan" (or "platform"):
//     one question per position, in the order positions first appear;
//   * anything else: one candidate name per line (commas allowed), for one position.
// A slogan becomes the choice's detail ("Alice Chen | Every voice heard"). Ranked questions let
// voters rank min(candidates, 3) (Ion's rule); election questions take one choice.

export type CandidateGroup = { position: string | null; candidates: string[] }
export type ParsedCandidates = { ok: true; groups: CandidateGroup[] } | { ok: false; errors: string[] }

const MAX_CANDIDATES = 200

export function parseCandidates(text: string): ParsedCandidates {
  const errors: string[] = []
  let records: { line: number; fields: string[] }[]
  try {
    records = parseCsv(text)
  } catch (e) {
    return { ok: false, errors: [e instanceof CsvError ? `The CSV could not be read (${e.message}).` : 'The CSV could not be read.'] }
  }
  const head = (records[0]?.fields ?? []).map((f) => f.trim().toLowerCase())
  const groups = new Map<string, CandidateGroup>()
  const add = (position: string | null, name: string, line: number) => {
    const key = (position ?? '').toLowerCase()
    const g = groups.get(key) ?? { position, candidates: [] }
    const display = name.split('|')[0]!.trim().toLowerCase()
    if (g.candidates.some((c) => c.split('|')[0]!.trim().toLowerCase() === display)) errors.push(`Line ${line}: ${name.split('|')[0]!.trim()} is listed twice${position ? ` for ${position}` : ''}.`)
    else g.candidates.push(name)
    groups.set(key, g)
  }
  if (head.includes('name')) {
    const col = (n: string[]) => head.findIndex((h) => n.includes(h))
    const [name, position, slogan] = [col(['name']), col(['position']), col(['slogan', 'platform'])]
    for (const r of records.slice(1)) {
      const n = (r.fields[name] ?? '').trim().replace(/\s+/g, ' ').replace(/\|/g, '/')
      if (!n) { errors.push(`Line ${r.line}: the name is empty.`); continue }
      const s = slogan >= 0 ? (r.fields[slogan] ?? '').trim().replace(/\s+/g, ' ') : ''
      const p = position >= 0 ? (r.fields[position] ?? '').trim().replace(/\s+/g, ' ') || null : null
      if (position >= 0 && !p) { errors.push(`Line ${r.line}: the position is empty.`); continue }
      add(p, s ? `${n} | ${s}` : n, r.line)
    }
  } else {
    text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((l, i) => {
      const n = l.trim().replace(/\s+/g, ' ')
      if (n) add(null, n, i + 1)
    })
  }
  const list = [...groups.values()]
  if (!list.length && !errors.length) errors.push('The file lists no candidates.')
  for (const g of list) {
    if (g.candidates.some((c) => c.length > 500)) errors.push('A candidate (with slogan) is at most 500 characters.')
    if (g.candidates.length > MAX_CANDIDATES) errors.push(`At most ${MAX_CANDIDATES} candidates per position.`)
    if (g.position && g.position.length > 2000) errors.push('A position is at most 2000 characters.')
  }
  return errors.length ? { ok: false, errors: [...new Set(errors)].slice(0, 20) } : { ok: true, groups: list }
}

/** New questions, one per position: election (one choice) or ranked (rank up to 3). */
export async function importElection(a: Act, pollId: number, o: { text: string; type: 'ELC' | 'RAN'; position: string }): Promise<Outcome<number>> {
  const parsed = parseCandidates(o.text)
  if (!parsed.ok) return refuse(422, ...parsed.errors)
  const position = o.position.trim().replace(/\s+/g, ' ')
  if (parsed.groups.some((g) => !g.position) && !position) return refuse(422, 'Enter the position (the question), or add a "position" column to the CSV.')
  if (position.length > 2000) return refuse(422, 'A position is at most 2000 characters.')
  return a.deps.sql.begin(async (tx) => {
    if (!(await lockPoll(tx, pollId))) return refuse(404, 'That poll does not exist.')
    for (const g of parsed.groups) {
      const maxChoices = o.type === 'RAN' ? Math.min(g.candidates.length, 3) : 1
      const id = await insertQuestion(tx, pollId, { question: g.position ?? position, type: o.type, maxChoices })
      await insertChoices(tx, id, g.candidates)
    }
    await audit(tx, {
      actorId: a.viewer.id, action: 'poll.import', targetType: 'poll', targetId: pollId, at: a.deps.clock.now(), ip: a.ip,
      details: { questions: parsed.groups.length, candidates: parsed.groups.reduce((s, g) => s + g.candidates.length, 0), type: o.type },
    })
    return done(parsed.groups.length)
  }) as Promise<Outcome<number>>
}

/** Candidates added to one existing question (any position column is ignored). */
export async function importIntoQuestion(a: Act, pollId: number, questionId: number, text: string): Promise<Outcome<number>> {
  const parsed = parseCandidates(text)
  if (!parsed.ok) return refuse(422, ...parsed.errors)
  return addChoices(a, pollId, questionId, parsed.groups.flatMap((g) => g.candidates), 'poll.choice.import')
}
