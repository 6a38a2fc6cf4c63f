import { assetUrl } from '../../../platform/html/assets.ts'
import { isWeekend, type Resolved } from '../dates.ts'
import { dayTypeClass, longDate, timeRange } from '../format.ts'
import type { DaySchedule } from '../schedule.sql.ts'

// One day's bell schedule. `BellDay` is the one partial with two uses: inside the widget, the
// public view and the embed page, and alone as the htmx answer when an arrow pages to another
// day (it replaces itself: hx-swap="outerHTML"). public/schedule.js reads data-date, data-tz
// and each row's data-start/data-end ('HH:MM', 24-hour) to mark the block in progress.

export type BellDayProps = { day: DaySchedule; r: Resolved; base: string; tz: string }

export function BellDay({ day, r, base, tz }: BellDayProps) {
  const t = day.dayType
  const arrow = (date: string, rel: 'prev' | 'next') => (
    <a
      class="bell-arrow"
      href={`${base}?date=${date}`}
      hx-get={`${base}?date=${date}`}
      hx-target="#bell-day"
      hx-swap="outerHTML"
      aria-label={`${rel === 'prev' ? 'Previous' : 'Next'} school day: ${longDate(date)}`}
    >
      <span aria-hidden="true">{rel === 'prev' ? '‹' : '›'}</span>
    </a>
  )
  return (
    <div class="bell-day" id="bell-day" data-date={day.date} data-tz={tz}>
      <div class="bell-nav">
        {arrow(r.prev, 'prev')}
        <p class="bell-date"><time datetime={day.date} safe>{longDate(day.date)}</time></p>
        {arrow(r.next, 'next')}
      </div>
      {t ? (
        <>
          <p class={dayTypeClass(t.name, t.special)}>
            <span class="day-name" safe>{t.name}</span>
            {day.comment ? <span class="day-comment" safe>{day.comment}</span> : ''}
          </p>
          {t.blocks.length ? (
            <ul class="bell-blocks">
              {t.blocks.map((b) => (
                <li class="bell-block" data-start={b.start} data-end={b.end}>
                  <span class="bell-name" safe>{`${b.name}:`}</span> <span class="bell-time" safe>{timeRange(b.start, b.end)}</span>
                </li>
              ))}
            </ul>
          ) : ''}
        </>
      ) : (
        <p class="bell-none">{isWeekend(day.date) ? 'No school' : 'No schedule available'}</p>
      )}
    </div>
  )
}

/** The part around BellDay that stays put while it pages: a live region so the new day is read out. */
export function BellFrame(p: BellDayProps) {
  return (
    <div class="bell-schedule" aria-live="polite">
      <BellDay {...p} />
    </div>
  )
}

/** schedule.js, loaded only where a bell schedule is (an external file: CSP script-src 'self'). */
export const bellScript = () => <script src={assetUrl('schedule.js')} defer></script>

/** The dashboard widget. */
export function BellWidget(p: BellDayProps) {
  return (
    <>
      <h2>Bell schedule</h2>
      <BellFrame {...p} />
      <p class="bell-links"><a href="/schedule">Calendar</a></p>
      {bellScript()}
    </>
  )
}
