import { Errors, Notice } from '../../platform/html/components.tsx'
import { planSummary, resultSummary, type AnyPlan, type AnyResult, type ImportKind } from './service.ts'
import type { GroupImportPlan } from './groups.ts'
import type { UserImportPlan } from './users-plan.ts'
import type { RowError } from './types.ts'

// The admin import page: upload → preview → result. Every value from the file is escaped (safe).

const SHOW = 500

export function ImportForm(p: { kind?: ImportKind; deactivateMissing?: boolean; errors?: string[] }) {
  const kind = p.kind ?? 'users'
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import users and groups</h1>
      <Errors errors={p.errors ?? []} />
      <form method="post" action="/admin/import" enctype="multipart/form-data" class="stack">
        <div class="field">
          <label for="f-kind">What the file holds</label>
          <select id="f-kind" name="kind">
            <option value="users" selected={kind === 'users'}>Users (students by student ID, staff by username)</option>
            <option value="groups" selected={kind === 'groups'}>Group memberships (columns group, username)</option>
          </select>
        </div>
        <div class="field">
          <label for="f-file">CSV file (at most 5 MB)</label>
          <input id="f-file" type="file" name="file" accept=".csv,.txt,text/csv" aria-describedby="f-file-hint" />
          <span class="hint" id="f-file-hint">
            Columns are matched by name: Student ID, First Name, Last Name, Middle Name, Nickname, Grad Year, Type, Email,
            Counselor, Username, Gender. A student without a username gets one like 2027jdoe.
          </span>
        </div>
        <div class="field">
          <label for="f-csv">…or paste the CSV</label>
          <textarea id="f-csv" name="csv" rows="6" spellcheck="false"></textarea>
        </div>
        <label class="check" for="f-deactivate">
          <input type="checkbox" id="f-deactivate" name="deactivate_missing" value="on" checked={p.deactivateMissing} />
          <span>Deactivate students missing from the file (withdrawn). Only for a file of all current students.</span>
        </label>
        <div class="actions">
          <button type="submit">Preview</button>
        </div>
      </form>
    </section>
  )
}

function ErrorTable({ errors }: { errors: RowError[] }) {
  if (!errors.length) return ''
  return (
    <section class="card" aria-labelledby="errors-title">
      <h2 id="errors-title" safe>{`Errors (${errors.length})`}</h2>
      <div class="table-wrap">
        <table>
          <thead><tr><th scope="col">Line</th><th scope="col">Problem</th></tr></thead>
          <tbody>
            {errors.slice(0, SHOW).map((e) => <tr><td safe>{String(e.line)}</td><td safe>{e.message}</td></tr>)}
          </tbody>
        </table>
      </div>
      <More total={errors.length} />
    </section>
  )
}

function More({ total }: { total: number }) {
  return total > SHOW ? <p class="muted" safe>{`…and ${total - SHOW} more.`}</p> : ''
}

