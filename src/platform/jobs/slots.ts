import { Cron } from 'croner'

// A slot names one occurrence of a schedule: the ISO time of the cron occurrence, the same on
// every instance, so (job, slot) is unique across instances.

export function parsePattern(pattern: string, tz?: string): Cron {
  return new Cron(pattern, { timezone: tz, paused: true })
}

export const slotOf = (at: Date): string => at.toISOString()
export const manualSlot = (now: Date): string => `manual:${now.toISOString()}`

/** The latest occurrence at or before `at`. */
export function previousOccurrence(pattern: string, tz: string, at: Date): Date | null {
  // previousRuns excludes an occurrence exactly at the reference instant
  return parsePattern(pattern, tz).previousRuns(1, new Date(at.getTime() + 1))[0] ?? null
}

export function nextOccurrence(pattern: string, tz: string, after: Date): Date | null {
  return parsePattern(pattern, tz).nextRun(after)
}
