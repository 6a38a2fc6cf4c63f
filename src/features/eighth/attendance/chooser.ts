import type { Deps } from '../../../platform/http.ts'
import { isEighthAdmin, type Viewer } from '../../../platform/viewer.ts'
import { addDays } from '../../../platform/zoned.ts'
import { schoolYear } from '../profile.ts'
import { blockById, blocksForPicker, scheduledInRange } from './attendance.sql.ts'
import type { ChooserModel } from './views/chooser.tsx'

// Ion's attendance wizard: block → activity. The office sees every activity (cancelled ones
// too); everyone else sees only the activities they sponsor (Ion meant to, but its filter never
// applied). A sponsor with exactly one activity in the block goes straight to its roster.

export type ChooserResult = { kind: 'page'; model: ChooserModel } | { kind: 'redirect'; to: string } | { kind: 'notFound' }

export async function loadChooser(deps: Deps, viewer: Viewer, q: { block?: string; all?: boolean }): Promise<ChooserResult> {
  const office = isEighthAdmin(viewer)
  const today = deps.clock.today()
  if (q.block !== undefined) {
    if (!/^\d{1,9}$/.test(q.block)) return { kind: 'notFound' }
    const block = await blockById(deps.sql, Number(q.block))
    if (!block) return { kind: 'notFound' }
    const activities = await scheduledInRange(deps.sql, { viewerId: viewer.id, all: office, from: block.date, to: block.date, blockId: block.id, includeCancelled: office, limit: 1000 })
    if (!office && activities.length === 1) return { kind: 'redirect', to: `/eighth/attendance/${activities[0]!.id}` }
    return { kind: 'page', model: { office, all: false, blocks: [], block, activities } }
  }
  const range = q.all ? schoolYear(today, deps.config.yearTurnoverMonth) : { start: addDays(today, -7), end: addDays(today, 28) }
  const blocks = await blocksForPicker(deps.sql, { viewerId: viewer.id, all: office, from: range.start, to: range.end })
  return { kind: 'page', model: { office, all: !!q.all, blocks: office ? blocks : blocks.filter((b) => b.activities > 0), block: null, activities: [] } }
}
