import { Elysia } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base } from '../../platform/http.ts'
import { isPartial, page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'
import { eventById, eventsBetween, ownOpenRequests, pendingEvents } from './events.sql.ts'
import { ctx, flashOf, idParam, refused, act, type Ctx } from './route-kit.ts'
import { isEventsAdmin, NOT_FOUND, rosterFor, rsvp, rsvpRefusal, scopeOf } from './service.ts'
import { CalendarPage, monthGrid, type CalendarModel } from './views/calendar.tsx'
import { EventDetail, RsvpBox, type DetailModel } from './views/detail.tsx'
import { byDay, EventsPage, mondayOf } from './views/list.tsx'
import { EventsCss } from './views/style.tsx'

// Reading events: the upcoming list, the week/month calendar, one event with its RSVP box and
// roster, and RSVP itself (join/leave, htmx-enhanced).

const LATER_DAYS = 31
const DATE = /^\d{4}-\d{2}-\d{2}$/

const midnight = (c: Ctx, date: string) => zonedInstant(date, '00:00', c.deps.config.schoolTz)

async function listPage(c: Ctx) {
  const today = c.deps.clock.today()
  const scope = scopeOf(c.viewer)
  const nextMonday = addDays(mondayOf(today), 7)
  const admin = isEventsAdmin(c.viewer)
  const [week, later, pending, own] = await Promise.all([
    eventsBetween(c.deps.sql, scope, midnight(c, today), midnight(c, nextMonday)),
    eventsBetween(c.deps.sql, scope, midnight(c, nextMonday), midnight(c, addDays(today, LATER_DAYS))),
    admin ? pendingEvents(c.deps.sql) : Promise.resolve([]),
    admin ? Promise.resolve([]) : ownOpenRequests(c.deps.sql, c.viewer.id, c.deps.clock.now()),
  ])
  // "Later this month" starts after this week: an event spanning Sunday night shows once.
  const inWeek = new Set(week.map((e) => e.id))
  const m = { tz: c.deps.config.schoolTz, week, later: later.filter((e) => !inWeek.has(e.id)), pending, own, admin }
  return page(c, 'Events', <><EventsCss /><EventsPage m={m} /></>, { flash: flashOf(c) })
}

function validDate(s: string | undefined, fallback: string): string {
  if (s === undefined || s === '') return fallback
  const d = new Date(`${s}T00:00:00Z`)
  const ok = DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '2000-01-01' && s <= '2199-12-31'
  if (!ok) throw new HttpError(422, `“${s.slice(0, 40)}” is not a date. Use YYYY-MM-DD.`)
  return s
}

async function calendarPage(c: Ctx) {
  const view = c.query.view === 'month' ? 'month' : 'week'
  const today = c.deps.clock.today()
  const date = validDate(c.query.date, today)
  const tz = c.deps.config.schoolTz
  let weeks: string[][]
  let month: string | null = null
  let title: string
  let prev: string, next: string
  if (view === 'week') {
    const monday = mondayOf(date)
    weeks = [[0, 1, 2, 3, 4, 5, 6].map((i) => addDays(monday, i))]
    title = `Week of ${new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', day: 'numeric', year: 'numeric' }).format(new Date(`${monday}T00:00:00Z`))}`
    prev = addDays(monday, -7)
    next = addDays(monday, 7)
  } else {
    month = `${date.slice(0, 7)}-01`
    weeks = monthGrid(month, mondayOf)
    title = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${month}T00:00:00Z`))
    const [y, mo] = month.split('-').map(Number) as [number, number]
    prev = new Date(Date.UTC(y, mo - 2, 1)).toISOString().slice(0, 10)
    next = new Date(Date.UTC(y, mo, 1)).toISOString().slice(0, 10)
  }
  const first = weeks[0]![0]!
  const last = weeks[weeks.length - 1]![6]!
  const events = await eventsBetween(c.deps.sql, scopeOf(c.viewer), midnight(c, first), midnight(c, addDays(last, 1)))
  const m: CalendarModel = {
    view, title, tz, today, weeks, month, days: byDay(events, tz), admin: isEventsAdmin(c.viewer),
    links: { prev: `/events/calendar?view=${view}&date=${prev}`, next: `/events/calendar?view=${view}&date=${next}`, today: `/events/calendar?view=${view}` },
  }
  return page(c, title, <><EventsCss /><CalendarPage m={m} /></>)
}

async function detailModel(c: Ctx, id: number): Promise<DetailModel> {
  const e = await eventById(c.deps.sql, scopeOf(c.viewer), id)
  if (!e) throw new HttpError(404, NOT_FOUND)
  const roster = e.showAttending ? await rosterFor(c.deps, c.viewer, e) : null
  return { e, tz: c.deps.config.schoolTz, admin: isEventsAdmin(c.viewer), rsvpBlocked: rsvpRefusal(e, c.deps.clock.now()), roster }
}

async function detailPage(c: Ctx) {
  const m = await detailModel(c, idParam(c))
  return page(c, m.e.title, <><EventsCss /><EventDetail m={m} /></>, { flash: flashOf(c) })
}

async function join(c: Ctx) {
  const id = idParam(c)
  const raw = (c.body as Record<string, unknown> | null)?.attending
  if (raw !== 'true' && raw !== 'false') throw new HttpError(422, 'Say whether you are going: attending=true or attending=false.')
  const r = await rsvp(act(c), id, raw === 'true')
  if (!r.ok) {
    return refused(c, r, async (errors) => {
      const m = await detailModel(c, id)
      return isPartial(c.request) ? (<RsvpBox m={m} errors={errors} />) as string : page(c, m.e.title, <><EventsCss /><EventDetail m={m} /></>, { flash: errors.join(' ') })
    })
  }
  if (isPartial(c.request)) return (<RsvpBox m={await detailModel(c, id)} />) as string
  return redirect(c.request, `/events/${id}?done=${raw === 'true' ? 'going' : 'not_going'}`)
}

export function eventReadRoutes(base: Base) {
  return new Elysia({ name: 'events-read' })
    .use(base)
    .get('/events', (c) => listPage(ctx(c)), { policy: 'member' })
    .get('/events/calendar', (c) => calendarPage(ctx(c)), { policy: 'member' })
    .get('/events/:id', (c) => detailPage(ctx(c)), { policy: 'member' })
    .get('/events/roster/:id', (c) => redirect(c.request, `/events/${idParam(ctx(c))}#rsvp`), { policy: 'member' })
    .get('/events/join/:id', (c) => redirect(c.request, `/events/${idParam(ctx(c))}#rsvp`), { policy: 'member' })
    .post('/events/join/:id', (c) => join(ctx(c)), { policy: 'member' })
}
