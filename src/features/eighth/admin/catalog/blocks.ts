import { placeUnsignedInDefault } from '../moves/unsigned.ts'
import { addDays, weekdayOf } from '../../../../platform/zoned.ts'
import { notifySeats } from '../../live-seats.tsx'
import { blockText } from '../../format.ts'
import type { Deps } from '../../../../platform/http.ts'
import { officeAudit } from './audit.sql.ts'
import {
  blockAt, blockCounts, blockRow, clearSchedule, cloneSchedule, deleteBlockRow, insertMissingBlocks, lockBlocks, setLocked, updateBlock,
  type BlockEdit, type NewBlock,
} from './blocks.sql.ts'

// The office's block rules: add the letters for a date range in one step (existing ones are
// skipped), edit, lock, copy another block's schedule, delete. Every change is audited.

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: 403 | 404 | 422; errors: string[] }
const bad = (...errors: string[]): Outcome<never> => ({ ok: false, status: 422, errors })
const missing = (what = 'That block does not exist.'): Outcome<never> => ({ ok: false, status: 404, errors: [what] })

export const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MAX_DAYS = 366
const MAX_BLOCKS = 1000

export function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(s + 'T00:00:00Z')
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}
const isTime = (s: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s)
/** Ion's letters: [a-zA-Z0-9 _-]{1,10}, the first character upper-cased. */
export function letterOf(raw: string): string | null {
  const s = raw.trim()
  if (!/^[A-Za-z0-9 _-]{1,10}$/.test(s)) return null
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export type RangeInput = { start: string; end: string; weekdays: string[]; letters: string[]; custom: string; signupTime: string; comments: string }

/** Every (date, letter) of the range on the chosen weekdays, or every reason it cannot be. */
export function planRange(i: RangeInput): Outcome<NewBlock[]> {
  const errors: string[] = []
  if (!isDate(i.start)) errors.push('The first date must be a date (YYYY-MM-DD).')
  const end = i.end.trim() === '' ? i.start : i.end
  if (!isDate(end)) errors.push('The last date must be a date (YYYY-MM-DD).')
  else if (isDate(i.start) && end < i.start) errors.push('The last date is before the first date.')
  else if (isDate(i.start) && addDays(i.start, MAX_DAYS) < end) errors.push(`A range may cover at most ${MAX_DAYS} days.`)
  const days = [...new Set(i.weekdays)]
  if (!days.length) errors.push('Choose at least one day of the week.')
  if (days.some((d) => !/^[0-6]$/.test(d))) errors.push('A day of the week was not understood.')
  const raw = [...i.letters, ...i.custom.split(',')].map((s) => s.trim()).filter(Boolean)
  const letters = raw.map(letterOf)
  if (letters.some((l) => l === null)) errors.push('A block letter may have 1 to 10 letters, digits, spaces, "_" or "-".')
  if (!raw.length) errors.push('Choose at least one block letter.')
  const signupTime = i.signupTime.trim() || '12:40'
  if (!isTime(signupTime)) errors.push('The signup time must be a time (HH:MM).')
  if (i.comments.length > 100) errors.push('Comments may be at most 100 characters long.')
  if (errors.length) return bad(...errors)
  const wanted = new Set(days.map(Number))
  const uniq = [...new Set(letters as string[])]
  const out: NewBlock[] = []
  for (let d = i.start; d <= end; d = addDays(d, 1)) {
    if (!wanted.has(weekdayOf(d))) continue
    for (const letter of uniq) out.push({ date: d, letter, signupTime, comments: i.comments.trim() })
  }
  if (!out.length) return bad('No date in that range falls on the chosen days.')
  if (out.length > MAX_BLOCKS) return bad(`That would be ${out.length} blocks; add at most ${MAX_BLOCKS} at once.`)
  return { ok: true, value: out }
}

type Act = { deps: Deps; actorId: number; ip?: string }

export async function addBlocks(a: Act, i: RangeInput): Promise<Outcome<{ created: number; skipped: number }>> {
  const plan = planRange(i)
  if (!plan.ok) return plan
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const made = await insertMissingBlocks(tx, plan.value, now)
    if (made.length) {
      await officeAudit(tx, { actorId: a.actorId, action: 'eighth.blocks.add', targetType: 'eighth_block', targetId: made[0]!.id, at: now, ip: a.ip,
        details: { created: made.map((b) => ({ id: b.id, date: b.date, letter: b.blockLetter })), skipped: plan.value.length - made.length } })
    }
    return { ok: true as const, value: { created: made.length, skipped: plan.value.length - made.length } }
  })
}

export function parseEdit(f: { date: string; letter: string; signupTime: string; comments: string; locked: boolean }): Outcome<BlockEdit> {
  const errors: string[] = []
  if (!isDate(f.date)) errors.push('The date must be a date (YYYY-MM-DD).')
  const letter = letterOf(f.letter)
  if (!letter) errors.push('The block letter may have 1 to 10 letters, digits, spaces, "_" or "-".')
  const signupTime = f.signupTime.trim() || '12:40'
  if (!isTime(signupTime)) errors.push('The signup time must be a time (HH:MM).')
  if (f.comments.length > 100) errors.push('Comments may be at most 100 characters long.')
  if (errors.length) return bad(...errors)
  return { ok: true, value: { date: f.date, letter: letter!, signupTime, comments: f.comments.trim(), locked: f.locked } }
}

