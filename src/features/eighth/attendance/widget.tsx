import type { Deps } from '../../../platform/http.ts'
import type { WidgetCtx } from '../../../platform/registry.ts'
import { addDays } from '../../../platform/zoned.ts'
import { blockText } from '../format.ts'
import { scheduledInRange, type SponsoredRow } from './attendance.sql.ts'
import { ActivityFlags, scheduledName } from './views/chooser.tsx'

// The sponsors' dashboard widget: their activities in the next blocks, and the past week's
// activities whose attendance is still not taken (with open passes). One statement.

const UPCOMING_BLOCKS = 6

export function pickWidgetRows(rows: SponsoredRow[], today: string): { overdue: SponsoredRow[]; upcoming: SponsoredRow[] } {
  const overdue = rows.filter((r) => r.date < today && !r.attendanceTaken && !r.cancelled && r.members > 0)
  const future = rows.filter((r) => r.date >= today)
  const blocks = [...new Set(future.map((r) => r.blockId))].slice(0, UPCOMING_BLOCKS)
  return { overdue, upcoming: future.filter((r) => blocks.includes(r.blockId)) }
}

function Row({ r, today }: { r: SponsoredRow; today: string }) {
  return (
    <li>
      <a href={`/eighth/attendance/${r.id}`}>
        <span class="next-block" safe>{blockText(r)}</span>
        <span class="next-act" safe>{scheduledName(r)}</span>
        <span class="muted" safe>{`${r.members} signed up`}</span>
      </a>
      <ActivityFlags r={r} past={r.date <= today} />
    </li>
  )
}

export async function renderSponsorWidget(deps: Deps, { viewer, today }: WidgetCtx): Promise<string> {
  const rows = await scheduledInRange(deps.sql, { viewerId: viewer.id, all: false, from: addDays(today, -7), to: addDays(today, 120), includeCancelled: true, limit: 200 })
  const { overdue, upcoming } = pickWidgetRows(rows, today)
  return (
    <>
      <h2>Eighth period: your activities</h2>
      {overdue.length ? (
        <>
          <p class="alert warn" safe>{`Attendance not taken for ${overdue.length} ${overdue.length === 1 ? 'activity' : 'activities'}.`}</p>
          <ul class="eighth-next">{overdue.map((r) => <Row r={r} today={today} />)}</ul>
        </>
      ) : ''}
      {upcoming.length
        ? <ul class="eighth-next">{upcoming.map((r) => <Row r={r} today={today} />)}</ul>
        : <p class="muted">You sponsor no activities in the next blocks.</p>}
      <p><a href="/eighth/attendance">Take attendance</a></p>
    </>
  ) as string
}
