import type { Base } from '../platform/http.ts'
import { platformRoutes } from './platform/routes.tsx'
import { accountsFeature } from './auth/index.ts'

/** Every feature plugin, in mount order. Each registers its nav items, widgets and sections. */
export const FEATURES: ((base: Base) => any)[] = [platformRoutes, accountsFeature]
