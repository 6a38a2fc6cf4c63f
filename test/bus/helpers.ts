import type { Sql } from '../../src/platform/db.ts'
import { upsertRoutes } from '../../src/features/bus/bus.sql.ts'
import { demoRoutes } from '../../src/features/bus/seed.ts'

// Shared by the bus tests: routes, riders and WebSocket clients.

export const WS_HEADERS = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' }

/** The 60 demo routes; returns name → id. */
export async function addRoutes(sql: Sql): Promise<Map<string, number>> {
  await upsertRoutes(sql, demoRoutes(), new Date())
  const rows = await sql<{ id: number; routeName: string }[]>`SELECT id, route_name FROM bus_routes`
  return new Map(rows.map((r) => [r.routeName, r.id]))
}

export async function ride(sql: Sql, userId: number, routeId: number | null): Promise<void> {
  await sql`UPDATE users SET bus_route_id = ${routeId} WHERE id = ${userId}`
}

export type Client = {
  ws: WebSocket
  got: string[]
  /** Resolves with the next message not yet taken (or rejects after ms). */
  next(ms?: number): Promise<string>
  json(ms?: number): Promise<Record<string, unknown>>
  send(x: unknown): void
  closed: Promise<number>
}

/** A WebSocket client that queues what it receives. */
export function client(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers } as never)
  const got: string[] = []
  let taken = 0
  const waiters: (() => void)[] = []
  ws.onmessage = (e) => {
    got.push(String(e.data))
    for (const w of waiters.splice(0)) w()
  }
  const closed = new Promise<number>((resolve) => { ws.addEventListener('close', (e) => resolve((e as CloseEvent).code)) })
  const c: Client = {
    ws, got, closed,
    async next(ms = 3000) {
      const end = performance.now() + ms
      while (taken >= got.length) {
        const left = end - performance.now()
        if (left <= 0) throw new Error(`no message within ${ms} ms (had ${got.length})`)
        await Promise.race([new Promise<void>((r) => waiters.push(r)), Bun.sleep(Math.min(left, 50))])
      }
      return got[taken++]!
    },
    async json(ms) {
      return JSON.parse(await c.next(ms)) as Record<string, unknown>
    },
    send(x) {
      ws.send(typeof x === 'string' ? x : JSON.stringify(x))
    },
  }
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(c)
    ws.onerror = () => reject(new Error('websocket refused'))
  })
}

/** True when nothing more arrives within ms. */
export async function quiet(c: Client, ms = 300): Promise<boolean> {
  const n = c.got.length
  await Bun.sleep(ms)
  return c.got.length === n
}