function UserTables({ plan }: { plan: UserImportPlan }) {
  return (
    <>
      {plan.creates.length ? (
        <section class="card" aria-labelledby="creates-title">
          <h2 id="creates-title" safe>{`New accounts (${plan.creates.length})`}</h2>
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Line</th><th scope="col">Username</th><th scope="col">Type</th><th scope="col">Name</th><th scope="col">Student ID</th><th scope="col">Grad year</th><th scope="col">Counselor</th><th scope="col">Email</th></tr></thead>
              <tbody>
                {plan.creates.slice(0, SHOW).map((c) => (
                  <tr>
                    <td safe>{String(c.line)}</td>
                    <td safe>{c.user.username}</td>
                    <td>{c.user.userType}</td>
                    <td safe>{`${c.user.lastName}, ${c.user.firstName}`}</td>
                    <td safe>{c.user.studentId ?? ''}</td>
                    <td safe>{c.user.graduationYear === null ? '' : String(c.user.graduationYear)}</td>
                    <td safe>{c.counselor?.username ?? ''}</td>
                    <td safe>{c.email ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <More total={plan.creates.length} />
        </section>
      ) : ''}
      {plan.updates.length ? (
        <section class="card" aria-labelledby="updates-title">
          <h2 id="updates-title" safe>{`Changed accounts (${plan.updates.length})`}</h2>
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Line</th><th scope="col">Account</th><th scope="col">Changes</th></tr></thead>
              <tbody>
                {plan.updates.slice(0, SHOW).map((u) => (
                  <tr>
                    <td safe>{String(u.line)}</td>
                    <td safe>{u.was}</td>
                    <td><ul>{u.changes.map((c) => <li safe>{`${c.field}: ${c.from} → ${c.to}`}</li>)}</ul></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <More total={plan.updates.length} />
        </section>
      ) : ''}
      {plan.deactivations.length ? (
        <section class="card" aria-labelledby="deact-title">
          <h2 id="deact-title" safe>{`Students to deactivate (${plan.deactivations.length})`}</h2>
          <p>These active students are not in the file.</p>
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Student ID</th></tr></thead>
              <tbody>
                {plan.deactivations.slice(0, SHOW).map((d) => (
                  <tr><td safe>{d.username}</td><td safe>{`${d.lastName}, ${d.firstName}`}</td><td safe>{d.studentId}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          <More total={plan.deactivations.length} />
        </section>
      ) : ''}
    </>
  )
}

function GroupTables({ plan }: { plan: GroupImportPlan }) {
  return (
    <>
      {plan.newGroups.length ? (
        <section class="card" aria-labelledby="newgroups-title">
          <h2 id="newgroups-title" safe>{`New groups (${plan.newGroups.length})`}</h2>
          <ul>{plan.newGroups.map((g) => <li safe>{g}</li>)}</ul>
        </section>
      ) : ''}
      {plan.adds.length ? (
        <section class="card" aria-labelledby="adds-title">
          <h2 id="adds-title" safe>{`Memberships to add (${plan.adds.length})`}</h2>
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Line</th><th scope="col">Group</th><th scope="col">Username</th></tr></thead>
              <tbody>{plan.adds.slice(0, SHOW).map((a) => <tr><td safe>{String(a.line)}</td><td safe>{a.group}</td><td safe>{a.username}</td></tr>)}</tbody>
            </table>
          </div>
          <More total={plan.adds.length} />
        </section>
      ) : ''}
    </>
  )
}

function ImportButton({ id, mode, label, secondary }: { id: string; mode: 'all' | 'valid'; label: string; secondary?: boolean }) {
  return (
    <form method="post" action="/admin/import/apply">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="mode" value={mode} />
      <button type="submit" class={secondary ? 'secondary' : undefined} safe>{label}</button>
    </form>
  )
}

export function Preview(p: { plan: AnyPlan; id: string | null; name: string; message?: string }) {
  const { plan } = p
  const hasErrors = plan.errors.length > 0
  return (
    <section aria-labelledby="preview-title">
      <h1 id="preview-title">Import preview</h1>
      {p.message ? <Errors errors={[p.message]} /> : ''}
      <p safe>{`${p.name}: ${planSummary(plan)}.`}</p>
      {plan.notes.map((n) => <Notice kind="info"><p safe>{n}</p></Notice>)}
      {hasErrors && !plan.fatal ? (
        <Notice kind="warn"><p>Some rows have errors. "Import" writes nothing while any row is invalid; "Import the valid rows" skips them.</p></Notice>
      ) : ''}
      <ErrorTable errors={plan.errors} />
      {plan.kind === 'users' ? <UserTables plan={plan} /> : <GroupTables plan={plan} />}
      <div class="actions">
        {p.id && !plan.fatal && !hasErrors ? <ImportButton id={p.id} mode="all" label="Import" /> : ''}
        {p.id && !plan.fatal && hasErrors ? <ImportButton id={p.id} mode="valid" label="Import the valid rows" /> : ''}
        <a class="button secondary" href="/admin/import">Start over</a>
      </div>
    </section>
  )
}

export function ImportDone({ result, name }: { result: AnyResult; name: string }) {
  return (
    <section aria-labelledby="done-title">
      <h1 id="done-title">Import finished</h1>
      <Notice kind="ok"><p safe>{`${name}: ${resultSummary(result)}.`}</p></Notice>
      <p><a href="/admin/import">Import another file</a> · <a href="/admin">Administration</a></p>
    </section>
  )
}
