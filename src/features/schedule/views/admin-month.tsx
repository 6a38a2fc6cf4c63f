import { Errors } from '../../../platform/html/components.tsx'
import { addMonths, isWeekend } from '../dates.ts'
import { longDate, monthName, shortDate, shortMonth } from '../format.ts'
import type { DaySchedule, DayTypeSummary } from '../schedule.sql.ts'

// /schedule/admin?month=YYYY-MM: every date of the month with its day type and comment (one
// small form per date), Ion's default fill and "delete cache", and the list of day types.
// Plain forms that post and come back here (303): nothing needs JavaScript.

export type AdminMonthProps = {
  first: string
  dates: string[]
  days: Map<string, DaySchedule>
  types: DayTypeSummary[]
  errors: string[]
  flash?: string
}

function DayRow({ date, day, types, month }: { date: string; day: DaySchedule | undefined; types: DayTypeSummary[]; month: string }) {
  const id = `d-${date}`
  const current = day?.dayType?.id
  return (
    <li class={isWeekend(date) ? 'admin-day weekend' : 'admin-day'}>
      <form method="post" action="/schedule/admin/day" class="day-form">
        <input type="hidden" name="date" value={date} />
        <input type="hidden" name="month" value={month} />
        <span class="admin-date"><time datetime={date} safe>{shortDate(date)}</time></span>
        <label class="visually-hidden" for={`${id}-type`} safe>{`Day type for ${longDate(date)}`}</label>
        <select id={`${id}-type`} name="day_type">
          <option value="" selected={current === undefined}>No schedule</option>
          {types.map((t) => <option value={String(t.id)} selected={t.id === current} safe>{t.name}</option>)}
        </select>
        <label class="visually-hidden" for={`${id}-comment`} safe>{`Comment for ${longDate(date)}`}</label>
        <input id={`${id}-comment`} type="text" name="comment" value={day?.comment ?? ''} maxlength={500} placeholder="Comment" />
        <button type="submit" class="secondary">Save</button>
      </form>
    </li>
  )
}

export function AdminMonth(p: AdminMonthProps) {
  const month = p.first.slice(0, 7)
  const prev = addMonths(p.first, -1).slice(0, 7)
  const next = addMonths(p.first, 1).slice(0, 7)
  return (
    <section class="schedule-admin" aria-labelledby="admin-title">
      <h1 id="admin-title">Bell schedule</h1>
      <Errors errors={p.errors} />
      {p.flash ? <p class="alert ok" role="status" safe>{p.flash}</p> : ''}
      <nav class="cal-nav month-nav" aria-label="Choose a month">
        <a class="button secondary" href={`/schedule/admin?month=${prev}`} safe>{`‹ ${shortMonth(addMonths(p.first, -1))}`}</a>
        <h2 class="cal-month-name" safe>{monthName(p.first)}</h2>
        <a class="button secondary" href={`/schedule/admin?month=${next}`} safe>{`${shortMonth(addMonths(p.first, 1))} ›`}</a>
      </nav>
      <div class="actions">
        <form method="post" action="/schedule/admin/fill">
          <input type="hidden" name="month" value={month} />
          <button type="submit">Default fill this month</button>
        </form>
        <form method="post" action="/schedule/admin/cache/delete">
          <input type="hidden" name="month" value={month} />
          <button type="submit" class="secondary">Delete cache</button>
        </form>
      </div>
      <p class="muted">Default fill gives every weekday without a schedule Ion's pattern: Monday "Anchor Day", Tuesday and Thursday "Blue Day", Wednesday and Friday "Red Day". A day type of "No schedule" removes the date's schedule.</p>
      <ul class="admin-days">
        {p.dates.map((date) => <DayRow date={date} day={p.days.get(date)} types={p.types} month={month} />)}
      </ul>
      <section class="card" aria-labelledby="types-title">
        <h2 id="types-title">Day types</h2>
        {p.types.length ? (
          <ul class="type-list">
            {p.types.map((t) => (
              <li>
                <a href={`/schedule/daytype/${t.id}`} safe>{t.name}</a>
                {t.special ? <span class="badge warn">Special</span> : ''}
                <span class="muted" safe>{`${t.blockCount} ${t.blockCount === 1 ? 'block' : 'blocks'}, ${t.dayCount} ${t.dayCount === 1 ? 'day' : 'days'}`}</span>
              </li>
            ))}
          </ul>
        ) : <p>There are no day types yet.</p>}
        <p><a class="button" href="/schedule/daytype/new">New day type</a></p>
      </section>
    </section>
  )
}
