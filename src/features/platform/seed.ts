import type { SeedStep } from '../../platform/registry.ts'
import { insertMissingSettings } from './platform.sql.ts'

/** The school's settings, from the configuration (kept when already set). */
export const platformSeed: SeedStep = {
  name: 'school settings',
  order: 0,
  run: async ({ sql, config }) => {
    const rows = [
      { key: 'school.name', value: config.schoolName },
      { key: 'school.tz', value: config.schoolTz },
    ]
    const inserted = await insertMissingSettings(sql, rows)
    return `${inserted.length} new`
  },
}
