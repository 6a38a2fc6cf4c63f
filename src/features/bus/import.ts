import { CsvError, parseCsv } from '../../platform/csv.ts'
import { upsertRoutes, type NewRoute } from './bus.sql.ts'
import { writeBoard, type BoardEnv } from './writes.ts'

// `ion import routes <file>`: a CSV of route_name, bus_number (the header row is optional, and so
// is the bus number: Ion's file was one route name per line). Existing routes (same name, any
// case) get the file's bus number; routes are never deleted (students point at them).

export type RoutePlan = { rows: (NewRoute & { line: number })[]; errors: { line: number; message: string }[] }

const CONTROL = /[\u0000-\u001f\u007f]/

export function planRoutes(text: string): RoutePlan {
  const plan: RoutePlan = { rows: [], errors: [] }
  let records
  try {
    records = parseCsv(text)
  } catch (e) {
    if (e instanceof CsvError) return { rows: [], errors: [{ line: e.line, message: e.reason }] }
    throw e
  }
  const first = records[0]?.fields.map((f) => f.trim().toLowerCase())
  if (first?.[0] === 'route_name' || first?.[0] === 'route') records = records.slice(1)
  const seen = new Map<string, number>()
  for (const { line, fields } of records) {
    const [name = '', bus = '', ...rest] = fields.map((f) => f.trim())
    const err = (message: string) => plan.errors.push({ line, message })
    if (rest.some((x) => x !== '')) { err('expected two columns: route_name, bus_number'); continue }
    if (!name) { err('the route name is empty'); continue }
    if (name.length > 30 || CONTROL.test(name)) { err(`route name "${name.slice(0, 40)}" is longer than 30 characters or has control characters`); continue }
    if (bus.length > 5 || CONTROL.test(bus)) { err(`bus number "${bus.slice(0, 20)}" is longer than 5 characters`); continue }
    const key = name.toLowerCase()
    const dup = seen.get(key)
    if (dup !== undefined) { err(`route "${name}" is already on line ${dup}`); continue }
    seen.set(key, line)
    plan.rows.push({ line, routeName: name, busNumber: bus })
  }
  return plan
}

/** Writes a plan without errors (one statement), then open boards get the new routes. */
export async function applyRoutes(env: BoardEnv, plan: RoutePlan, now: Date): Promise<{ added: number; updated: number; unchanged: number }> {
  const r = await writeBoard(env, async (db) => {
    const v = await upsertRoutes(db, plan.rows.map(({ routeName, busNumber }) => ({ routeName, busNumber })), now)
    return { changed: v.added + v.updated > 0, value: v }
  })
  return { ...r, unchanged: plan.rows.length - r.added - r.updated }
}
