import type { Db } from '../../../../platform/db.ts'

// The office's audit trail (issue 7, item 8): who, what, when, and the students affected
// (details.students), in the transaction of the change.

export type OfficeAudit = {
  actorId: number | null
  action: string
  targetType: string
  targetId: number | string
  details?: Record<string, unknown>
  at: Date
  ip?: string | null
}

export async function officeAudit(db: Db, e: OfficeAudit): Promise<void> {
  await db`
    INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details, ip)
    VALUES (${e.at}, ${e.actorId}, ${e.action}, ${e.targetType}, ${String(e.targetId)}, ${db.json((e.details ?? {}) as never)}, ${e.ip ?? null})`
}
