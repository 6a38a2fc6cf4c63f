import { expect, test } from 'bun:test'
import { dateInTz, localParts } from '../../src/platform/clock.ts'
import { zonedInstant } from '../../src/platform/zoned.ts'

// The per-minute answers kept by clock.ts and zoned.ts must equal a fresh formatter's, second by
// second, across both daylight-saving changes and midnight, in zones with whole- and half-hour offsets.

const fresh = (d: Date, tz: string) => {
  const p = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d)
  const g = (t: string) => p.find((x) => x.type === t)!.value
  return { date: `${g('year')}-${g('month')}-${g('day')}`, hour: Number(g('hour')), minute: Number(g('minute')) }
}

test('today and the local time, second by second around DST and midnight', () => {
  const cases: [string, string][] = [
    ['America/New_York', '2026-03-08T06:58:00Z'], ['America/New_York', '2026-11-01T05:58:00Z'],
    ['America/New_York', '2026-11-28T04:58:30Z'], ['Asia/Kolkata', '2026-11-27T18:28:00Z'], ['Australia/Adelaide', '2026-10-03T16:28:00Z'],
  ]
  for (const [tz, start] of cases) {
    const t0 = Date.parse(start)
    for (let s = 0; s < 300; s += 7) {
      const d = new Date(t0 + s * 1000 + (s % 3) * 333)
      const want = fresh(d, tz)
      const got = localParts(d, tz)
      expect({ date: got.date, hour: got.hour, minute: got.minute }).toEqual(want)
      expect(dateInTz(d, tz)).toBe(want.date)
    }
  }
})

test('a wall-clock time converts the same with a warm cache as with a cold one', () => {
  const first = ['2026-03-08 01:59:59', '2026-03-08 03:00:00', '2026-11-01 01:30:00', '2026-11-01 02:00:00', '2026-12-02 14:05:07']
    .map((x) => zonedInstant(x.slice(0, 10), x.slice(11), 'America/New_York').toISOString())
  const again = ['2026-03-08 01:59:59', '2026-03-08 03:00:00', '2026-11-01 01:30:00', '2026-11-01 02:00:00', '2026-12-02 14:05:07']
    .map((x) => zonedInstant(x.slice(0, 10), x.slice(11), 'America/New_York').toISOString())
  expect(again).toEqual(first)
  expect(first[4]).toBe('2026-12-02T19:05:07.000Z')
  expect(first[1]).toBe('2026-03-08T07:00:00.000Z')
})
