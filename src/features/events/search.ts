import type { Deps } from '../../platform/http.ts'
import type { SearchHit, SearchSection } from '../../platform/registry.ts'
import { richTextExcerpt } from '../../platform/richtext.ts'
import { isRestricted } from '../../platform/viewer.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'
import { schoolYear } from '../schedule/dates.ts'
import { searchEvents } from './search.sql.ts'
import { scopeOf } from './service.ts'
import { whenText } from './views/item.tsx'

// The directory search's "Events" section (ion-apps.md §5): this school year's events the viewer
// may see, every word in the title or description. As in Ion, event hits do not keep a search
// that finds one person from opening the profile.

const HITS = 20

export function eventSearchSection(deps: Deps): SearchSection {
  return {
    id: 'events', title: 'Events', order: 30, holdsRedirect: false, visible: (v) => !isRestricted(v),
    find: async ({ viewer, words, today }): Promise<SearchHit[]> => {
      const tz = deps.config.schoolTz
      const year = schoolYear(today, deps.config.yearTurnoverMonth)
      const from = zonedInstant(year.from, '00:00', tz)
      const to = zonedInstant(addDays(year.to, 1), '00:00', tz)
      const rows = await searchEvents(deps.sql, scopeOf(viewer), words, from, to, HITS)
      return rows.map((e) => {
        const about = richTextExcerpt(e.description, 120)
        const when = `${whenText(e, tz, true)}${e.location ? ` · ${e.location}` : ''}`
        return { title: e.title, href: `/events/${e.id}`, detail: about ? `${when} — ${about}` : when }
      })
    },
  }
}
