import type { Deps } from '../../platform/http.ts'
import type { WidgetCtx } from '../../platform/registry.ts'
import { effectiveList, formattedRoomName, upcomingTest } from './effective.ts'
import { blockText } from './format.ts'
import { nextBlocks } from './student.sql.ts'

// The students' dashboard widget: the next blocks (up to two dates), the activity and room in
// each, and what needs doing (not signed up, cancelled). One statement.

/** blockText by date and letter: the same few upcoming blocks for every student (Intl formatting is slow). */
const blockTexts = new Map<string, string>()
function textOf(b: { date: string; blockLetter: string }): string {
  const key = `${b.date} ${b.blockLetter}`
  let t = blockTexts.get(key)
  if (t === undefined) {
    if (blockTexts.size >= 256) blockTexts.clear()
    blockTexts.set(key, (t = blockText(b)))
  }
  return t
}

export async function renderEighthWidget(deps: Deps, { viewer, now }: WidgetCtx): Promise<string> {
  const upcoming = upcomingTest(now, deps.config.schoolTz)
  const rows = (await nextBlocks(deps.sql, viewer.id, deps.clock.today())).filter((b) => upcoming(b.date))
  const dates = [...new Set(rows.map((b) => b.date))].slice(0, 2)
  const blocks = rows.filter((b) => dates.includes(b.date))
  return (
    <>
      <h2>Eighth period</h2>
      {blocks.length === 0 ? <p class="muted">No upcoming blocks.</p> : (
        <ul class="eighth-next">
          {blocks.map((b) => {
            const name = b.activityName ? (b.title ? `${b.activityName} - ${b.title}` : b.activityName) : null
            const rooms = effectiveList(b.saRooms, b.actRooms).map(formattedRoomName).join(', ')
            return (
              <li>
                <a href={`/eighth/signup/${b.id}`}>
                  <span class="next-block" safe>{textOf(b)}</span>
                  <span class={name ? 'next-act' : 'next-act warn-text'} safe>{name ?? 'Not signed up'}</span>
                  {rooms ? <span class="muted" safe>{rooms}</span> : ''}
                </a>
                {b.cancelled ? <span class="badge err">Cancelled: choose another</span> : ''}
              </li>
            )
          })}
        </ul>
      )}
      <p><a href="/eighth/signup">Eighth period signup</a> · <a href="/eighth/profile">Your schedule</a></p>
    </>
  ) as string
}
