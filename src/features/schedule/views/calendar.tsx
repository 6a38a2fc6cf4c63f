import { dayTypeClass, longDate, monthName, shortDate, timeRange } from '../format.ts'
import type { DaySchedule } from '../schedule.sql.ts'

// /schedule: the week (five weekdays, each with its blocks) and the month (Mon–Fri weeks, each
// day's type), with previous / today / next links. Plain links: no script needed.

export type CalendarProps = {
  view: 'week' | 'month'
  title: string
  /** Week view: its five dates. Month view: its weeks. */
  weeks: string[][]
  month: string | null
  days: Map<string, DaySchedule>
  today: string
  links: { prev: string; next: string; today: string; week: string; month: string }
  canAdmin: boolean
}

function DayTypeLine({ day }: { day: DaySchedule | undefined }) {
  const t = day?.dayType
  if (!t) return <p class="bell-none">No schedule</p>
  return (
    <p class={dayTypeClass(t.name, t.special)}>
      <span class="day-name" safe>{t.name}</span>
      {day.comment ? <span class="day-comment" safe>{day.comment}</span> : ''}
    </p>
  )
}

function WeekView({ weeks, days, today }: CalendarProps) {
  return (
    <ol class="cal-week">
      {(weeks[0] ?? []).map((date) => {
        const day = days.get(date)
        return (
          <li class={date === today ? 'cal-day card is-today' : 'cal-day card'}>
            <h2><time datetime={date} safe>{longDate(date)}</time>{date === today ? <span class="badge">Today</span> : ''}</h2>
            <DayTypeLine day={day} />
            {day?.dayType?.blocks.length ? (
              <ul class="bell-blocks compact">
                {day.dayType.blocks.map((b) => (
                  <li class="bell-block"><span class="bell-name" safe>{`${b.name}:`}</span> <span class="bell-time" safe>{timeRange(b.start, b.end)}</span></li>
                ))}
              </ul>
            ) : ''}
          </li>
        )
      })}
    </ol>
  )
}

const WEEKDAYS = [['Mon', 'Monday'], ['Tue', 'Tuesday'], ['Wed', 'Wednesday'], ['Thu', 'Thursday'], ['Fri', 'Friday']] as const

function MonthView({ weeks, days, today, month }: CalendarProps) {
  return (
    <div class="table-wrap">
      <table class="cal-month">
        {month ? <caption class="visually-hidden" safe>{monthName(month)}</caption> : ''}
        <thead>
          <tr>{WEEKDAYS.map(([short, long]) => <th scope="col"><abbr title={long}>{short}</abbr></th>)}</tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr>
              {week.map((date) => {
                const day = days.get(date)
                const outside = month !== null && !date.startsWith(month.slice(0, 7))
                const cls = ['cal-cell', outside ? 'outside' : '', date === today ? 'is-today' : ''].filter(Boolean).join(' ')
                return (
                  <td class={cls}>
                    <a href={`/schedule?date=${date}`}>
                      <span class="visually-hidden" safe>{`${longDate(date).replace(/ \d+$/, '')} `}</span>
                      <span class="cal-num" safe>{String(Number(date.slice(8)))}</span>{' '}
                      {day?.dayType
                        ? <span class={dayTypeClass(day.dayType.name, day.dayType.special)} safe>{day.dayType.name}</span>
                        : <span class="bell-none">no schedule</span>}
                    </a>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function Calendar(p: CalendarProps) {
  const unit = p.view === 'week' ? 'week' : 'month'
  return (
    <section class="schedule-calendar" aria-labelledby="cal-title">
      <h1 id="cal-title" safe>{p.title}</h1>
      <div class="cal-bar">
        <nav class="cal-nav" aria-label={`Choose a ${unit}`}>
          <a class="button secondary" href={p.links.prev}>‹ Previous<span class="visually-hidden" safe>{` ${unit}`}</span></a>
          <a class="button secondary" href={p.links.today}>Today</a>
          <a class="button secondary" href={p.links.next}>Next<span class="visually-hidden" safe>{` ${unit}`}</span> ›</a>
        </nav>
        <nav class="cal-views" aria-label="Calendar view">
          <a href={p.links.week} aria-current={p.view === 'week' ? 'page' : undefined}>Week</a>
          <a href={p.links.month} aria-current={p.view === 'month' ? 'page' : undefined}>Month</a>
        </nav>
      </div>
      {p.view === 'week' ? <WeekView {...p} /> : <MonthView {...p} />}
      {p.canAdmin ? <p><a href={`/schedule/admin?month=${(p.month ?? p.weeks[0]?.[0] ?? p.today).slice(0, 7)}`}>Edit the bell schedule</a></p> : ''}
    </section>
  )
}

/** "Week of Mon, Nov 30" */
export const weekTitle = (monday: string) => `Week of ${shortDate(monday)}`
