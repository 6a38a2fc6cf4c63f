import { toCsv } from '../../../../platform/csv.ts'
import type { Deps } from '../../../../platform/http.ts'
import { gradeNumber, seniorYear } from '../../../users/grade.ts'
import { schoolEmail } from '../../../users/names.ts'
import { blockText } from '../../format.ts'
import { record, refuse, seatsChanged, type MoveOutcome } from './common.ts'
import { BUSY, withMovers } from './locking.ts'
import { blockById, type BlockOption } from './moves.sql.ts'
import { placedMessages, placeLocked } from './place.ts'
import { activityBrief, blockCounts, ensureScheduled, unsignedIds, unsignedRows, type UnsignedRow } from './unsigned.sql.ts'

// /eighth/admin/unsigned/<bid>: current students with no signup in a block, counts by grade, the
// CSV (Ion's no_signups columns), and the optional placement in a default activity (Ion's
// "administrative study hall") when the office locks the block.

export const GRADES = [9, 10, 11, 12] as const

export type UnsignedModel = {
  block: BlockOption
  rows: (UnsignedRow & { grade: number })[]
  byGrade: Record<number, number>
  current: number
  signed: number
  defaultActivity: { id: number; name: string } | null
}

const senior = (deps: Deps) => seniorYear(deps.clock.today(), deps.config.yearTurnoverMonth)

export async function unsignedModel(deps: Deps, blockId: number): Promise<UnsignedModel | null> {
  const block = await blockById(deps.sql, blockId)
  if (!block) return null
  const sy = senior(deps)
  const today = deps.clock.today()
  const [rows, counts, def] = await Promise.all([
    unsignedRows(deps.sql, blockId, sy),
    blockCounts(deps.sql, blockId, sy),
    deps.config.eighthDefaultActivityId ? activityBrief(deps.sql, deps.config.eighthDefaultActivityId) : null,
  ])
  const withGrade = rows.map((r) => ({ ...r, grade: gradeNumber(r.graduationYear, today, deps.config.yearTurnoverMonth) }))
  const byGrade: Record<number, number> = { 9: 0, 10: 0, 11: 0, 12: 0 }
  for (const r of withGrade) byGrade[r.grade] = (byGrade[r.grade] ?? 0) + 1
  return { block, rows: withGrade, byGrade, current: counts.current, signed: counts.signed, defaultActivity: def && !def.deleted ? { id: def.id, name: def.name } : null }
}

export const CSV_HEADER = ['Block ID', 'Block Date', 'Last', 'First', 'Student ID', 'Grade', 'Counselor', 'School Email', 'Personal Email']

export function unsignedCsv(m: UnsignedModel, domains: string[]): string {
  return toCsv([
    CSV_HEADER,
    ...m.rows.map((r) => {
      const emails = r.emails.map((address) => ({ address, isPrimary: false }))
      const school = schoolEmail(emails, domains)
      const personal = r.emails.find((a) => a !== school && !domains.some((d) => a.toLowerCase().endsWith('@' + d))) ?? ''
      return [m.block.id, m.block.date, r.lastName, r.firstName, r.studentId ?? '', r.grade, r.counselor ?? '', school ?? '', personal]
    }),
  ])
}

/**
 * Places every still-unsigned current student of the block in EIGHTH_DEFAULT_ACTIVITY_ID (forced,
 * no pass), scheduling it in the block when needed; one office action in audit_log. The catalogue's
 * lock action calls this after locking a block; the unsigned page has a button for it.
 */
export async function placeUnsignedInDefault(deps: Deps, blockId: number, actorId: number | null, ip?: string): Promise<MoveOutcome> {
  const activityId = deps.config.eighthDefaultActivityId
  if (!activityId) return refuse(422, 'No default activity is configured (EIGHTH_DEFAULT_ACTIVITY_ID).')
  const block = await blockById(deps.sql, blockId)
  if (!block) return refuse(404, 'That block does not exist.')
  const act = await activityBrief(deps.sql, activityId)
  if (!act || act.deleted) return refuse(422, `The default activity ${activityId} does not exist or was deleted.`)
  const schactId = await ensureScheduled(deps.sql, blockId, activityId)
  const ids = await unsignedIds(deps.sql, blockId, senior(deps), null)
  const r = await withMovers(deps.sql, async () => ids, [schactId], async (tx) => {
    const pairs = ids.map((userId) => ({ userId, schactId }))
    const placed = await placeLocked(tx, deps, blockId, pairs, { onlyUnsigned: true })
    await record(tx, deps, { id: actorId, ip }, 'eighth.place_unsigned_default', schactId, {
      blockId, activityId, students: placed.added.map((p) => p.userId),
    })
    return placed
  })
  if (!r.ok) return refuse(409, BUSY)
  const out: MoveOutcome = {
    ok: true,
    messages: placedMessages(r.value, `in ${act.name} for ${blockText(block)}`),
    blockIds: [blockId, ...r.value.blockIds], scheduledIds: [schactId, ...r.value.scheduledIds],
  }
  seatsChanged(deps, out)
  return out
}
