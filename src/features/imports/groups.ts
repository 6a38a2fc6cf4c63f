import type { CsvRecord } from '../../platform/csv.ts'
import type { Db, Sql } from '../../platform/db.ts'
import { fail, ok, type Result } from '../../platform/errors.ts'
import { audit } from '../users/users.sql.ts'
import { cell, GROUP_COLUMNS, mapHeader } from './columns.ts'
import { addMemberships, groupsByNames, insertGroups, membershipsAmong, usersByUsernames } from './groups-import.sql.ts'
import { byLine, CHANGED_SINCE_PLAN, chunks, errorLines, isUniqueViolation, refusal, type ApplyOptions, type PlanBase } from './types.ts'

// `ion import groups`: rows of (group, username). Missing groups are created and members added;
// permission groups (admin_*) are never created or filled from a file: those rows are errors.

export type GroupAdd = { line: number; group: string; username: string; userId: number }
export type GroupImportPlan = PlanBase & { kind: 'groups'; newGroups: string[]; adds: GroupAdd[]; already: number }
export type GroupImportResult = { groupsCreated: number; added: number; already: number; skipped: number }

const GROUP_NAME_RE = /^\S.{0,99}$/

export async function planGroupImport(db: Db, records: CsvRecord[]): Promise<GroupImportPlan> {
  const plan: GroupImportPlan = { kind: 'groups', rows: 0, newGroups: [], adds: [], already: 0, errors: [], notes: [], fatal: false }
  const [header, ...data] = records
  plan.rows = data.length
  const fatal = (line: number, message: string) => {
    plan.errors.push({ line, message })
    plan.fatal = true
    return plan
  }
  if (!header) return fatal(1, 'The file is empty.')
  const cols = mapHeader(header.fields, GROUP_COLUMNS)
  if (cols.index.group === undefined || cols.index.username === undefined)
    return fatal(header.line, `The header needs the columns Group and Username (it has: ${header.fields.join(', ')}).`)
  if (cols.errors.length) return fatal(header.line, cols.errors.join(' '))
  if (!data.length) return fatal(header.line, 'The file has a header but no rows.')
  if (cols.ignored.length) plan.notes.push(`Ignored column(s): ${cols.ignored.join(', ')}.`)

  const seen = new Map<string, number>()
  const rows: { line: number; group: string; username: string }[] = []
  for (const rec of data) {
    const group = cell(rec.fields, cols.index, 'group') ?? ''
    const username = (cell(rec.fields, cols.index, 'username') ?? '').toLowerCase()
    const messages: string[] = []
    if (!group) messages.push('Group is required.')
    else if (!GROUP_NAME_RE.test(group) || /[\u0000-\u001f]/.test(group)) messages.push(`Group name "${group}" must be 1–100 characters on one line.`)
    else if (group.toLowerCase().startsWith('admin_'))
      messages.push(`${group} is a permission group: permission groups are granted by a superuser, never imported from a file.`)
    if (!username) messages.push('Username is required.')
    const key = `${group.toLowerCase()}\u0000${username}`
    if (group && username) {
      const first = seen.get(key)
      if (first !== undefined) messages.push(`${username} in ${group} is also on line ${first}.`)
      else seen.set(key, rec.line)
    }
    if (messages.length) for (const message of messages) plan.errors.push({ line: rec.line, message })
    else rows.push({ line: rec.line, group, username })
  }

  const users = new Map((await usersByUsernames(db, [...new Set(rows.map((r) => r.username))])).map((u) => [u.username.toLowerCase(), u.id]))
  const groups = new Map((await groupsByNames(db, [...new Set(rows.map((r) => r.group.toLowerCase()))])).map((g) => [g.name.toLowerCase(), g]))
  const known: GroupAdd[] = []
  for (const r of rows) {
    const userId = users.get(r.username)
    if (userId === undefined) plan.errors.push({ line: r.line, message: `No account has the username ${r.username}.` })
    else known.push({ ...r, group: groups.get(r.group.toLowerCase())?.name ?? r.group, userId })
  }
  const members = await membershipsAmong(db, [...new Set(known.map((k) => k.userId))], [...groups.values()].map((g) => g.id))
  const isMember = new Set(members.map((m) => `${m.userId}:${m.groupId}`))
  const newGroups = new Map<string, string>()
  for (const k of known) {
    const g = groups.get(k.group.toLowerCase())
    if (g && isMember.has(`${k.userId}:${g.id}`)) plan.already++
    else plan.adds.push(k)
    if (!g && !newGroups.has(k.group.toLowerCase())) newGroups.set(k.group.toLowerCase(), k.group)
  }
  plan.newGroups = [...newGroups.values()]
  plan.errors.sort(byLine)
  return plan
}

export async function applyGroupImport(sql: Sql, plan: GroupImportPlan, opts: ApplyOptions): Promise<Result<GroupImportResult>> {
  const refused = refusal(plan, opts.validOnly)
  if (refused) return fail(refused)
  try {
    const result = await sql.begin(async (tx) => {
      const groupsCreated = await insertGroups(tx, plan.newGroups, opts.now)
      let added = 0
      let done = 0
      for (const batch of chunks(plan.adds, 1000)) {
        added += await addMemberships(tx, batch)
        opts.onProgress?.((done += batch.length), plan.adds.length)
      }
      const counts: GroupImportResult = { groupsCreated, added, already: plan.already, skipped: errorLines(plan.errors) }
      await audit(tx, {
        actorId: opts.audit.actorId, action: 'import.groups', targetType: 'groups', at: opts.now, ip: opts.audit.ip,
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
