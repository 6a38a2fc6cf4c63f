// Which day the schedule shows (Ion's schedule_context), in the school's zone with the injected
// clock, across the 17:00 roll-over, weekends and both DST changes; and how times are written.
import { describe, expect, test } from 'bun:test'
import {
  defaultDate, monthWeeks, nextSchoolDay, parseIsoDate, prevSchoolDay, resolveDate, schoolYear, weekDates,
} from '../../src/features/schedule/dates.ts'
import { apiTime, dayTypeClass, timeRange, twelveHour } from '../../src/features/schedule/format.ts'
import { schoolDayBounds } from '../../src/features/schedule/service.ts'

const TZ = 'America/New_York'
const at = (iso: string) => defaultDate(new Date(iso), TZ)

describe('today, tomorrow after 17:00, and weekends', () => {
  test('a weekday before 17:00 is that day; from 17:00 it is the next school day', () => {
    // Monday 2026-11-30 (EST, UTC-5)
    expect(at('2026-11-30T14:00:00Z')).toBe('2026-11-30') // 09:00
    expect(at('2026-11-30T21:59:00Z')).toBe('2026-11-30') // 16:59
    expect(at('2026-11-30T22:00:00Z')).toBe('2026-12-01') // 17:00
    expect(at('2026-12-01T04:30:00Z')).toBe('2026-12-01') // Monday 23:30 → Tuesday
  })

  test('the time of day is read in the school\'s zone, not UTC', () => {
    // 21:30 UTC is 16:30 in New York: still Monday (a UTC reading would roll to Tuesday).
    expect(at('2026-11-30T21:30:00Z')).toBe('2026-11-30')
    // The same instant in Los Angeles is 13:30.
    expect(defaultDate(new Date('2026-12-01T00:30:00Z'), 'America/Los_Angeles')).toBe('2026-11-30')
  })

  test('Friday evening → Monday', () => {
    expect(at('2026-12-04T15:00:00Z')).toBe('2026-12-04') // Friday 10:00
    expect(at('2026-12-04T23:00:00Z')).toBe('2026-12-07') // Friday 18:00
    expect(at('2026-12-05T04:00:00Z')).toBe('2026-12-07') // Friday 23:00 (Saturday in UTC)
  })

  test('Saturday and Sunday → the next Monday, at any hour', () => {
    expect(at('2026-12-05T05:00:00Z')).toBe('2026-12-07') // Saturday 00:00
    expect(at('2026-12-05T15:00:00Z')).toBe('2026-12-07') // Saturday 10:00
    expect(at('2026-12-06T22:30:00Z')).toBe('2026-12-07') // Sunday 17:30
    expect(at('2026-12-07T04:59:00Z')).toBe('2026-12-07') // Sunday 23:59
  })

  test('Ion: on a Saturday, today = Monday, yesterday = the Friday before, tomorrow = Tuesday', () => {
    const r = resolveDate(undefined, new Date('2026-12-05T15:00:00Z'), TZ)!
    expect(r).toEqual({ date: '2026-12-07', prev: '2026-12-04', next: '2026-12-08', today: '2026-12-07' })
  })

  test('Ion: Wednesday 22:00 → Thursday; Thursday 22:00 → Friday with Monday as tomorrow', () => {
    expect(resolveDate(undefined, new Date('2026-12-03T03:00:00Z'), TZ)!.date).toBe('2026-12-03')
    const thu = resolveDate(undefined, new Date('2026-12-04T03:00:00Z'), TZ)!
    expect([thu.date, thu.next]).toEqual(['2026-12-04', '2026-12-07'])
  })

  test('an explicit date is used as given, weekends included; the arrows skip weekends', () => {
    const sat = resolveDate('2026-12-05', new Date('2026-11-30T14:00:00Z'), TZ)!
    expect([sat.date, sat.prev, sat.next]).toEqual(['2026-12-05', '2026-12-04', '2026-12-07'])
    expect(prevSchoolDay('2026-12-07')).toBe('2026-12-04')
    expect(nextSchoolDay('2026-12-04')).toBe('2026-12-07')
    expect(resolveDate('', new Date('2026-12-05T15:00:00Z'), TZ)!.date).toBe('2026-12-07')
  })

  test('malformed or impossible dates are refused', () => {
    for (const bad of ['2026-02-30', '2026-2-03', '20261203', 'tomorrow', '2026-13-01', '2026-12-05T00:00', ' 2026-12-05']) {
      expect(parseIsoDate(bad)).toBeNull()
      expect(resolveDate(bad, new Date(), TZ)).toBeNull()
    }
    expect(parseIsoDate('2028-02-29')).toBe('2028-02-29')
  })
})

