import type { SeedStep } from '../../platform/registry.ts'

/** The school's settings, from the configuration (kept when already set). */
export const platformSeed: SeedStep = {
  name: 'school settings',
  order: 0,
  run: async ({ sql, config }) => {
    const rows = [
      { key: 'school.name', value: config.schoolName },
      { key: 'school.tz', value: config.schoolTz },
    ]
    const inserted = await sql`
      INSERT INTO settings ${sql(rows.map((r) => ({ key: r.key, value: JSON.stringify(r.value) })))}
      ON CONFLICT (key) DO NOTHING RETURNING key`
    return `${inserted.length} new`
  },
}
