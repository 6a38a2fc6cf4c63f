// What every importer's plan shares: row errors with line numbers and notes about the file.

export type RowError = { line: number; message: string }

export type PlanBase = {
  /** Data rows in the file (the header not counted). */
  rows: number
  errors: RowError[]
  /** About the file as a whole (ignored columns, options that did nothing). */
  notes: string[]
  /** The file cannot be imported at all (bad header, no rows): "valid rows only" does not help. */
  fatal: boolean
}

export type AuditInfo = { actorId: number | null; ip?: string; source: 'cli' | 'web'; file?: string }

export type ApplyOptions = {
  /** Import the valid rows even when others have errors. */
  validOnly?: boolean
  now: Date
  audit: AuditInfo
  onProgress?: (done: number, total: number) => void
}

export const byLine = (a: RowError, b: RowError) => a.line - b.line

/** The lines that have at least one error. */
export const errorLines = (errors: RowError[]) => new Set(errors.map((e) => e.line)).size

export function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

/** Postgres unique violation: the data changed between the plan and the write. */
export const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505'

export const CHANGED_SINCE_PLAN = 'Some accounts changed while the file was being checked (another import or an edit). Nothing was imported; try again.'

export function refusal(plan: PlanBase, validOnly: boolean | undefined): string | null {
  if (plan.fatal) return plan.errors[0]?.message ?? 'The file cannot be imported.'
  if (plan.errors.length && !validOnly)
    return `${errorLines(plan.errors)} row(s) have errors, so nothing was imported. Fix them, or import the valid rows only.`
  return null
}