describe('daylight saving time', () => {
  test('spring forward (Sunday 2026-03-08): Monday rolls at 17:00 EDT (21:00 UTC), not 17:00 EST', () => {
    expect(at('2026-03-08T06:59:00Z')).toBe('2026-03-09') // Sunday 01:59 EST
    expect(at('2026-03-08T07:00:00Z')).toBe('2026-03-09') // Sunday 03:00 EDT
    expect(at('2026-03-09T20:59:00Z')).toBe('2026-03-09') // Monday 16:59 EDT
    expect(at('2026-03-09T21:00:00Z')).toBe('2026-03-10') // Monday 17:00 EDT (16:00 at the old offset)
    expect(at('2026-03-06T21:30:00Z')).toBe('2026-03-06') // the Friday before: 16:30 EST
    expect(at('2026-03-06T22:00:00Z')).toBe('2026-03-09') // Friday 17:00 EST → Monday, across the change
  })

  test('fall back (Sunday 2026-11-01): the Friday before rolls at 17:00 EDT, the Monday after at 17:00 EST', () => {
    expect(at('2026-10-30T20:59:00Z')).toBe('2026-10-30') // Friday 16:59 EDT
    expect(at('2026-10-30T21:00:00Z')).toBe('2026-11-02') // Friday 17:00 EDT → Monday
    expect(at('2026-11-01T05:30:00Z')).toBe('2026-11-02') // Sunday 01:30 EDT (the first one)
    expect(at('2026-11-01T06:30:00Z')).toBe('2026-11-02') // Sunday 01:30 EST (the repeated hour)
    expect(at('2026-11-02T21:30:00Z')).toBe('2026-11-02') // Monday 16:30 EST (17:30 at the old offset)
    expect(at('2026-11-02T22:00:00Z')).toBe('2026-11-03') // Monday 17:00 EST
  })

  test('the end of the school day is an instant in the school\'s zone on either side of a change', () => {
    const day = (date: string) => ({ date, comment: '', dayType: { id: 1, name: 'Blue Day', special: false, codenames: [], blocks: [
      { order: 1, name: 'Period 1', start: '08:40', end: '10:15' }, { order: 2, name: '8B', start: '15:15', end: '16:00' },
    ] } })
    expect(schoolDayBounds(day('2026-03-06'), TZ)!.end.toISOString()).toBe('2026-03-06T21:00:00.000Z')
    expect(schoolDayBounds(day('2026-03-09'), TZ)!.end.toISOString()).toBe('2026-03-09T20:00:00.000Z')
    expect(schoolDayBounds(day('2026-11-02'), TZ)!.start.toISOString()).toBe('2026-11-02T13:40:00.000Z')
    expect(schoolDayBounds({ date: '2026-11-02', comment: '', dayType: null }, TZ)).toBeNull()
  })
})

describe('calendar arithmetic', () => {
  test('a week is Monday to Friday; Sunday shows the coming week', () => {
    expect(weekDates('2026-12-02')).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'])
    expect(weekDates('2026-12-05')[0]).toBe('2026-11-30')
    expect(weekDates('2026-12-06')[0]).toBe('2026-12-07')
  })

  test('a month is the Mon–Fri weeks that touch it', () => {
    const nov = monthWeeks('2026-11-01') // Nov 1 is a Sunday, Nov 30 a Monday
    expect(nov.map((w) => w[0])).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30'])
    const aug = monthWeeks('2026-08-01') // a Saturday; Aug 31 is a Monday
    expect(aug.map((w) => w[0])).toEqual(['2026-08-03', '2026-08-10', '2026-08-17', '2026-08-24', '2026-08-31'])
    expect(monthWeeks('2027-02-01').length).toBe(4)
  })

  test('the school year runs from the month after the turnover month', () => {
    expect(schoolYear('2026-11-30', 7)).toEqual({ from: '2026-08-01', to: '2027-07-31' })
    expect(schoolYear('2027-07-31', 7)).toEqual({ from: '2026-08-01', to: '2027-07-31' })
    expect(schoolYear('2027-08-01', 7)).toEqual({ from: '2027-08-01', to: '2028-07-31' })
    expect(schoolYear('2026-11-30', 12)).toEqual({ from: '2026-01-01', to: '2026-12-31' })
  })
})

describe('how times and day types are written', () => {
  test('the widget\'s 12-hour form has no suffix and no leading zero (Ion: "g:i")', () => {
    expect(['08:40', '09:05', '11:59', '12:00', '12:30', '13:05', '16:00', '00:15', '23:59'].map(twelveHour))
      .toEqual(['8:40', '9:05', '11:59', '12:00', '12:30', '1:05', '4:00', '12:15', '11:59'])
    expect(timeRange('10:25', '13:15')).toBe('10:25 – 1:15')
  })

  test('the API writes "H:MM" in 24-hour time', () => {
    expect(['08:40', '10:00', '13:05', '00:00', '08:40:00'].map(apiTime)).toEqual(['8:40', '10:00', '13:05', '0:00', '8:40'])
  })

  test('the colour class comes from the name, plus day-special', () => {
    expect(dayTypeClass('Blue Day', false)).toBe('day-type day-type-blue')
    expect(dayTypeClass('Mod Blue 2-hour delay', false)).toBe('day-type day-type-blue')
    expect(dayTypeClass('RED DAY', false)).toBe('day-type day-type-red')
    expect(dayTypeClass('Anchor Day (Copy)', false)).toBe('day-type day-type-anchor')
    expect(dayTypeClass('Blue Day then anchor day', false)).toBe('day-type day-type-anchor')
    expect(dayTypeClass('Red-letter day', false)).toBe('day-type day-type-other')
    expect(dayTypeClass('Snow Day', true)).toBe('day-type day-type-other day-special')
  })
})
