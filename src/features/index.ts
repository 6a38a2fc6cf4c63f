import type { Base } from '../platform/http.ts'
import { platformRoutes } from './platform/routes.tsx'
import { accountsFeature } from './auth/index.ts'
import { mailAdminRoutes } from './mailadmin/routes.tsx'
import { eighthFeature } from './eighth/index.ts'
import { directoryFeature } from './directory/index.ts'
import { photosFeature } from './photos/index.ts'
import { groupsFeature } from './groups/index.ts'
import { scheduleFeature } from './schedule/index.ts'
import { busFeature } from './bus/index.ts'
import { announcementsFeature } from './announcements/index.ts'
import { pollsFeature } from './polls/index.ts'
import { eventsFeature } from './events/index.ts'
import { emergFeature } from './emerg/index.tsx'
import { welcomeFeature } from './welcome/index.tsx'

/** Every feature plugin, in mount order. Each registers its nav items, widgets and sections. */
export const FEATURES: ((base: Base) => any)[] = [platformRoutes, accountsFeature, mailAdminRoutes, eighthFeature, photosFeature, groupsFeature, directoryFeature, scheduleFeature, busFeature, announcementsFeature, pollsFeature, eventsFeature, emergFeature, welcomeFeature]
