// Wall-clock times in the school's zone ↔ instants, without a date library.

// One formatter per zone: building one costs ~100 µs, using one ~1 µs.
const formats = new Map<string, Intl.DateTimeFormat>()

// The offset per (zone, minute), kept for the last few thousand asked (a page converts the same
// block dates again and again); offsets change only on whole minutes.
const offsets = new Map<string, number>()

function offsetMs(instant: number, tz: string): number {
  const key = `${tz} ${Math.floor(instant / 60_000)}`
  const hit = offsets.get(key)
  if (hit !== undefined) return hit
  const ms = computeOffsetMs(instant, tz)
  if (offsets.size >= 4096) offsets.clear()
  if (Number.isFinite(ms)) offsets.set(key, ms)
  return ms
}

function computeOffsetMs(instant: number, tz: string): number {
  let f = formats.get(tz)
  if (!f) formats.set(tz, (f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  })))
  const p = f.formatToParts(new Date(instant))
  const g = (t: string) => Number(p.find((x) => x.type === t)?.value)
  const asUtc = Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second'))
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** The instant at which the wall clock in tz shows `date` ('YYYY-MM-DD') and `time` ('HH:MM[:SS]'). */
export function zonedInstant(date: string, time: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [hh, mm, ss] = time.split(':').map(Number) as [number, number, number | undefined]
  const wall = Date.UTC(y, m - 1, d, hh, mm, ss ?? 0)
  let t = wall - offsetMs(wall, tz)
  t = wall - offsetMs(t, tz)
  return new Date(t)
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}
