import type { Deps } from '../../../../platform/http.ts'
import { officeAudit } from './audit.sql.ts'
import type { Outcome } from './blocks.ts'
import { isId } from './common.tsx'
import { exactPerson, personById, type Person } from './people.ts'
import { DEPARTMENTS, deleteSponsor, insertSponsor, sponsorOfUser, sponsorRow, updateSponsor, type Department, type SponsorFields } from './sponsors.sql.ts'

// Sponsors: a teacher's account (picked by type-ahead, or named by username) or a name only.

export type SponsorInput = {
  firstName: string
  lastName: string
  /** A picked candidate's id (radio), or empty. */
  userId: string
  /** A username or id typed without JavaScript, or empty. */
  account: string
  unlink: boolean
  department: string
  fullTime: boolean
  onlineAttendance: boolean
  contractedEighth: boolean
  showFullName: boolean
}
type Act = { deps: Deps; actorId: number; ip?: string }

/** Every problem with the form, and the account it links (null: name only). */
export async function parseSponsor(deps: Deps, i: SponsorInput, current: number | null): Promise<Outcome<SponsorFields & { person: Person | null }>> {
  const errors: string[] = []
  const first = i.firstName.trim()
  const last = i.lastName.trim()
  if (first.length > 50) errors.push('The first name may be at most 50 characters long.')
  if (last.length < 1 || last.length > 50) errors.push('The last name must be 1 to 50 characters long.')
  if (!(DEPARTMENTS as readonly string[]).includes(i.department)) errors.push('Choose a department from the list.')
  let person: Person | null = null
  if (!i.unlink) {
    if (i.userId) {
      person = isId(i.userId) ? await personById(deps.sql, Number(i.userId), 'sponsor') : null
      if (!person) errors.push('The chosen account does not exist or cannot sponsor activities.')
    } else if (i.account.trim()) {
      person = await exactPerson(deps.sql, i.account, 'sponsor')
      if (!person) errors.push(`No teacher account is named “${i.account.trim().slice(0, 40)}”. Search and pick one, or leave it empty for a name-only sponsor.`)
    } else if (current !== null) {
      person = await personById(deps.sql, current, 'any')
    }
  }
  if (errors.length) return { ok: false, status: 422, errors }
  return {
    ok: true,
    value: {
      firstName: first, lastName: last, userId: person?.id ?? null, department: i.department as Department, person,
      fullTime: i.fullTime, onlineAttendance: i.onlineAttendance, contractedEighth: i.contractedEighth, showFullName: i.showFullName,
    },
  }
}

async function taken(deps: Deps, userId: number | null, self: number | null): Promise<string | null> {
  if (userId === null) return null
  const other = await sponsorOfUser(deps.sql, userId)
  return other && other.id !== self ? `That account is already linked to the sponsor ${other.lastName}.` : null
}

export async function createSponsorFrom(a: Act, i: SponsorInput): Promise<Outcome<number>> {
  const p = await parseSponsor(a.deps, i, null)
  if (!p.ok) return p
  const { person: _p, ...fields } = p.value
  const clash = await taken(a.deps, fields.userId, null)
  if (clash) return { ok: false, status: 422, errors: [clash] }
  const now = a.deps.clock.now()
  return linking(() => a.deps.sql.begin(async (tx) => {
    const id = await insertSponsor(tx, fields, now)
    await officeAudit(tx, { actorId: a.actorId, action: 'eighth.sponsor.add', targetType: 'eighth_sponsor', targetId: id, at: now, ip: a.ip, details: fields })
    return { ok: true as const, value: id }
  }))
}

/** A unique violation on user_id: someone linked the same account at the same moment. */
async function linking<T>(run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await run()
  } catch (e) {
    if ((e as { code?: string }).code === '23505') return { ok: false, status: 422, errors: ['That account is already linked to another sponsor.'] }
    throw e
  }
}

export async function editSponsor(a: Act, id: number, i: SponsorInput): Promise<Outcome<string>> {
  const before = await sponsorRow(a.deps.sql, id)
  if (!before) return { ok: false, status: 404, errors: ['That sponsor does not exist.'] }
  const p = await parseSponsor(a.deps, i, before.userId)
  if (!p.ok) return p
  const { person: _p, ...fields } = p.value
  const clash = await taken(a.deps, fields.userId, id)
  if (clash) return { ok: false, status: 422, errors: [clash] }
  const now = a.deps.clock.now()
  return linking(() => a.deps.sql.begin(async (tx) => {
    if (!(await updateSponsor(tx, id, fields, now))) return { ok: false as const, status: 404 as const, errors: ['That sponsor does not exist.'] }
    const { username: _u, accountName: _n, activities: _a, ...old } = before
    await officeAudit(tx, { actorId: a.actorId, action: 'eighth.sponsor.edit', targetType: 'eighth_sponsor', targetId: id, at: now, ip: a.ip, details: { before: old, after: fields } })
    return { ok: true as const, value: `Saved ${fields.lastName}.` }
  }))
}

export async function removeSponsor(a: Act, id: number): Promise<Outcome<string>> {
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const s = await sponsorRow(tx, id)
    if (!s || !(await deleteSponsor(tx, id))) return { ok: false as const, status: 404 as const, errors: ['That sponsor does not exist.'] }
    await officeAudit(tx, { actorId: a.actorId, action: 'eighth.sponsor.delete', targetType: 'eighth_sponsor', targetId: id, at: now, ip: a.ip,
      details: { firstName: s.firstName, lastName: s.lastName, userId: s.userId, activities: s.activities } })
    return { ok: true as const, value: `Deleted the sponsor ${s.lastName}.` }
  })
}
