import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { HttpError } from '../../platform/errors.ts'
import { isPartial, page } from '../../platform/html/page.tsx'
import { hasPerm, type Viewer } from '../../platform/viewer.ts'
import { addDays } from '../../platform/zoned.ts'
import { addMonths, badDateMessage, monthWeeks, resolveDate, weekDates, type Resolved } from './dates.ts'
import { monthName } from './format.ts'
import { daysBetween } from './schedule.sql.ts'
import { scheduleFor } from './service.ts'
import { Calendar, weekTitle } from './views/calendar.tsx'
import { BellDay, BellFrame, BellWidget, type BellDayProps } from './views/day.tsx'
import { EmbedPage } from './views/embed.tsx'

// The bell schedule's pages: the calendar (/schedule), the widget's paging endpoint, the public
// day view and the embeddable page. Each day page answers an htmx partial request (an arrow)
// with BellDay alone, and anything else with the whole page.

type Ctx = { deps: Deps; viewer: Viewer | null; request: Request; path: string; set: { headers: Record<string, unknown> } }

const dateQuery = () => t.Object({ date: t.Optional(t.String({ maxLength: 100 })) })

function resolved(deps: Deps, asked: string | undefined): Resolved {
  const r = resolveDate(asked, deps.clock.now(), deps.config.schoolTz)
  if (!r) throw new HttpError(400, badDateMessage(asked ?? ''))
  return r
}

/** The day's props for BellDay, with the arrows pointing back at `base`. */
export async function bellProps(deps: Deps, asked: string | undefined, base: string): Promise<BellDayProps> {
  const r = resolved(deps, asked)
  return { day: await scheduleFor(deps, r.date), r, base, tz: deps.config.schoolTz }
}

function fragment(c: Ctx, p: BellDayProps): string {
  c.set.headers['vary'] = 'HX-Request, HX-Request-Type'
  return (<BellDay {...p} />) as string
}

async function calendar(c: Ctx & { viewer: Viewer }, asked: string | undefined, view: string | undefined) {
  const r = resolved(c.deps, asked)
  const month = view === 'month'
  const first = `${r.date.slice(0, 7)}-01`
  const weeks = month ? monthWeeks(first) : [weekDates(r.date)]
  const from = weeks[0]![0]!, to = weeks[weeks.length - 1]![4]!
  const days = new Map((await daysBetween(c.deps.sql, from, to)).map((d) => [d.date, d]))
  const href = (date: string, m = month) => (m ? `/schedule?view=month&date=${date}` : `/schedule?date=${date}`)
  const title = month ? monthName(first) : weekTitle(from)
  return page(c, month ? `Schedule · ${title}` : 'Schedule', (
    <Calendar
      view={month ? 'month' : 'week'}
      title={title}
      weeks={weeks}
      month={month ? first : null}
      days={days}
      today={c.deps.clock.today()}
      links={{
        prev: month ? href(addMonths(first, -1)) : href(addDays(from, -7)),
        next: month ? href(addMonths(first, 1)) : href(addDays(from, 7)),
        today: month ? '/schedule?view=month' : '/schedule',
        week: href(r.date, false),
        month: href(r.date, true),
      }}
      canAdmin={hasPerm(c.viewer, 'admin_schedule')}
    />
  ))
}

export function schedulePageRoutes(base: Base) {
  return new Elysia({ name: 'schedule-pages' })
    .use(base)
    .get('/schedule', (c) => calendar(c, c.query.date, c.query.view), {
      policy: 'user',
      query: t.Object({ date: t.Optional(t.String({ maxLength: 100 })), view: t.Optional(t.String({ maxLength: 20 })) }),
    })

    // The dashboard widget's arrows: the day alone for htmx, else a page with the widget on it.
    .get('/schedule/widget', async (c) => {
      const p = await bellProps(c.deps, c.query.date, '/schedule/widget')
      if (isPartial(c.request)) return fragment(c, p)
      return page(c, 'Bell schedule', <section class="widget card bell-page"><BellWidget {...p} /></section>)
    }, { policy: 'user', query: dateQuery() })

    .get('/schedule/view', async (c) => {
      const p = await bellProps(c.deps, c.query.date, '/schedule/view')
      if (isPartial(c.request)) return fragment(c, p)
      return page(c, 'Bell schedule', (
        <section class="card bell-page" aria-labelledby="bell-title">
          <h1 id="bell-title">Bell schedule</h1>
          <BellFrame {...p} />
          {c.viewer ? <p class="bell-links"><a href="/schedule">Calendar</a></p> : ''}
        </section>
      ), { scripts: ['schedule.js'] })
    }, { open: 'anonymous', query: dateQuery() })

    .get('/schedule/embed', async (c) => {
      const p = await bellProps(c.deps, c.query.date, '/schedule/embed')
      if (isPartial(c.request)) return fragment(c, p)
      c.set.headers['vary'] = 'HX-Request, HX-Request-Type'
      return (<EmbedPage {...p} schoolName={c.deps.config.schoolName} />) as string
    }, { open: 'anonymous', query: dateQuery() })
}
