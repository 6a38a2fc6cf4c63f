import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { audit } from '../users/users.sql.ts'
import {
  copyDayType, dayTypeName, deleteDayType, insertDayType, nameTaken, namesLike, replaceBlocks, updateDayType, type BlockInput, type DayTypeInput,
} from './admin.sql.ts'
import { clearScheduleCache } from './service.ts'
import type { DayType } from './schedule.sql.ts'
import { hhmm } from './format.ts'

// The schedule admin's day types: create, edit (name, special, codenames, and the blocks, which
// are replaced on save), copy as "<name> (Copy)", delete. Every reason a form is refused is
// collected; nothing is written unless all of it is valid. Each change is audited in its
// transaction and then retires the cached schedules.

export type Actor = { deps: Deps; viewer: Viewer; ip: string }
export type Outcome<T> = { ok: true; value: T } | { ok: false; status: 404 | 422; errors: string[] }

export const MAX_ROWS = 30
export const EMPTY_ROWS = 3

export type BlockRow = { order: string; name: string; start: string; end: string }
export type DayTypeForm = { name: string; special: boolean; codenames: string; rows: BlockRow[] }

/** The form's fields: name, special, codenames, and per row i: order_i, name_i (block), start_i, end_i. */
export function readDayTypeForm(body: Record<string, string | undefined>): DayTypeForm {
  const rows: BlockRow[] = []
  for (let i = 0; i < MAX_ROWS; i++) {
    const f = (k: string) => (body[`${k}_${i}`] ?? '').trim()
    rows.push({ order: f('order'), name: f('block'), start: f('start'), end: f('end') })
  }
  while (rows.length && isBlank(rows[rows.length - 1]!)) rows.pop()
  return { name: (body.name ?? '').trim(), special: body.special === 'on', codenames: (body.codenames ?? '').trim(), rows }
}

/** A saved day type as its form (the edit page's starting values). */
export function formOf(t: DayType): DayTypeForm {
  return {
    name: t.name, special: t.special, codenames: t.codenames.join(', '),
    rows: t.blocks.map((b) => ({ order: String(b.order), name: b.name, start: hhmm(b.start), end: hhmm(b.end) })),
  }
}

const isBlank = (r: BlockRow) => !r.order && !r.name && !r.start && !r.end

/** "H:MM" or "HH:MM" (24-hour) → "HH:MM", or null. */
export function parseTime(s: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s)
  if (!m) return null
  const h = Number(m[1]), min = Number(m[2])
  if (h > 23 || min > 59) return null
  return `${String(h).padStart(2, '0')}:${m[2]}`
}

export function validateDayType(form: DayTypeForm): Outcome<{ type: DayTypeInput; blocks: BlockInput[] }> {
  const errors: string[] = []
  if (!form.name) errors.push('The day type needs a name.')
  else if (form.name.length > 100) errors.push('The name can be at most 100 characters.')
  const codenames = form.codenames.split(',').map((c) => c.trim()).filter(Boolean)
  if (codenames.length > 20 || codenames.some((c) => c.length > 100)) errors.push('Codenames: at most 20, each at most 100 characters.')

  const blocks: BlockInput[] = []
  const used = new Set<number>()
  const pending: { row: number; block: Omit<BlockInput, 'order'> }[] = []
  form.rows.forEach((r, i) => {
    if (isBlank(r)) return
    const label = `Block ${i + 1}${r.name ? ` ("${r.name.slice(0, 40)}")` : ''}`
    const start = parseTime(r.start), end = parseTime(r.end)
    let ok = true
    if (!r.name) { errors.push(`${label}: give the block a name.`); ok = false }
    else if (r.name.length > 100) { errors.push(`${label}: the name can be at most 100 characters.`); ok = false }
    if (!start) { errors.push(`${label}: the start "${r.start.slice(0, 20)}" is not a time like 8:40 or 13:05.`); ok = false }
    if (!end) { errors.push(`${label}: the end "${r.end.slice(0, 20)}" is not a time like 8:40 or 13:05.`); ok = false }
    if (start && end && end <= start) { errors.push(`${label}: the end (${r.end}) must be after the start (${r.start}).`); ok = false }
    let order: number | null = null
    if (r.order) {
      order = /^\d{1,2}$/.test(r.order) && Number(r.order) >= 1 ? Number(r.order) : null
      if (order === null) { errors.push(`${label}: the order must be a whole number from 1 to 99.`); ok = false }
      else if (used.has(order)) { errors.push(`${label}: another block already has order ${order}.`); ok = false }
      else used.add(order)
    }
    if (!ok) return
    const block = { name: r.name, start: start!, end: end! }
    if (order === null) pending.push({ row: i, block })
    else blocks.push({ order, ...block })
  })
  let next = 1
  for (const p of pending) {
    while (used.has(next)) next++
    if (next > 99) { errors.push(`Block ${p.row + 1}: there are too many blocks.`); break }
    used.add(next)
    blocks.push({ order: next, ...p.block })
  }
  if (errors.length) return { ok: false, status: 422, errors }
  blocks.sort((a, b) => a.order - b.order)
  return { ok: true, value: { type: { name: form.name, special: form.special, codenames }, blocks } }
}

