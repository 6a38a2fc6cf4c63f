import { dateFormat } from '../../platform/intl.ts'

// How the bell schedule writes times, dates and day-type colours.

const parts = (t: string) => {
  const [h, m] = t.split(':').map(Number) as [number, number]
  return { h, m }
}

/** 'HH:MM[:SS]' → Ion's API form "H:MM" (24-hour, no leading zero): "8:40", "13:05". */
export const apiTime = (t: string) => {
  const { h, m } = parts(t)
  return `${h}:${String(m).padStart(2, '0')}`
}

/** 'HH:MM[:SS]' → 'HH:MM', for data attributes and form fields. */
export const hhmm = (t: string) => t.slice(0, 5)

/** 'HH:MM[:SS]' → the widget's 12-hour form without a suffix, as Ion shows it: "8:40", "1:05", "12:30". */
export function twelveHour(t: string): string {
  const { h, m } = parts(t)
  const h12 = h % 12 === 0 ? 12 : h % 12
  return `${h12}:${String(m).padStart(2, '0')}`
}

/** "8:40 – 10:15" */
export const timeRange = (start: string, end: string) => `${twelveHour(start)} – ${twelveHour(end)}`

/**
 * Ion's DayType.class_name: the colour comes from the name ("blue day"/"mod blue" → blue,
 * "red day"/"mod red" → red, "anchor day"/"mod anchor" → anchor, later rules win), plus
 * day-special for special day types.
 */
export function dayTypeClass(name: string, special: boolean): string {
  const n = name.toLowerCase()
  let t = 'other'
  if (n.includes('blue day') || n.includes('mod blue')) t = 'blue'
  if (n.includes('red day') || n.includes('mod red')) t = 'red'
  if (n.includes('anchor day') || n.includes('mod anchor')) t = 'anchor'
  return special ? `day-type day-type-${t} day-special` : `day-type day-type-${t}`
}

const utc = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return Date.UTC(y, m - 1, d)
}

/** "Monday, November 30" */
export const longDate = (date: string) =>
  dateFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' }).format(utc(date))

/** "Mon, Nov 30" */
export const shortDate = (date: string) =>
  dateFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(utc(date))

/** "November 2026" */
export const monthName = (first: string) =>
  dateFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(utc(first))

/** "Nov 2026" */
export const shortMonth = (first: string) =>
  dateFormat('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(utc(first))
