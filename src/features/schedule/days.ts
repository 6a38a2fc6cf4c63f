import { audit } from '../users/users.sql.ts'
import { deleteDay, dayTypeName, upsertDay } from './admin.sql.ts'
import { addMonths, parseIsoDate } from './dates.ts'
import type { Actor, Outcome } from './daytypes.ts'
import { defaultFill, missingTypesMessage } from './fill.ts'
import { clearScheduleCache } from './service.ts'
import { addDays } from '../../platform/zoned.ts'

// The schedule admin's days: give a date a day type (an empty one removes the Day), its comment,
// Ion's default fill for a month, and "delete cache". Audited; every edit retires the cache.

/** `comment` undefined keeps the date's comment (assigning from the day type's page). */
export type DayForm = { date: string; dayType: string; comment?: string }

export type DayChange = { kind: 'set'; date: string; name: string } | { kind: 'removed' | 'unchanged'; date: string }

export async function setDay(a: Actor, form: DayForm): Promise<Outcome<DayChange>> {
  const errors: string[] = []
  const date = parseIsoDate(form.date)
  if (!date) errors.push(`"${form.date.slice(0, 40)}" is not a date: use YYYY-MM-DD.`)
  const comment = form.comment === undefined ? null : form.comment.trim()
  if (comment !== null && comment.length > 500) errors.push('The comment can be at most 500 characters.')
  const typeId = form.dayType === '' ? null : /^\d{1,9}$/.test(form.dayType) ? Number(form.dayType) : NaN
  if (Number.isNaN(typeId)) errors.push('Choose a day type from the list.')
  if (errors.length || !date) return { ok: false, status: 422, errors }
  const now = a.deps.clock.now()
  const out = await a.deps.sql.begin(async (tx): Promise<Outcome<DayChange>> => {
    if (typeId === null) {
      if (!(await deleteDay(tx, date))) return { ok: true, value: { kind: 'unchanged', date } }
      await audit(tx, { actorId: a.viewer.id, action: 'schedule.day.delete', targetType: 'schedule_day', targetId: date, at: now, ip: a.ip })
      return { ok: true, value: { kind: 'removed', date } }
    }
    const name = await dayTypeName(tx, typeId)
    if (name === null) return { ok: false, status: 422, errors: ['That day type does not exist (any more). Choose another.'] }
    await upsertDay(tx, date, typeId, comment, now)
    await audit(tx, { actorId: a.viewer.id, action: 'schedule.day.set', targetType: 'schedule_day', targetId: date, at: now, ip: a.ip, details: { dayType: name, comment } })
    return { ok: true, value: { kind: 'set', date, name } }
  })
  if (out.ok && out.value.kind !== 'unchanged') await clearScheduleCache(a.deps.redis)
  return out
}

/** Ion's default fill for the month starting at `first`: only days without a schedule. */
export async function fillMonth(a: Actor, first: string): Promise<Outcome<number>> {
  const now = a.deps.clock.now()
  const last = addDays(addMonths(first, 1), -1)
  const out = await a.deps.sql.begin(async (tx): Promise<Outcome<number>> => {
    const r = await defaultFill(tx, first, last, now)
    if (!r.ok) return { ok: false, status: 422, errors: [missingTypesMessage(r.missing)] }
    if (r.filled.length) {
      await audit(tx, { actorId: a.viewer.id, action: 'schedule.fill', targetType: 'schedule_month', targetId: first.slice(0, 7), at: now, ip: a.ip, details: { filled: r.filled } })
    }
    return { ok: true, value: r.filled.length }
  })
  if (out.ok && out.value > 0) await clearScheduleCache(a.deps.redis)
  return out
}

export async function deleteCache(a: Actor): Promise<void> {
  await clearScheduleCache(a.deps.redis)
  await audit(a.deps.sql, { actorId: a.viewer.id, action: 'schedule.cache.clear', at: a.deps.clock.now(), ip: a.ip })
}
