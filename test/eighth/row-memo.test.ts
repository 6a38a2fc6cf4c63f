import { expect, test } from 'bun:test'
import type { SharedActivity } from '../../src/features/eighth/block-list.ts'
import type { ActivityView, SignupModel } from '../../src/features/eighth/signup-page.ts'
import { ActivityRow, RowBody, rowKey } from '../../src/features/eighth/views/activity-row.tsx'

// The signup list's rendered rows are shared between students by a numeric key (issue 10): two
// viewers whose rows would differ must never get the same key, or one student would see another's
// state. Every combination of what a row reads is rendered afresh and grouped by key; within a
// group the HTML must be identical. No database: the model is built by hand.

const OPENS = 'Monday, November 30 at 8:00 PM'

function shared(cancelled: boolean): SharedActivity {
  return {
    row: { scheduledId: 7, activityId: 3, name: 'Chess', title: '', description: 'Boards.', comments: '', cancelled } as unknown as SharedActivity['row'],
    flags: { bothBlocks: false, special: false, administrative: false, restricted: true, sticky: false, presign: true, oneADay: false },
    capacity: 10, fullName: 'Chess', rooms: ['Rm. 1'], sponsors: ['Smith'],
  }
}

type Dims = { bits: number; count: number; cancelled: boolean; opensAt: string | null }

function build({ bits, count, cancelled, opensAt }: Dims, s: SharedActivity): { m: SignupModel; a: ActivityView; oob: boolean } {
  const on = (i: number) => (bits & (1 << i)) !== 0
  const a: ActivityView = {
    schactId: 7, activityId: 3, name: 'Chess', fullName: 'Chess', description: 'Boards.', comments: '', cancelled, flags: s.flags, count, capacity: 10,
    rooms: s.rooms, sponsors: s.sponsors, selected: on(0), favorite: on(1), restrictedForYou: on(2), stickyForYou: on(3), blacklisted: on(4),
    opensAt, section: 'all', shared: s,
  }
  const m = {
    viewerId: 1, student: { id: 1, firstName: 'A', lastName: 'B' }, forSelf: on(5), admin: on(6), picker: [],
    block: { id: 9, locked: on(7) }, activities: [a], current: null, stuck: on(8), q: '',
  } as unknown as SignupModel
  return { m, a, oob: on(9) }
}

test('rows that render differently never share a memo key; a memoised row is the fresh one', () => {
  const byKey = new Map<number, { html: string; dims: Dims }>()
  const memoised = shared(false)
  let combos = 0
  for (const cancelled of [false, true]) {
    const s = shared(cancelled)
    for (const opensAt of [null, OPENS]) {
      for (const count of [0, 4, 9, 10, 11]) {
        for (let bits = 0; bits < 1 << 10; bits++) {
          const dims = { bits, count, cancelled, opensAt }
          const p = build(dims, s)
          const html = RowBody(p) as string
          // cancelled is the activity's own (another SharedActivity): key per activity
          const key = rowKey(p) * 2 + (cancelled ? 1 : 0)
          const seen = byKey.get(key)
          if (seen) expect({ key, html, dims: seen.dims }).toEqual({ key, html: seen.html, dims: seen.dims })
          else byKey.set(key, { html, dims })
          if (!cancelled) expect(ActivityRow(build(dims, memoised))).toBe(html)
          combos++
        }
      }
    }
  }
  expect(combos).toBe(2 * 2 * 5 * 1024)
  // Some combinations do look alike (an admin's row ignores "stuck"), but the key may not merge more.
  expect(byKey.size).toBeGreaterThan(1000)
})

test('a new opening text (the block moved) drops the memoised rows that showed the old one', () => {
  const s = shared(false)
  const dims = { bits: 1 << 5, count: 0, cancelled: false, opensAt: OPENS }
  expect(ActivityRow(build(dims, s))).toContain(`Opens ${OPENS}`)
  const later = 'Tuesday, December 1 at 8:00 PM'
  const html = ActivityRow(build({ ...dims, opensAt: later }, s))
  expect(html).toContain(`Opens ${later}`)
  expect(html).not.toContain(OPENS)
})
