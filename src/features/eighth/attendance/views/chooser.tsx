import { blockText } from '../../format.ts'
import type { BlockPick, SponsoredRow } from '../attendance.sql.ts'

// Ion's attendance wizard (/eighth/attendance): a block, then one of its activities.

export type ChooserModel = {
  office: boolean
  all: boolean
  blocks: BlockPick[]
  block: BlockPick | null
  activities: SponsoredRow[]
}

export const scheduledName = (r: { name: string; title: string }) => (r.title ? `${r.name} - ${r.title}` : r.name)

export function ActivityFlags({ r, past }: { r: SponsoredRow; past: boolean }) {
  return (
    <span class="badges">
      {r.cancelled ? <span class="badge err">Cancelled</span> : ''}
      {r.attendanceTaken ? <span class="badge ok">Attendance taken</span> : past && !r.cancelled ? <span class="badge warn">Attendance not taken</span> : ''}
      {r.openPasses ? <span class="badge warn" safe>{`${r.openPasses} open pass${r.openPasses === 1 ? '' : 'es'}`}</span> : ''}
    </span>
  )
}

export function ChooserPage({ m, today }: { m: ChooserModel; today: string }) {
  const mine = m.office ? 'activities' : 'your activities'
  return (
    <section class="att-chooser" aria-labelledby="chooser-title">
      <h1 id="chooser-title">Take attendance</h1>
      {m.block ? (
        <>
          <p class="crumbs"><a href="/eighth/attendance">← All blocks</a></p>
          <h2 safe>{blockText(m.block)}</h2>
          {m.activities.length === 0
            ? <p class="muted" safe>{`None of ${mine} meet in this block.`}</p>
            : (
              <ul class="att-choices">
                {m.activities.map((r) => (
                  <li>
                    <a href={`/eighth/attendance/${r.id}`}>
                      <span class="att-choice-name" safe>{scheduledName(r)}</span>
                      <span class="muted" safe>{`${r.members} signed up`}</span>
                    </a>
                    <ActivityFlags r={r} past={r.date <= today} />
                  </li>
                ))}
              </ul>
            )}
        </>
      ) : (
        <>
          <p class="muted">{m.office ? 'Choose a block, then an activity.' : 'Choose a block to see your activities in it.'}</p>
          {m.blocks.length === 0 ? <p class="muted">No blocks in this period.</p> : (
            <ul class="att-choices">
              {m.blocks.map((b) => (
                <li>
                  <a href={`/eighth/attendance?block=${b.id}`}>
                    <span class="att-choice-name" safe>{blockText(b)}</span>
                    <span class="muted" safe>{`${b.activities} ${b.activities === 1 ? 'activity' : 'activities'}`}</span>
                  </a>
                  {b.date <= today && b.notTaken ? <span class="badge warn" safe>{`${b.notTaken} not taken`}</span> : ''}
                </li>
              ))}
            </ul>
          )}
          <p>{m.all ? <a href="/eighth/attendance">Show recent and upcoming blocks</a> : <a href="/eighth/attendance?all=1">Show every block this school year</a>}</p>
        </>
      )}
    </section>
  )
}
