import { CsvError, parseCsv } from '../../platform/csv.ts'
import type { Db, Sql } from '../../platform/db.ts'
import type { Result } from '../../platform/errors.ts'
import { applyGroupImport, planGroupImport, type GroupImportPlan, type GroupImportResult } from './groups.ts'
import type { ApplyOptions } from './types.ts'
import { applyImport } from './users-apply.ts'
import { planImport, type ImportOptions, type UserImportPlan } from './users-plan.ts'
import type { UserImportResult } from './users-apply.ts'

// The one entry point the CLI and the admin page share: CSV text → plan → (maybe) apply.

export const IMPORT_KINDS = ['users', 'groups'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]
export type AnyPlan = UserImportPlan | GroupImportPlan
export type AnyResult = ({ kind: 'users' } & UserImportResult) | ({ kind: 'groups' } & GroupImportResult)

export async function planCsv(db: Db, kind: ImportKind, text: string, opts: ImportOptions): Promise<AnyPlan> {
  let records
  try {
    records = parseCsv(text)
  } catch (e) {
    if (!(e instanceof CsvError)) throw e
    const base = { rows: 0, errors: [{ line: e.line, message: `The file is not valid CSV: ${e.reason}.` }], notes: [], fatal: true }
    return kind === 'users'
      ? { ...base, kind, creates: [], updates: [], unchanged: 0, deactivations: [] }
      : { ...base, kind, newGroups: [], adds: [], already: 0 }
  }
  return kind === 'users' ? planImport(db, records, opts) : planGroupImport(db, records)
}

export async function applyPlan(sql: Sql, plan: AnyPlan, opts: ApplyOptions): Promise<Result<AnyResult>> {
  if (plan.kind === 'users') {
    const r = await applyImport(sql, plan, opts)
    return r.ok ? { ok: true, value: { kind: 'users', ...r.value } } : r
  }
  const r = await applyGroupImport(sql, plan, opts)
  return r.ok ? { ok: true, value: { kind: 'groups', ...r.value } } : r
}

/** Rows that would be written (what the progress bar counts). */
export const planSize = (p: AnyPlan) =>
  p.kind === 'users' ? p.creates.length + p.updates.length + p.deactivations.length : p.adds.length + p.newGroups.length

const n = (x: number) => x.toLocaleString('en-US')

export function planSummary(p: AnyPlan): string {
  const parts =
    p.kind === 'users'
      ? [`${n(p.creates.length)} to create`, `${n(p.updates.length)} to update`, `${n(p.unchanged)} unchanged`,
         ...(p.deactivations.length ? [`${n(p.deactivations.length)} to deactivate`] : [])]
      : [`${n(p.newGroups.length)} new group(s)`, `${n(p.adds.length)} membership(s) to add`, `${n(p.already)} already there`]
  const bad = new Set(p.errors.map((e) => e.line)).size
  return `${n(p.rows)} row(s): ${parts.join(', ')}${bad ? `; ${n(bad)} row(s) with errors` : ''}`
}

export function resultSummary(r: AnyResult): string {
  const skipped = r.skipped ? `; ${n(r.skipped)} row(s) with errors skipped` : ''
  return r.kind === 'users'
    ? `${n(r.created)} created, ${n(r.updated)} updated, ${n(r.unchanged)} unchanged, ${n(r.deactivated)} deactivated${skipped}`
    : `${n(r.groupsCreated)} group(s) created, ${n(r.added)} membership(s) added, ${n(r.already)} already there${skipped}`
}
