import { dateFormat } from '../../platform/intl.ts'

// How blocks read in pages, messages and emails (Ion: "Mon, April 20, 9001 (A)", "04/20 A").

export function blockDateText(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const dt = new Date(Date.UTC(y, m - 1, d))
  const wd = dateFormat('en-US', { weekday: 'short', timeZone: 'UTC' }).format(dt)
  const mo = dateFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(dt)
  return `${wd}, ${mo} ${d}, ${y}`
}

export const blockText = (b: { date: string; blockLetter: string }) => `${blockDateText(b.date)} (${b.blockLetter})`
export const blockShortText = (b: { date: string; blockLetter: string }) => `${b.date.slice(5, 7)}/${b.date.slice(8, 10)} ${b.blockLetter}`
