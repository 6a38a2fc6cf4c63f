import nodemailer from 'nodemailer'
import { ORIGIN, req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { startSink, type Sink } from '../background/sink.ts'
import type { Sql } from '../../src/platform/db.ts'
import { createDeliverer, type Transport } from '../../src/platform/mail/delivery.ts'
import { DEFAULT_DELIVERY } from '../../src/platform/mail/types.ts'

// Shared by the office catalogue, scheduling and club tests: an app with an eighth admin and a
// student signed in, form posts with repeated fields, the outbox, and delivery to an SMTP sink.

export type OfficeEnv = {
  env: TestEnv
  sql: Sql
  admin: MadeUser
  adminCookie: string
  student: MadeUser
  studentCookie: string
  sink: Sink
  transport: Transport
  close(): Promise<void>
}

export async function officeEnv(clock = '2026-12-01T15:00:00Z'): Promise<OfficeEnv> {
  const env = await testEnv({ clock })
  const admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'], lastName: 'Office' })
  const student = await makeUser(env.sql, { type: 'student', lastName: 'Pupil' })
  const sink = await startSink()
  const transport = nodemailer.createTransport({ url: sink.url } as never) as unknown as Transport
  return {
    env, sql: env.sql, admin, student, sink, transport,
    adminCookie: await login(env.app, admin),
    studentCookie: await login(env.app, student),
    async close() {
      ;(transport as unknown as { close(): void }).close()
      await sink.close()
      await env.close()
    },
  }
}

export type Pairs = [string, string][] | Record<string, string>

/** A same-origin form POST; pairs may repeat a name (checkbox lists, multi-selects). */
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

export type OutboxRow = { id: number; kind: string; subject: string; text: string; toAddrs: string[]; bccAddrs: string[] }
export async function outbox(sql: Sql, kind: string): Promise<OutboxRow[]> {
  return sql<OutboxRow[]>`SELECT id, kind, subject, text, to_addrs, bcc_addrs FROM mail_outbox WHERE kind = ${kind} ORDER BY id`
}

/** Sends every pending outbox row to the sink (what the worker thread does). */
export async function deliver(o: OfficeEnv): Promise<number> {
  const d = createDeliverer({ sql: o.sql, transport: o.transport, from: o.env.config.mailFrom, log: o.env.log, now: () => o.env.clock.now(), delivery: DEFAULT_DELIVERY })
  return d.drain()
}

/** Students with a primary address each. */
export async function students(sql: Sql, n: number, o: { optOut?: boolean; gradYear?: number } = {}): Promise<number[]> {
  const tag = Math.random().toString(36).slice(2, 8)
  const rows = Array.from({ length: n }, (_, i) => ({
    username: `st${tag}${i}`, userType: 'student', firstName: 'Stu', lastName: `Dent${tag}${i}`, graduationYear: o.gradYear ?? 2027, receiveEighthEmails: !o.optOut,
  }))
  const ids = (await sql<{ id: number }[]>`INSERT INTO users ${sql(rows)} RETURNING id`).map((r) => r.id)
  await sql`INSERT INTO emails ${sql(ids.map((userId, i) => ({ userId, address: `${rows[i]!.username}@school.example`, isPrimary: true })))}`
  return ids
}

export const addressOf = (sql: Sql, userId: number) =>
  sql<{ address: string }[]>`SELECT address FROM emails WHERE user_id = ${userId}`.then((r) => r[0]!.address)

export async function audits(sql: Sql, action: string): Promise<{ actorId: number | null; targetId: string | null; details: Record<string, unknown> }[]> {
  return sql`SELECT actor_id, target_id, details FROM audit_log WHERE action = ${action} ORDER BY id`
}

export async function signupCount(sql: Sql, where: { blockId?: number; scheduledId?: number }): Promise<number> {
  const [r] = where.blockId !== undefined
    ? await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE block_id = ${where.blockId}`
    : await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE scheduled_activity_id = ${where.scheduledId!}`
  return r!.n
}
