import { Elysia } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { eighthBlockApi } from './api-blocks.ts'
import { eighthSignupApi } from './api-signups.ts'

/** Ion's REST API for eighth period under /api (ion-eighth.md §4): blocks, activities, signups. */
export function eighthApiRoutes(base: Base) {
  return new Elysia({ name: 'eighth-api' })
    .use(eighthBlockApi(base))
    .use(eighthSignupApi(base))
}
