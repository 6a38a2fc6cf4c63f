import nodemailer from 'nodemailer'
import { ORIGIN, req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { startSink, type Sink } from '../background/sink.ts'
import type { Sql } from '../../src/platform/db.ts'
import { createDeliverer, type Transport } from '../../src/platform/mail/delivery.ts'
import { DEFAULT_DELIVERY } from '../../src/platform/mail/types.ts'

// Shared by the announcement tests: an app, an SMTP sink with a deliverer (what the worker does),
// form posts with repeated fields, and builders that write announcements straight to the tables.

export const NOW = '2026-11-30T14:00:00Z' // Monday 09:00 in New York

export type NewsEnv = {
  env: TestEnv
  sql: Sql
  sink: Sink
  transport: Transport
  handle(r: Request): Promise<Response>
  close(): Promise<void>
}

export async function newsEnv(over: Record<string, string> = {}, opts: { debug?: (connection: number, query: string, parameters: unknown[]) => void } = {}): Promise<NewsEnv> {
  const env = await testEnv({ clock: NOW, config: { SCHOOL_EMAIL_DOMAINS: 'school.example', ...over }, debug: opts.debug })
  const sink = await startSink()
  const transport = nodemailer.createTransport({ url: sink.url } as never) as unknown as Transport
  return {
    env, sql: env.sql, sink, transport,
    handle: (r) => env.app.handle(r),
    async close() {
      ;(transport as unknown as { close(): void }).close()
      await sink.close()
      await env.close()
    },
  }
}

export type Person = MadeUser & { cookie: string; email: string }

/** A user with an address (username@school.example) and a session. */
export async function person(n: NewsEnv, o: Parameters<typeof makeUser>[1] & { news?: boolean } = {}): Promise<Person> {
  const u = await makeUser(n.sql, o)
  const email = `${u.username}@school.example`
  await n.sql`INSERT INTO emails (user_id, address, is_primary) VALUES (${u.id}, ${email}, true)`
  if (o.news === false) await n.sql`UPDATE users SET receive_news_emails = false WHERE id = ${u.id}`
  return { ...u, email, cookie: await login(n.env.app, u) }
}

export type Pairs = [string, string][] | Record<string, string>

export function post(path: string, pairs: Pairs, cookie: string, htmx = false): Request {
  const headers = new Headers({ origin: ORIGIN, cookie, 'content-type': 'application/x-www-form-urlencoded' })
  if (htmx) {
    headers.set('hx-request', 'true')
    headers.set('hx-request-type', 'partial')
  }
  const body = new URLSearchParams(Array.isArray(pairs) ? pairs : Object.entries(pairs)).toString()
  return new Request(ORIGIN + path, { method: 'POST', headers, body })
}

export const get = (path: string, cookie: string, htmx = false) => req(path, { cookie, htmx })

/** Sends every pending outbox row to the sink. */
export async function deliver(n: NewsEnv): Promise<number> {
  const d = createDeliverer({ sql: n.sql, transport: n.transport, from: n.env.config.mailFrom, log: n.env.log, now: () => n.env.clock.now(), delivery: DEFAULT_DELIVERY })
  return d.drain()
}

export type OutboxRow = { id: number; kind: string; subject: string; text: string; toAddrs: string[]; bccAddrs: string[] }
export async function outbox(sql: Sql, kind?: string): Promise<OutboxRow[]> {
  return kind
    ? sql<OutboxRow[]>`SELECT id, kind, subject, text, to_addrs, bcc_addrs FROM mail_outbox WHERE kind = ${kind} ORDER BY id`
    : sql<OutboxRow[]>`SELECT id, kind, subject, text, to_addrs, bcc_addrs FROM mail_outbox ORDER BY id`
}
export const recipientsOf = (rows: OutboxRow[]) => rows.flatMap((r) => [...r.toAddrs, ...r.bccAddrs]).filter((a) => a !== 'ion-noreply@localhost').sort()

export async function groupId(sql: Sql, name: string, members: number[] = []): Promise<number> {
  await sql`INSERT INTO groups (name, student_visible) VALUES (${name}, true) ON CONFLICT (lower(name)) DO NOTHING`
  const [g] = await sql<{ id: number }[]>`SELECT id FROM groups WHERE lower(name) = lower(${name})`
  if (members.length) await sql`INSERT INTO user_groups (user_id, group_id) SELECT unnest(${members}::int[]), ${g!.id} ON CONFLICT DO NOTHING`
  return g!.id
}

export type AddOpts = {
  title?: string
  content?: string
  userId?: number | null
  groups?: number[]
  activityId?: number | null
  public?: boolean
  pinned?: boolean
  added?: Date
  expires?: Date
}

let seq = 0
/** An announcement written straight to the table (added: NOW minus a minute per call unless given). */
export async function addAnnouncement(sql: Sql, o: AddOpts = {}): Promise<number> {
  seq++
  const added = o.added ?? new Date(new Date(NOW).getTime() - 60_000 * (1000 - seq))
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO announcements (title, content, author, user_id, activity_id, public, expiration_date, pinned, added, updated)
    VALUES (${o.title ?? `Post ${seq}`}, ${o.content ?? `<p>Body ${seq}</p>`}, '', ${o.userId ?? null}, ${o.activityId ?? null}, ${o.public ?? false},
            ${o.expires ?? new Date('3000-01-01T00:00:00Z')}, ${o.pinned ?? false}, ${added}, ${added})
    RETURNING id`
  if (o.groups?.length) await sql`INSERT INTO announcement_groups (announcement_id, group_id) SELECT ${row!.id}, unnest(${o.groups}::int[])`
  return row!.id
}

export async function audits(sql: Sql, action: string): Promise<{ actorId: number | null; targetId: string | null; details: Record<string, unknown> }[]> {
  return sql`SELECT actor_id, target_id, details FROM audit_log WHERE action = ${action} ORDER BY id`
}

/** The ids of the announcements an HTML page shows (article ids, in order). */
export const shownIds = (html: string) => [...html.matchAll(/<article class="[^"]*announcement[^"]*" id="announcement-(\d+)"/g)].map((m) => Number(m[1]))
