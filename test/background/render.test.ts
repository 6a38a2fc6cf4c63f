import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { composeEmail, defineEmail, renderEmail } from '../../src/platform/mail/render.tsx'
import { selectRecipients } from '../../src/platform/mail/recipients.ts'

const config = testConfig({ BASE_URL: 'https://ion.school.example', SCHOOL_NAME: 'Jefferson <High>' })
const evil = '<script>alert(1)</script>'
const kind = defineEmail('test.kind', (d: { name: string; activity: string }) => ({
  subject: `Signed up: ${d.activity}`,
  heading: `You are in ${d.activity}`,
  greeting: `Hello ${d.name},`,
  blocks: [
    { p: `Your activity is ${d.activity}.` },
    { facts: [['Room', d.activity]] },
    { list: [d.activity, 'two'] },
    { link: { href: '/eighth?x="1"', label: `Open ${d.activity}` } },
    { note: 'Small print' },
  ],
}))

test('one data object, two renderings, every value escaped, the school name and a preferences link', () => {
  const m = composeEmail(kind, { name: 'Ann', activity: evil }, { to: 'ann@school.example', key: 'k1' }, config)
  expect(m.kind).toBe('test.kind')
  expect(m.audience).toBe('personal')
  expect(m.subject).toBe(`Signed up: ${evil}`)
  expect(m.html).not.toContain('<script>')
  expect(m.html).toContain('&lt;script&gt;')
  expect(m.html).toContain('Jefferson &lt;High&gt;')
  expect(m.html).toContain('href="https://ion.school.example/preferences"')
  expect(m.html).toContain('Your email preferences')
  expect(m.html).toContain('https://ion.school.example/eighth?x=%221%22')
  // the text rendering says the same things, plainly
  expect(m.text).toContain(`Your activity is ${evil}.`)
  expect(m.text).toContain(`Room: ${evil}`)
  expect(m.text).toContain('Jefferson <High>')
  expect(m.text).toContain('https://ion.school.example/preferences')
  expect(m.text).toContain(`Open ${evil}: https://ion.school.example/eighth?x=%221%22`)
})

test('bulk messages carry the generic preferences link', () => {
  const m = composeEmail(kind, { name: 'all', activity: 'Chess' }, { to: ['a@school.example', 'b@school.example'] }, config)
  expect(m.audience).toBe('bulk')
  expect(m.html).toContain('sent to a group')
  expect(m.html).not.toContain('Your email preferences')
  expect(m.text).toContain('https://ion.school.example/preferences')
})

test('links must be http(s)', () => {
  const bad = defineEmail('test.bad', () => ({ subject: 's', heading: 'h', blocks: [{ link: { href: 'javascript:alert(1)', label: 'x' } }] }))
  expect(() => renderEmail(bad.build(undefined), { schoolName: 'S', baseUrl: 'https://x.example', audience: 'personal' })).toThrow()
})

let db: TestDb
beforeAll(async () => { db = await createTestDb() })
afterAll(async () => { await db.drop() })

test('opt-outs are left out; an override includes them and is audited', async () => {
  const now = new Date('2026-11-30T14:00:00Z')
  const list = [
    { address: 'a@school.example', optedOut: false },
    { address: 'b@school.example', optedOut: true },
    { address: null, optedOut: false },
    { address: 'A@school.example', optedOut: false },
  ]
  expect(await selectRecipients(db.sql, list, { kind: 'eighth.cancelled', now })).toEqual({ to: ['a@school.example'], skipped: 1, overridden: 0 })
  expect((await db.sql`SELECT * FROM audit_log`).length).toBe(0)

  const r = await db.sql.begin((tx) => selectRecipients(tx, list, { kind: 'eighth.cancelled', now, override: { actorId: 7, reason: 'Building closed' } }))
  expect(r).toEqual({ to: ['a@school.example', 'b@school.example'], skipped: 0, overridden: 1 })
  const [a] = await db.sql<{ actorId: number; action: string; targetId: string; details: Record<string, unknown>; at: Date }[]>`SELECT * FROM audit_log`
  expect(a).toMatchObject({ actorId: 7, action: 'mail.optout_override', targetId: 'eighth.cancelled', details: { reason: 'Building closed', overridden: 1, recipients: 2 } })
  expect(a!.at.toISOString()).toBe(now.toISOString())
  await expect(selectRecipients(db.sql, list, { kind: 'k', now, override: { actorId: 7, reason: ' ' } })).rejects.toThrow()
})
