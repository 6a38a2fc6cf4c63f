import type { Deps } from '../../../../platform/http.ts'
import type { Viewer } from '../../../../platform/viewer.ts'
import { lastFirst } from '../../../users/names.ts'
import { loadRoster } from '../../attendance/attendance.ts'
import { sponsorName } from '../../effective.ts'
import { blockText } from '../../format.ts'
import { gradeOf, py } from './common.ts'
import { blockBrief, rosterActivities, rosterLines, type BlockBrief, type RosterActivity, type RosterLine } from './rosters.sql.ts'

// Rosters for the screen, for paper (the print stylesheet) and as Ion's attendance CSV.

export type Roster = { activity: RosterActivity; members: RosterLine[] }
export type BlockRosters = { block: BlockBrief; rosters: Roster[]; all: RosterActivity[] }

export const activityName = (a: { name: string; title: string }) => (a.title ? `${a.name} - ${a.title}` : a.name)

function group(activities: RosterActivity[], lines: RosterLine[]): Roster[] {
  const by = new Map<number, RosterLine[]>()
  for (const l of lines) {
    const list = by.get(l.scheduledActivityId) ?? []
    list.push(l)
    by.set(l.scheduledActivityId, list)
  }
  return activities.map((activity) => ({ activity, members: by.get(activity.id) ?? [] }))
}

/** A block's rosters (all, or the chosen scheduled activities). Three statements. */
export async function loadBlockRosters(deps: Deps, blockId: number, only: number[]): Promise<BlockRosters | null> {
  const block = await blockBrief(deps.sql, blockId)
  if (!block) return null
  const [all, lines] = await Promise.all([rosterActivities(deps.sql, { blockId }), rosterLines(deps.sql, { blockId })])
  const chosen = only.length ? all.filter((a) => only.includes(a.id)) : all
  return { block, rosters: group(chosen, lines), all }
}

export const ATTENDANCE_COLUMNS = ['Block', 'Activity', 'Name', 'FCPS ID', 'Student ID', 'Grade', 'Email', 'Locked', 'Rooms', 'Sponsors', 'Attendance Taken', 'Present', 'Had Pass']

/**
 * Ion's attendance CSV: one row per signup. Present and Had Pass read "N/A" while the block is
 * unlocked; booleans print as Python does ("True"/"False").
 */
export function attendanceRows(deps: Deps, rosters: Roster[]): (string | number)[][] {
  const rows: (string | number)[][] = [ATTENDANCE_COLUMNS]
  for (const { activity: a, members } of rosters) {
    const rooms = a.rooms.map((r) => `${r.name} (${r.capacity})`).join(', ')
    const sponsors = a.sponsors.map(sponsorName).join(', ')
    for (const m of members) {
      rows.push([
        blockText(a), activityName(a), lastFirst(m), m.studentId ?? '', m.userId, gradeOf(deps, m.graduationYear), m.email ?? '',
        py(a.blockLocked), rooms, sponsors, py(a.attendanceTaken),
        a.blockLocked ? py(!m.wasAbsent) : 'N/A', a.blockLocked ? py(m.afterDeadline) : 'N/A',
      ])
    }
  }
  return rows
}

/**
 * One scheduled activity's attendance CSV: its sponsors and the office only (Ion let any teacher
 * export any roster).
 */
export async function attendanceCsvFor(deps: Deps, viewer: Viewer, id: number): Promise<{ ok: true; rows: (string | number)[][]; filename: string } | { ok: false; status: 403 | 404 | 409 | 422; message: string }> {
  const r = await loadRoster(deps, viewer, id)
  if (!r.ok) return r
  if (r.roster.mode === 'readonly') return { ok: false, status: 403, message: 'Only the sponsors and the office can download this roster.' }
  const [activities, lines] = await Promise.all([rosterActivities(deps.sql, { scheduledId: id }), rosterLines(deps.sql, { scheduledId: id })])
  const a = activities[0]!
  return { ok: true, rows: attendanceRows(deps, group(activities, lines)), filename: `attendance-${a.date}-${a.blockLetter}-${a.activityId}.csv` }
}
