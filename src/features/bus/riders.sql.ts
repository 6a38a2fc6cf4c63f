import type { Db } from '../../platform/db.ts'

// Each user's own route: users.bus_route_id (added by migrations/0008_bus.sql, owned here).

export async function routeIdOf(db: Db, userId: number): Promise<number | null> {
  const [r] = await db<{ busRouteId: number | null }[]>`SELECT bus_route_id FROM users WHERE id = ${userId}`
  return r?.busRouteId ?? null
}

/** The routes of many users at once (the connect snapshots of a batch of sockets). */
export async function routeIdsOf(db: Db, userIds: number[]): Promise<Map<number, number>> {
  if (!userIds.length) return new Map()
  const rows = await db<{ id: number; busRouteId: number }[]>`
    SELECT id, bus_route_id FROM users WHERE id = ANY(${userIds}::int[]) AND bus_route_id IS NOT NULL`
  return new Map(rows.map((r) => [r.id, r.busRouteId]))
}

/** Sets (or clears) a user's route; false when the route does not exist. */
export async function setRouteOf(db: Db, userId: number, routeId: number | null): Promise<boolean> {
  const rows = await db`
    UPDATE users SET bus_route_id = ${routeId}
    WHERE id = ${userId} AND (${routeId}::int IS NULL OR EXISTS (SELECT 1 FROM bus_routes WHERE id = ${routeId}::int))
    RETURNING id`
  return rows.length === 1
}

export type Rider = { id: number; username: string; firstName: string; lastName: string; userType: string; studentId: string | null; busRouteId: number | null }

/** A user by username or student ID (bus admins setting someone's route). */
export async function findRider(db: Db, q: string): Promise<Rider | null> {
  const [r] = await db<Rider[]>`
    SELECT id, username, first_name, last_name, user_type, student_id, bus_route_id FROM users
    WHERE lower(username) = lower(${q}) OR student_id = ${q}
    ORDER BY (lower(username) = lower(${q})) DESC LIMIT 1`
  return r ?? null
}

export async function riderById(db: Db, id: number): Promise<Rider | null> {
  const [r] = await db<Rider[]>`SELECT id, username, first_name, last_name, user_type, student_id, bus_route_id FROM users WHERE id = ${id}`
  return r ?? null
}

export async function riderCount(db: Db, routeId: number): Promise<number> {
  const [r] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM users WHERE bus_route_id = ${routeId}`
  return r!.n
}

/**
 * Demo data: about four in five students ride, spread over the routes by id (the demo account
 * `student` always rides). Only students without a route; returns how many were assigned.
 */
export async function assignDemoRiders(db: Db): Promise<number> {
  const rows = await db`
    WITH r AS (SELECT id, (row_number() OVER (ORDER BY route_name, id) - 1)::int AS i FROM bus_routes),
         n AS (SELECT count(*)::int AS n FROM bus_routes)
    UPDATE users u SET bus_route_id = r.id
    FROM r, n
    WHERE n.n > 0 AND u.user_type = 'student' AND u.bus_route_id IS NULL
      AND (u.id % 5 <> 0 OR u.username = 'student')
      AND r.i = (u.id * 7) % n.n
    RETURNING u.id`
  return rows.length
}
