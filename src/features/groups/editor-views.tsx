import { Errors } from '../../platform/html/components.tsx'
import type { GroupRow, Member } from './groups.sql.ts'
import type { BulkReport, Candidate } from './service.ts'

// /groups/:id. The editor (#group-editor) is one partial with two uses: the page, and the htmx
// answer to every form in it (each form also works as a plain POST). The type-ahead results
// (#candidates) are the answer to the search box.

export type EditorProps = {
  g: GroupRow
  members: Member[]
  manageable: boolean
  flash?: string
  errors?: string[]
  report?: BulkReport
  search?: { q: string; rows: Candidate[] }
  renameValue?: string
}

const hxPost = (action: string) => ({ method: 'post', action, 'hx-post': action, 'hx-target': '#group-editor', 'hx-swap': 'outerHTML' })

const who = (m: { firstName: string; lastName: string; nickname: string }) => `${m.lastName}, ${m.firstName}${m.nickname ? ` (${m.nickname})` : ''}`

export function GroupEditor(p: EditorProps) {
  const g = p.g
  const base = `/groups/${g.id}`
  return (
    <div id="group-editor" class="groups">
      <p><a href="/groups">← All groups</a></p>
      <h1 safe>{g.name}</h1>
      <p class="actions">
        {g.name.toLowerCase().startsWith('admin_') ? <span class="badge warn">permission group</span> : ''}
        <span class="badge">{g.studentVisible ? 'students can see it' : 'hidden from students'}</span>
        <span class="badge" safe>{`${g.members} ${g.members === 1 ? 'member' : 'members'}`}</span>
      </p>
      {p.flash ? <p class="alert ok" role="status" safe>{p.flash}</p> : ''}
      <Errors errors={p.errors ?? []} />
      {p.report ? <Report r={p.report} /> : ''}
      {p.manageable ? '' : <p class="alert warn">Only superusers manage permission groups (admin_…). You can see who is in it.</p>}
      <div class="grid two">
        {p.manageable ? <AddSection {...p} base={base} /> : ''}
        {p.manageable ? <SettingsSection {...p} base={base} /> : ''}
      </div>
      <MembersSection {...p} base={base} />
    </div>
  )
}

function Report({ r }: { r: BulkReport }) {
  const line = (label: string, names: string[]) => names.length
    ? <li><strong safe>{`${label} (${names.length}):`}</strong> <span class="mono" safe>{names.slice(0, 100).join(', ') + (names.length > 100 ? ', …' : '')}</span></li>
    : ''
  return (
    <div class={r.unknown.length ? 'alert warn bulk-report' : 'alert ok bulk-report'} role="status">
      <p safe>{`Added ${r.added.length} ${r.added.length === 1 ? 'person' : 'people'}.`}</p>
      <ul>
        {line('Added', r.added)}
        {line('Already members', r.already)}
        {line('No such username', r.unknown)}
      </ul>
    </div>
  )
}

type SectionProps = EditorProps & { base: string }

function AddSection({ base, search }: SectionProps) {
  return (
    <section class="card" aria-labelledby="add-title">
      <h2 id="add-title">Add members</h2>
      <form method="get" action={base} role="search" class="stack">
        <div class="field">
          <label for="member-q">Find a person</label>
          <span class="hint" id="member-q-hint">Name, nickname, username or student ID.</span>
          <input id="member-q" type="search" name="q" value={search?.q} maxlength={100} autocomplete="off" aria-describedby="member-q-hint"
            aria-controls="candidates" hx-get={`${base}/candidates`} hx-trigger="input changed delay:250ms, search" hx-target="#candidates" hx-swap="outerHTML" />
        </div>
        <button type="submit" class="secondary">Search</button>
      </form>
      <Candidates base={base} q={search?.q ?? ''} rows={search?.rows ?? null} />
      <h3>Add many at once</h3>
      <form {...hxPost(`${base}/bulk`)} enctype="multipart/form-data" class="stack">
        <div class="field">
          <label for="f-bulk">Usernames</label>
          <span class="hint" id="f-bulk-hint">One per line, or separated by commas. Or upload a CSV file below (a “username” column, or one username per line).</span>
          <textarea id="f-bulk" name="text" rows="4" maxlength={200000} aria-describedby="f-bulk-hint"></textarea>
        </div>
        <div class="field">
          <label for="f-bulk-file">CSV file</label>
          <input id="f-bulk-file" type="file" name="file" accept=".csv,.txt,text/csv,text/plain" />
        </div>
        <button type="submit">Add these people</button>
      </form>
    </section>
  )
}

export function Candidates({ base, q, rows }: { base: string; q: string; rows: Candidate[] | null }) {
  return (
    <div id="candidates" aria-live="polite">
      {rows === null ? '' : rows.length === 0 ? (q ? <p class="muted" safe>{`No account matches “${q}”.`}</p> : '') : (
        <ul class="candidates">
          {rows.map((u) => (
            <li>
              <span class="who-line">
                <span safe>{who(u)}</span> <span class="muted mono" safe>{u.username}</span>
              </span>
              {u.member ? <span class="badge ok">member</span> : (
                <form {...hxPost(`${base}/members`)}>
                  <input type="hidden" name="user_id" value={String(u.id)} />
                  <input type="hidden" name="q" value={q} />
                  <button type="submit" class="secondary" aria-label={`Add ${u.username}`}>Add</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function SettingsSection({ g, base, renameValue }: SectionProps) {
  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form {...hxPost(`${base}/rename`)} class="stack">
        <div class="field">
          <label for="f-rename">Name</label>
          <input id="f-rename" name="name" type="text" maxlength={100} required autocomplete="off" value={renameValue ?? g.name} />
        </div>
        <button type="submit" class="secondary">Rename</button>
      </form>
      <form {...hxPost(`${base}/visibility`)} class="stack">
        <input type="hidden" name="student_visible" value={g.studentVisible ? 'off' : 'on'} />
        <p class="muted">{g.studentVisible ? 'Students see this group and may pick it as an audience.' : 'Students do not see this group.'}</p>
        <button type="submit" class="secondary">{g.studentVisible ? 'Hide from students' : 'Show to students'}</button>
      </form>
      <form {...hxPost(`${base}/delete`)} class="stack">
        <p class="muted">{g.members ? 'Only an empty group can be deleted: remove every member first.' : 'The group is empty and can be deleted.'}</p>
        <button type="submit" class="danger" disabled={g.members > 0} data-confirm={`Delete the group ${g.name}?`}>Delete group</button>
      </form>
    </section>
  )
}

function MembersSection({ members, manageable, base }: SectionProps) {
  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title" safe>{`Members (${members.length})`}</h2>
      {members.length === 0 ? <p class="muted">No one is in this group yet.</p> : (
        <ul class="members">
          {members.map((m) => (
            <li>
              <span class="who-line">
                <span safe>{who(m)}</span>
                <span class="muted mono" safe>{m.username}</span>
                <span class="muted">{m.userType === 'student' && m.graduationYear ? `class of ${m.graduationYear}` : m.userType}</span>
              </span>
              {manageable ? (
                <form {...hxPost(`${base}/members/${m.id}/remove`)}>
                  <button type="submit" class="link" aria-label={`Remove ${m.username}`}>Remove</button>
                </form>
              ) : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
