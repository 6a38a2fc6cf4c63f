/** The injected clock: every rule takes it explicitly so tests can move time. */
export type Clock = {
  now(): Date
  /** Today's calendar date in the school's time zone, 'YYYY-MM-DD'. */
  today(): string
  tz: string
}

// Building an Intl.DateTimeFormat costs ~100 µs (more under load) and formatting with a built one
// ~1 µs; clock.today() runs inside the signup transaction, under its locks. One per zone, reused.
const partFormats = new Map<string, Intl.DateTimeFormat>()

// Formatting is still the costliest thing a request does with dates (a page asks for today and
// the local time several times): the answer for the last minute asked is kept per zone. Offsets
// change only on whole minutes (every zone since 1900), so a minute's answer holds for all of it.
const lastParts = new Map<string, { minute: number; parts: LocalParts }>()

export function dateInTz(d: Date, tz: string): string {
  return localParts(d, tz).date
}

export type LocalParts = { date: string; hour: number; minute: number; weekday: number }

/** Minutes since local midnight in tz, and the local date. */
export function localParts(d: Date, tz: string): LocalParts {
  const minuteOf = Math.floor(d.getTime() / 60_000)
  const hit = lastParts.get(tz)
  if (hit && hit.minute === minuteOf) return { ...hit.parts }
  const parts = formatParts(d, tz)
  if (Number.isFinite(minuteOf)) lastParts.set(tz, { minute: minuteOf, parts })
  return { ...parts }
}

function formatParts(d: Date, tz: string): LocalParts {
  let f = partFormats.get(tz)
  if (!f) partFormats.set(tz, (f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23',
  })))
  const parts = f.formatToParts(d)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'))
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')), minute: Number(get('minute')), weekday }
}

export function systemClock(tz: string): Clock {
  return { tz, now: () => new Date(), today: () => dateInTz(new Date(), tz) }
}

/** A clock tests can set and advance. */
export type FixedClock = Clock & { set(d: Date | string): void; advance(ms: number): void }

export function fixedClock(start: Date | string, tz = 'America/New_York'): FixedClock {
  let t = new Date(start).getTime()
  return {
    tz,
    now: () => new Date(t),
    today: () => dateInTz(new Date(t), tz),
    set: (d) => { t = new Date(d).getTime() },
    advance: (ms) => { t += ms },
  }
}
