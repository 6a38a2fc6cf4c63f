import { Elysia } from 'elysia'
import { depsOf, type Base } from '../../platform/http.ts'
import { registerEighthShared } from './register.ts'
import { favoriteRoutes } from './favorite-routes.tsx'
import { liveSeatRoutes } from './live-seats.tsx'
import { profileRoutes } from './profile-routes.tsx'
import { signupRoutes } from './signup-routes.tsx'
import { eighthApiRoutes } from './api-routes.ts'
import { movesFeature } from './admin/moves/index.tsx'
import { attendanceFeature } from './attendance/index.ts'
import { reportsFeature } from './admin/reports/index.ts'
import { officeCatalogFeature } from './admin/catalog/index.ts'

/**
 * Eighth period: one plugin for every eighth route. Each part is its own small plugin;
 * add new ones to the `.use(...)` list below.
 */
export function eighthFeature(base: Base) {
  registerEighthShared(depsOf(base))
  return new Elysia({ name: 'eighth' })
    .use(signupRoutes(base))
    .use(favoriteRoutes(base))
    .use(liveSeatRoutes(base))
    .use(profileRoutes(base))
    .use(eighthApiRoutes(base))
    .use(movesFeature(base))
    .use(attendanceFeature(base))
    .use(reportsFeature(base))
    .use(officeCatalogFeature(base))
}
