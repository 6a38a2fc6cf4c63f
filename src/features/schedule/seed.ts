import type { SeedStep } from '../../platform/registry.ts'
import { insertDayType, replaceBlocks, type BlockInput } from './admin.sql.ts'
import { schoolYear } from './dates.ts'
import { defaultFill } from './fill.ts'
import { dayTypeIdsByName } from './schedule.sql.ts'

// `seed --demo` for the bell schedule: Ion's three day types (an Anchor Day of eight short
// periods; a Blue Day of periods 1–4 and a Red Day of periods 5–8 as long blocks, each with
// eighth period, 8A and 8B), then the default fill for every weekday of the current school year. Idempotent: a day type that exists
// by name is left alone, and dates that have a schedule keep it.
// Note: the seed has no Redis; a schedule cached before seeding shows until an admin edit or
// "delete cache" (or a week).

const rows = (list: [string, string, string][]): BlockInput[] => list.map(([name, start, end], i) => ({ order: i + 1, name, start, end }))

export const DEMO_DAY_TYPES: { name: string; blocks: BlockInput[] }[] = [
  {
    name: 'Anchor Day',
    blocks: rows([
      ['Period 1', '08:40', '09:20'], ['Period 2', '09:30', '10:10'], ['Period 3', '10:20', '11:00'], ['Period 4', '11:10', '11:50'],
      ['Lunch', '11:50', '12:30'], ['Period 5', '12:40', '13:20'], ['Period 6', '13:30', '14:10'], ['Period 7', '14:20', '15:00'],
      ['Period 8', '15:10', '16:00'],
    ]),
  },
  {
    name: 'Blue Day',
    blocks: rows([
      ['Period 1', '08:40', '09:50'], ['Period 2', '10:00', '11:10'], ['Period 3', '11:20', '12:30'], ['Lunch', '12:30', '13:00'],
      ['Period 4', '13:10', '14:20'], ['8A', '14:30', '15:10'], ['8B', '15:20', '16:00'],
    ]),
  },
  {
    name: 'Red Day',
    blocks: rows([
      ['Period 5', '08:40', '09:50'], ['Period 6', '10:00', '11:10'], ['Period 7', '11:20', '12:30'], ['Lunch', '12:30', '13:00'],
      ['Period 8', '13:10', '14:20'], ['8A', '14:30', '15:10'], ['8B', '15:20', '16:00'],
    ]),
  },
]

export const scheduleDemoSeed: SeedStep = {
  name: 'bell schedule demo',
  order: 15,
  run: async ({ sql, clock, config }) => sql.begin(async (tx) => {
    const now = clock.now()
    const existing = await dayTypeIdsByName(tx, DEMO_DAY_TYPES.map((t) => t.name))
    let created = 0
    for (const t of DEMO_DAY_TYPES) {
      if (existing.has(t.name.toLowerCase())) continue
      const id = await insertDayType(tx, { name: t.name, special: false, codenames: [] }, now)
      await replaceBlocks(tx, id, t.blocks)
      created++
    }
    const year = schoolYear(clock.today(), config.yearTurnoverMonth)
    const r = await defaultFill(tx, year.from, year.to, now)
    const filled = r.ok ? r.filled.length : 0
    return `${created} day types, ${filled} days new (${year.from} – ${year.to})`
  }),
}