export async function editBlock(a: Act, id: number, input: Parameters<typeof parseEdit>[0]): Promise<Outcome<string>> {
  const p = parseEdit(input)
  if (!p.ok) return p
  const now = a.deps.clock.now()
  const taken = bad(`There is already a block ${p.value.letter} on ${p.value.date}.`)
  try {
    return await a.deps.sql.begin(async (tx) => {
      const before = await blockRow(tx, id)
      if (!before) return missing()
      const other = await blockAt(tx, p.value.date, p.value.letter)
      if (other !== null && other !== id) return taken
      if (!(await updateBlock(tx, id, p.value, now))) return missing()
      await officeAudit(tx, { actorId: a.actorId, action: 'eighth.block.edit', targetType: 'eighth_block', targetId: id, at: now, ip: a.ip, details: { before, after: p.value } })
      return { ok: true as const, value: `Saved ${blockText({ date: p.value.date, blockLetter: p.value.letter })}.` }
    })
  } catch (e) {
    // Another office user took the same date and letter at the same moment.
    if ((e as { code?: string }).code === '23505') return taken
    throw e
  }
}

export async function lockBlock(a: Act, id: number, locked: boolean): Promise<Outcome<string>> {
  const now = a.deps.clock.now()
  const out = await a.deps.sql.begin(async (tx) => {
    const b = await blockRow(tx, id)
    if (!b || !(await setLocked(tx, id, locked, now))) return missing()
    await officeAudit(tx, { actorId: a.actorId, action: locked ? 'eighth.block.lock' : 'eighth.block.unlock', targetType: 'eighth_block', targetId: id, at: now, ip: a.ip })
    return { ok: true as const, value: `${blockText(b)} is ${locked ? 'locked: signups are closed' : 'unlocked: signups are open'}.` }
  })
  // With EIGHTH_DEFAULT_ACTIVITY_ID set, locking places every still-unsigned student there.
  if (out.ok && locked && a.deps.config.eighthDefaultActivityId) {
    const placed = await placeUnsignedInDefault(a.deps, id, a.actorId, a.ip)
    if (placed.ok) return { ok: true as const, value: `${out.value} ${placed.messages.join(" ")}` }
    return { ok: true as const, value: `${out.value} The unsigned students were not placed: ${placed.errors.join(" ")}` }
  }
  return out
}

export type CopyResult = { deleted: number; lost: number; copied: number; signups: number }

/**
 * Replace the target's schedule with the source's, in one transaction holding the signup
 * service's locks (students, then scheduled activities) for both blocks.
 */
export async function copyBlock(a: Act, targetId: number, sourceId: number, withSignups: boolean): Promise<Outcome<CopyResult>> {
  if (sourceId === targetId) return bad('Choose another block to copy from: a block cannot be copied onto itself.')
  const now = a.deps.clock.now()
  const out = await a.deps.sql.begin(async (tx): Promise<Outcome<CopyResult & { students: number[] }>> => {
    const [target, source] = [await blockRow(tx, targetId), await blockRow(tx, sourceId)]
    if (!target) return missing()
    if (!source) return bad('The block to copy from does not exist.')
    await lockBlocks(tx, [sourceId, targetId].sort((x, y) => x - y))
    const cleared = await clearSchedule(tx, targetId)
    const cloned = await cloneSchedule(tx, sourceId, targetId, withSignups, now)
    const students = [...new Set([...cleared.students, ...cloned.students])].sort((x, y) => x - y)
    await officeAudit(tx, { actorId: a.actorId, action: 'eighth.block.copy', targetType: 'eighth_block', targetId, at: now, ip: a.ip, details: {
      source: sourceId, withSignups, deletedScheduled: cleared.scheduled, deletedSignups: cleared.students.length,
      copiedScheduled: cloned.scheduled, copiedSignups: cloned.students.length, students,
    } })
    return { ok: true, value: { deleted: cleared.scheduled, lost: cleared.students.length, copied: cloned.scheduled, signups: cloned.students.length, students } }
  })
  if (out.ok) notifySeats(a.deps, [targetId])
  return out
}

export async function deleteBlock(a: Act, id: number): Promise<Outcome<string>> {
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const b = await blockRow(tx, id)
    if (!b) return missing()
    await lockBlocks(tx, [id])
    const counts = await blockCounts(tx, id)
    const gone = await deleteBlockRow(tx, id)
    if (!gone) return missing()
    await officeAudit(tx, { actorId: a.actorId, action: 'eighth.block.delete', targetType: 'eighth_block', targetId: id, at: now, ip: a.ip,
      details: { block: b, scheduled: counts.scheduled + counts.cancelled, signups: counts.signups, students: gone.students } })
    return { ok: true as const, value: `Deleted ${blockText(b)} with ${counts.scheduled + counts.cancelled} scheduled activities and ${counts.signups} signups.` }
  })
}
