import { Elysia } from 'elysia'
import scheduleJs from '../../../public/schedule.js' with { type: 'file' }
import { registerAsset } from '../../platform/html/assets.ts'
import { depsOf, type Base } from '../../platform/http.ts'
import { scheduleAdminRoutes } from './admin-routes.tsx'
import { scheduleApiRoutes } from './api.ts'
import { registerScheduleShared } from './register.tsx'
import { schedulePageRoutes } from './routes.tsx'

// The bell schedule (ion-apps.md §11): day types and their blocks, the day type of each date,
// the calendar, the dashboard widget, public and embeddable day pages, the admin, and the API.
// Other features (bus, eighth, signage) use scheduleFor and endOfSchoolDay.

export { endOfSchoolDay, scheduleFor, schoolDayBounds, type DaySchedule } from './service.ts'

registerAsset('schedule.js', scheduleJs)

export function scheduleFeature(base: Base) {
  registerScheduleShared(depsOf(base))
  return new Elysia({ name: 'schedule' })
    .use(schedulePageRoutes(base))
    .use(scheduleAdminRoutes(base))
    .use(scheduleApiRoutes(base))
}
