import type { Db, Sql } from '../../platform/db.ts'
import type { RouteJson, Status } from './board.ts'

// The bus board's tables: bus_routes and the bus_board singleton (migrations/0008_bus.sql).

// Routes are ordered by name with numbers as numbers (JT-2 before JT-10), the same in the
// snapshots, the pages and the API: lower(letters), the first number zero-padded, the name.

type RouteRow = { id: number; routeName: string; busNumber: string; space: string; status: Status }
const toJson = (r: RouteRow): RouteJson => ({ id: r.id, route_name: r.routeName, bus_number: r.busNumber, space: r.space, status: r.status })

/** Every route, ordered by name. */
export async function allRoutes(db: Db): Promise<RouteJson[]> {
  const rows = await db<RouteRow[]>`
    SELECT id, route_name, bus_number, space, status FROM bus_routes
    ORDER BY lower(regexp_replace(route_name, '[0-9]+', '', 'g')), lpad(coalesce(substring(route_name FROM '[0-9]+'), ''), 30, '0'), route_name, id`
  return rows.map(toJson)
}

export async function routeById(db: Db, id: number): Promise<RouteJson | null> {
  const [r] = await db<RouteRow[]>`SELECT id, route_name, bus_number, space, status FROM bus_routes WHERE id = ${id}`
  return r ? toJson(r) : null
}

/** One page of routes with the total (API). */
export async function routesPage(db: Db, limit: number, offset: number): Promise<{ total: number; routes: RouteJson[] }> {
  const rows = await db<(RouteRow & { total: number })[]>`
    SELECT id, route_name, bus_number, space, status, count(*) OVER ()::int AS total
    FROM bus_routes
    ORDER BY lower(regexp_replace(route_name, '[0-9]+', '', 'g')), lpad(coalesce(substring(route_name FROM '[0-9]+'), ''), 30, '0'), route_name, id
    LIMIT ${limit} OFFSET ${offset}`
  const [{ n }] = rows.length ? [{ n: rows[0]!.total }] : await db<{ n: number }[]>`SELECT count(*)::int AS n FROM bus_routes`
  return { total: n, routes: rows.map(toJson) }
}

export async function announcement(db: Db): Promise<string> {
  const [r] = await db<{ announcement: string }[]>`SELECT announcement FROM bus_board WHERE id = 1`
  return r?.announcement ?? ''
}

/** Sets a route's status and space (one statement); false when there is no such route. */
export async function setRoute(db: Db, id: number, status: Status, space: string, now: Date): Promise<boolean> {
  const rows = await db`UPDATE bus_routes SET status = ${status}, space = ${space}, updated_at = ${now} WHERE id = ${id} RETURNING id`
  return rows.length === 1
}

export async function setAnnouncement(db: Db, text: string, now: Date): Promise<void> {
  await db`UPDATE bus_board SET announcement = ${text}, updated_at = ${now} WHERE id = 1`
}

/**
 * Every route back to on time with no space — only if the routes were not reset since `boundary`
 * (null: unconditionally). One statement: the check and the reset cannot be split by a restart.
 */
export async function resetRoutes(db: Db, boundary: Date | null, now: Date): Promise<{ due: boolean; routes: number }> {
  const [r] = await db<{ due: number; routes: number }[]>`
    WITH due AS (
      UPDATE bus_board SET reset_at = ${now}
      WHERE id = 1 AND (${boundary}::timestamptz IS NULL OR reset_at < ${boundary}::timestamptz)
      RETURNING 1
    ), reset AS (
      UPDATE bus_routes SET status = 'o', space = '', updated_at = ${now}
      WHERE EXISTS (SELECT 1 FROM due) AND (status <> 'o' OR space <> '')
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM due)::int AS due, (SELECT count(*) FROM reset)::int AS routes`
  return { due: r!.due > 0, routes: r!.routes }
}

// ---- routes as data (import, seed) ----

export type NewRoute = { routeName: string; busNumber: string }

/** Adds new routes and updates bus numbers of existing ones (matched by name, ignoring case). */
export async function upsertRoutes(db: Db, rows: NewRoute[], now: Date): Promise<{ added: number; updated: number }> {
  if (!rows.length) return { added: 0, updated: 0 }
  const r = await db<{ inserted: boolean }[]>`
    INSERT INTO bus_routes ${db(rows.map((x) => ({ routeName: x.routeName, busNumber: x.busNumber, updatedAt: now })))}
    ON CONFLICT (lower(route_name)) DO UPDATE SET bus_number = EXCLUDED.bus_number, updated_at = EXCLUDED.updated_at
      WHERE bus_routes.bus_number IS DISTINCT FROM EXCLUDED.bus_number
    RETURNING (xmax = 0) AS inserted`
  const added = r.filter((x) => x.inserted).length
  return { added, updated: r.length - added }
}

export async function routeCount(db: Db): Promise<number> {
  const [r] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM bus_routes`
  return r!.n
}

/** The connection type the writer lock needs (a reserved pool connection). */
export type LockConn = Awaited<ReturnType<Sql['reserve']>>
