import type { Sql, Tx } from '../../platform/db.ts'
import { fail, ok, type Result } from '../../platform/errors.ts'
import { audit } from '../users/users.sql.ts'
import { CHANGED_SINCE_PLAN, chunks, errorLines, isUniqueViolation, refusal, type ApplyOptions } from './types.ts'
import type { PlannedCreate, UserImportPlan } from './users-plan.ts'
import { deactivateUsers, insertUsers, setPrimaryEmails, updateUsers } from './users-import.sql.ts'

// applyImport: one transaction for the whole file, written in batches of BATCH rows.

const BATCH = 500

export type UserImportResult = { created: number; updated: number; unchanged: number; deactivated: number; skipped: number }

export async function applyImport(sql: Sql, plan: UserImportPlan, opts: ApplyOptions): Promise<Result<UserImportResult>> {
  const refused = refusal(plan, opts.validOnly)
  if (refused) return fail(refused)
  const total = plan.creates.length + plan.updates.length + plan.deactivations.length
  let done = 0
  const progress = (n: number) => { done += n; opts.onProgress?.(done, total) }
  try {
    const result = await sql.begin(async (tx) => {
      // Staff first, so that students can point at a counselor created by the same file.
      const ids = new Map<string, number>()
      const staff = plan.creates.filter((c) => c.user.userType !== 'student')
      const students = plan.creates.filter((c) => c.user.userType === 'student')
      await insertCreates(tx, staff, ids, opts.now, progress)
      await insertCreates(tx, students, ids, opts.now, progress)
      for (const batch of chunks(plan.updates, BATCH)) {
        const rows = batch.map((u) => (u.counselor?.id === null ? { ...u.next, counselorId: ids.get(u.counselor.username) ?? null } : u.next))
        await updateUsers(tx, rows, opts.now)
        await setPrimaryEmails(tx, batch.filter((u) => u.email).map((u) => ({ userId: u.id, address: u.email! })))
        progress(batch.length)
      }
      let deactivated = 0
      for (const batch of chunks(plan.deactivations, BATCH)) {
        deactivated += await deactivateUsers(tx, batch.map((d) => d.id), opts.now)
        progress(batch.length)
      }
      const counts: UserImportResult = {
        created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged, deactivated,
        skipped: errorLines(plan.errors),
      }
      await audit(tx, {
        actorId: opts.audit.actorId, action: 'import.users', targetType: 'users', at: opts.now, ip: opts.audit.ip,
        details: { ...counts, rows: plan.rows, source: opts.audit.source, file: opts.audit.file ?? null, validOnly: Boolean(opts.validOnly) },
      })
      return counts
    })
    return ok(result)
  } catch (e) {
    if (isUniqueViolation(e)) return fail(CHANGED_SINCE_PLAN)
    throw e
  }
}

async function insertCreates(tx: Tx, creates: PlannedCreate[], ids: Map<string, number>, now: Date, progress: (n: number) => void) {
  for (const batch of chunks(creates, BATCH)) {
    const rows = batch.map((c) => ({
      ...c.user,
      counselorId: c.counselor ? c.counselor.id ?? ids.get(c.counselor.username) ?? null : null,
      createdAt: now, updatedAt: now,
    }))
    const inserted = await insertUsers(tx, rows)
    for (const r of inserted) ids.set(r.username.toLowerCase(), r.id)
    await setPrimaryEmails(tx, batch.filter((c) => c.email).map((c) => ({ userId: ids.get(c.user.username.toLowerCase())!, address: c.email! })))
    progress(batch.length)
  }
}
