import type { SeedStep } from '../../platform/registry.ts'
import { routeCount, upsertRoutes, type NewRoute } from './bus.sql.ts'
import { assignDemoRiders } from './riders.sql.ts'

// `seed --demo`: 60 routes (JT-1 … JT-40 and a few AC, LC and PW routes, with bus numbers) and
// about four in five students riding one. When routes exist already the step adds nothing.

export function demoRoutes(): NewRoute[] {
  const names = [
    ...Array.from({ length: 40 }, (_, i) => `JT-${i + 1}`),
    ...Array.from({ length: 8 }, (_, i) => `AC-${i + 1}`),
    ...Array.from({ length: 6 }, (_, i) => `LC-${i + 1}`),
    ...Array.from({ length: 6 }, (_, i) => `PW-${i + 1}`),
  ]
  return names.map((routeName, i) => ({ routeName, busNumber: String(2000 + ((i * 397) % 7000)) }))
}

export const busDemoSeed: SeedStep = {
  name: 'bus routes demo',
  order: 30,
  run: async ({ sql, clock }) => sql.begin(async (tx) => {
    if ((await routeCount(tx)) > 0) return '0 new (routes exist)'
    const { added } = await upsertRoutes(tx, demoRoutes(), clock.now())
    const riders = await assignDemoRiders(tx)
    return `${added} routes, ${riders} riders`
  }),
}
