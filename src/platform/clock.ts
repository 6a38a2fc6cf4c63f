/** The injected clock: every rule takes it explicitly so tests can move time. */
export type Clock = {
  now(): Date
  /** Today's calendar date in the school's time zone, 'YYYY-MM-DD'. */
  today(): string
  tz: string
}

// Building an Intl.DateTimeFormat costs ~100 µs (more under load) and formatting with a built one
// ~1 µs; clock.today() runs inside the signup transaction, under its locks. One per zone, reused.
const dayFormats = new Map<string, Intl.DateTimeFormat>()
const partFormats = new Map<string, Intl.DateTimeFormat>()

export function dateInTz(d: Date, tz: string): string {
  let f = dayFormats.get(tz)
  // en-CA formats as YYYY-MM-DD
  if (!f) dayFormats.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })))
  return f.format(d)
}

/** Minutes since local midnight in tz, and the local date. */
export function localParts(d: Date, tz: string): { date: string; hour: number; minute: number; weekday: number } {
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
