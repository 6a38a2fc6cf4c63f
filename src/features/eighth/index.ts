import { Elysia } from 'elysia'
import { depsOf, type Base } from '../../platform/http.ts'
import { registerEighthShared } from './register.ts'
import { favoriteRoutes } from './favorite-routes.tsx'
import { liveSeatRoutes } from './live-seats.tsx'
import { profileRoutes } from './profile-routes.tsx'
import { signupRoutes } from './signup-routes.tsx'
import { eighthApiRoutes } from './api-routes.ts'

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
}