const TAKEN = (name: string) => `There is already a day type named "${name}".`
const GONE: Outcome<never> = { ok: false, status: 404, errors: ['That day type does not exist.'] }
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505'

/** Creates (id null) or saves a day type with its blocks. Returns its id. */
export async function saveDayType(a: Actor, id: number | null, form: DayTypeForm): Promise<Outcome<number>> {
  const v = validateDayType(form)
  if (!v.ok) return v
  const { type, blocks } = v.value
  const now = a.deps.clock.now()
  try {
    const out = await a.deps.sql.begin(async (tx): Promise<Outcome<number>> => {
      if (await nameTaken(tx, type.name, id)) return { ok: false, status: 422, errors: [TAKEN(type.name)] }
      let typeId = id
      if (typeId === null) typeId = await insertDayType(tx, type, now)
      else if (!(await updateDayType(tx, typeId, type, now))) return GONE
      await replaceBlocks(tx, typeId, blocks)
      await audit(tx, {
        actorId: a.viewer.id, action: id === null ? 'schedule.daytype.create' : 'schedule.daytype.update', targetType: 'schedule_day_type',
        targetId: typeId, at: now, ip: a.ip, details: { name: type.name, special: type.special, blocks },
      })
      return { ok: true, value: typeId }
    })
    if (out.ok) await clearScheduleCache(a.deps.redis)
    return out
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, status: 422, errors: [TAKEN(type.name)] }
    throw e
  }
}

/** "<name> (Copy)", or "(Copy 2)", "(Copy 3)"… when that name is taken. */
export function copyName(name: string, existing: string[]): string {
  const taken = new Set(existing.map((n) => n.toLowerCase()))
  const base = `${name.slice(0, 85)} (Copy`
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? `${base})` : `${base} ${i})`
    if (!taken.has(candidate.toLowerCase())) return candidate
  }
}

export async function copyDayTypeAs(a: Actor, id: number): Promise<Outcome<number>> {
  const now = a.deps.clock.now()
  const out = await a.deps.sql.begin(async (tx): Promise<Outcome<number>> => {
    const name = await dayTypeName(tx, id)
    if (name === null) return GONE
    const copyAs = copyName(name, await namesLike(tx, `${name.slice(0, 85)} (Copy`))
    const newId = await copyDayType(tx, id, copyAs, now)
    if (newId === null) return GONE
    await audit(tx, { actorId: a.viewer.id, action: 'schedule.daytype.copy', targetType: 'schedule_day_type', targetId: newId, at: now, ip: a.ip, details: { from: id, name: copyAs } })
    return { ok: true, value: newId }
  })
  if (out.ok) await clearScheduleCache(a.deps.redis)
  return out
}

export async function removeDayType(a: Actor, id: number): Promise<Outcome<{ name: string; days: number }>> {
  const now = a.deps.clock.now()
  const out = await a.deps.sql.begin(async (tx): Promise<Outcome<{ name: string; days: number }>> => {
    const gone = await deleteDayType(tx, id)
    if (!gone) return GONE
    await audit(tx, { actorId: a.viewer.id, action: 'schedule.daytype.delete', targetType: 'schedule_day_type', targetId: id, at: now, ip: a.ip, details: gone })
    return { ok: true, value: gone }
  })
  if (out.ok) await clearScheduleCache(a.deps.redis)
  return out
}
