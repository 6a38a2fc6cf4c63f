import type { SeedStep } from '../../platform/registry.ts'
import { analyzeAll, insertMissingSettings } from './platform.sql.ts'

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

/** Last: fresh planner statistics for what the steps before loaded (plans chosen for empty tables were slow). */
export const analyzeSeed: SeedStep = {
  name: 'analyze',
  order: 1000,
  run: async ({ sql }) => {
    await analyzeAll(sql)
  },
}
