import { addDays } from '../../../platform/zoned.ts'
import type { EventRow } from '../events.sql.ts'
import { EventList } from './item.tsx'
import { EventsNav } from './list.tsx'

// /events/calendar: a week (Monday to Sunday, each day with its events) or a month (a grid of
// Monday–Sunday weeks whose days show how many events they hold and link to that day in the list
// below it). Plain links move between weeks and months; no script needed. Phones see the grid
// as small numbered cells and read the list.

export type CalendarModel = {
  view: 'week' | 'month'
  title: string
  tz: string
  today: string
  /** Week: one row of 7 dates. Month: its weeks. */
  weeks: string[][]
  /** For the month view: 'YYYY-MM-01'. */
  month: string | null
  days: Map<string, EventRow[]>
  links: { prev: string; next: string; today: string }
  admin: boolean
}

const longDay = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' }).format(Date.UTC(y, m - 1, d))
}

function WeekView({ m }: { m: CalendarModel }) {
  return (
    <ol class="event-week">
      {(m.weeks[0] ?? []).map((date) => (
        <li class={date === m.today ? 'card event-day is-today' : 'card event-day'} id={`day-${date}`}>
          <h2><time datetime={date} safe>{longDay(date)}</time>{date === m.today ? <> <span class="badge">Today</span></> : ''}</h2>
          <EventList events={m.days.get(date) ?? []} tz={m.tz} empty="No events." level={3} />
        </li>
      ))}
    </ol>
  )
}

const WEEKDAYS = [['Mon', 'Monday'], ['Tue', 'Tuesday'], ['Wed', 'Wednesday'], ['Thu', 'Thursday'], ['Fri', 'Friday'], ['Sat', 'Saturday'], ['Sun', 'Sunday']] as const

function MonthView({ m }: { m: CalendarModel }) {
  const inMonth = (d: string) => m.month !== null && d.startsWith(m.month.slice(0, 7))
  const listed = m.weeks.flat().filter((d) => inMonth(d) && m.days.get(d)?.length)
  return (
    <>
      <div class="table-wrap">
        <table class="event-month">
          <caption class="visually-hidden" safe>{m.title}</caption>
          <thead><tr>{WEEKDAYS.map(([s, l]) => <th scope="col"><abbr title={l}>{s}</abbr></th>)}</tr></thead>
          <tbody>
            {m.weeks.map((week) => (
              <tr>
                {week.map((date) => {
                  const n = m.days.get(date)?.length ?? 0
                  const cls = ['cal-cell', inMonth(date) ? '' : 'outside', date === m.today ? 'is-today' : '', n ? 'has-events' : ''].filter(Boolean).join(' ')
                  const label = `${longDay(date)}: ${n ? `${n} ${n === 1 ? 'event' : 'events'}` : 'no events'}`
                  return (
                    <td class={cls}>
                      {n && inMonth(date) ? (
                        <a href={`#day-${date}`}>
                          <span class="visually-hidden" safe>{label}</span>
                          <span class="cal-num" aria-hidden="true" safe>{String(Number(date.slice(8)))}</span><span class="cal-count" aria-hidden="true" safe>{String(n)}</span>
                        </a>
                      ) : <span class="cal-num" safe>{String(Number(date.slice(8)))}</span>}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {listed.length ? (
        <ol class="event-agenda">
          {listed.map((date) => (
            <li id={`day-${date}`} class={date === m.today ? 'card event-day is-today' : 'card event-day'}>
              <h2><time datetime={date} safe>{longDay(date)}</time></h2>
              <EventList events={m.days.get(date)!} tz={m.tz} empty="" />
            </li>
          ))}
        </ol>
      ) : <p class="muted">No events this month.</p>}
    </>
  )
}

export function CalendarPage({ m }: { m: CalendarModel }) {
  return (
    <section class="events-page" aria-labelledby="cal-h">
      <h1 id="cal-h" safe>{m.title}</h1>
      <EventsNav admin={m.admin} current={m.view} />
      <nav class="cal-nav" aria-label={m.view === 'week' ? 'Weeks' : 'Months'}>
        <a href={m.links.prev} rel="prev">← Previous<span class="visually-hidden" safe>{` ${m.view}`}</span></a>
        {m.view === 'week' ? <a href={m.links.today}>This week</a> : <a href={m.links.today}>This month</a>}
        <a href={m.links.next} rel="next">Next<span class="visually-hidden" safe>{` ${m.view}`}</span>{' →'}</a>
      </nav>
      {m.view === 'week' ? <WeekView m={m} /> : <MonthView m={m} />}
    </section>
  )
}

/** The Monday-to-Sunday weeks covering a month ('YYYY-MM-01'). */
export function monthGrid(first: string, monday: (d: string) => string): string[][] {
  const weeks: string[][] = []
  let d = monday(first)
  const [y, mo] = first.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10)
  while (d <= last) {
    weeks.push([0, 1, 2, 3, 4, 5, 6].map((i) => addDays(d, i)))
    d = addDays(d, 7)
  }
  return weeks
}
