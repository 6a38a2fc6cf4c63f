import { Check, Field, fmtDateTime } from '../../../platform/html/components.tsx'
import { USER_TYPES, type Viewer } from '../../../platform/viewer.ts'
import { SessionList } from '../../auth/session-routes.tsx'
import type { IssuedLink, UserPageData } from './actions.ts'
import { mayManageGroup } from './actions.ts'
import { formOf, type EditForm, type FieldErrors } from './edit.ts'
import { impersonationRefusal } from './impersonation.ts'

// /admin/users/:id. The whole body (#user-admin) is one partial with two uses: the page, and
// the htmx answer to every form on it (each form also works as a plain POST).

/** Messages after a plain (non-htmx) POST → redirect → GET. */
export const DONE_MESSAGES = {
  saved: 'Saved.',
  unchanged: 'Nothing changed.',
  'group-added': 'Added to the group.',
  'group-removed': 'Removed from the group.',
  locked: 'The account is locked and signed out everywhere.',
  unlocked: 'The account is unlocked.',
  'lockout-lifted': 'The login lockout is lifted.',
  'session-ended': 'That device is signed out.',
  'sessions-ended': 'Signed out on every device.',
  stopped: 'You are back to your own account.',
} as const
export type DoneKey = keyof typeof DONE_MESSAGES

export type UserAdminProps = {
  d: UserPageData
  viewer: Viewer
  tz: string
  flash?: string
  edit?: { form: EditForm; errors: FieldErrors }
  groupError?: string
  link?: IssuedLink
}

const hxPost = (action: string) => ({ method: 'post', action, 'hx-post': action, 'hx-target': '#user-admin', 'hx-swap': 'outerHTML' })

export function UserAdmin(p: UserAdminProps) {
  const u = p.d.user
  const base = `/admin/users/${u.id}`
  return (
    <div id="user-admin">
      <p><a href="/admin/users">← Find a user</a></p>
      <h1 safe>{`${u.lastName}, ${u.firstName}${u.nickname ? ` (${u.nickname})` : ''}`}</h1>
      {p.flash ? <p class="alert ok" role="status" safe>{p.flash}</p> : ''}
      {p.link ? <ResetLink link={p.link} username={u.username} tz={p.tz} /> : ''}
      {p.d.manageable ? '' : <p class="alert warn">Only a superuser can change a superuser’s account.</p>}
      <div class="grid two">
        <Summary {...p} base={base} />
        <EditSection {...p} base={base} />
        <GroupsSection {...p} base={base} />
        <AccessSection {...p} base={base} />
      </div>
      <section class="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Signed-in devices</h2>
        <SessionList sessions={p.d.sessions} currentId={p.viewer.session?.id ?? null} base={`${base}/sessions`} tz={p.tz} />
        {p.d.manageable && p.d.sessions.length ? (
          <form {...hxPost(`${base}/sessions/end-all`)}>
            <button type="submit" class="danger" data-confirm={`Sign ${u.username} out on every device?`}>Sign out everywhere</button>
          </form>
        ) : ''}
      </section>
    </div>
  )
}

function ResetLink({ link, username, tz }: { link: IssuedLink; username: string; tz: string }) {
  return (
    <section class="card print-note" aria-labelledby="link-title">
      <h2 id="link-title">One-time password link</h2>
      <p safe>{`Give this link to ${username}. It sets a new password once, and stops working at ${fmtDateTime(link.expiresAt, tz)} (24 hours). Making another link cancels this one.`}</p>
      <p class="actions">
        <code id="reset-link" safe>{link.url}</code>
        <button type="button" class="secondary" data-copy="reset-link">Copy link</button>
      </p>
      <p class="muted">To hand it over on paper, print this page. The link is shown only now: it is not stored, so copy or print it before leaving.</p>
    </section>
  )
}

type SectionProps = UserAdminProps & { base: string }

function Summary({ d, viewer, tz, base }: SectionProps) {
  const u = d.user
  const why = impersonationRefusal(viewer, u)
  return (
    <section class="card" aria-labelledby="summary-title">
      <h2 id="summary-title">Account</h2>
      <dl class="facts">
        <dt>Username</dt><dd class="mono" safe>{u.username}</dd>
        <dt>Id</dt><dd>{u.id}</dd>
        <dt>Type</dt><dd>{u.userType}</dd>
        <dt>Status</dt>
        <dd>
          {u.locked ? <span class="badge err">locked</span> : !u.active ? <span class="badge err">inactive</span> : <span class="badge">active</span>}
          {u.isSuperuser ? <> <span class="badge">superuser</span></> : ''}
          {u.totpEnabled ? <> <span class="badge">two-step login</span></> : ''}
          {d.lockedOut ? <> <span class="badge warn">login locked out</span></> : ''}
        </dd>
        <dt>Created</dt><dd safe>{fmtDateTime(u.createdAt, tz)}</dd>
        <dt>Last login</dt><dd safe>{u.lastLogin === null ? 'never' : fmtDateTime(u.lastLogin, tz)}</dd>
      </dl>
      <h3>View as this user</h3>
      {why ? <p class="muted" safe>{why}</p> : (
        <form method="post" action={`${base}/impersonate`}>
          <p>See Ion exactly as they do, with a banner and a Stop button on every page. Needs your password within the last 15 minutes; start and stop are recorded.</p>
          <button type="submit" class="secondary">View as this user</button>
        </form>
      )}
    </section>
  )
}

function EditSection({ d, viewer, edit, base }: SectionProps) {
  if (!d.manageable) return ''
  const f = edit?.form
  const e = edit?.errors ?? {}
  const v = f ?? formOf(d.user)
  return (
    <section class="card" aria-labelledby="edit-title">
      <h2 id="edit-title">Details</h2>
      {Object.keys(e).length ? <p class="alert error" role="alert">Nothing was saved. Fix the fields marked below.</p> : ''}
      <form {...hxPost(`${base}/edit`)} class="stack">
        <Field name="first_name" label="First name" value={v.first_name} error={e.first_name} maxlength={100} autocomplete="off" />
        <Field name="middle_name" label="Middle name" value={v.middle_name} error={e.middle_name} maxlength={100} autocomplete="off" />
        <Field name="last_name" label="Last name" value={v.last_name} error={e.last_name} maxlength={100} autocomplete="off" />
        <Field name="nickname" label="Nickname" value={v.nickname} error={e.nickname} maxlength={100} autocomplete="off" />
        <div class="field">
          <label for="f-user_type">Account type</label>
          <select id="f-user_type" name="user_type" aria-invalid={e.user_type ? 'true' : undefined} aria-describedby={e.user_type ? 'f-user_type-err' : undefined}>
            {USER_TYPES.map((t) => <option value={t} selected={t === v.user_type}>{t}</option>)}
          </select>
          {e.user_type ? <span class="error" id="f-user_type-err" safe>{e.user_type}</span> : ''}
        </div>
        <Field name="graduation_year" label="Graduation year" value={v.graduation_year} error={e.graduation_year} inputmode="numeric" maxlength={4} hint="Empty for staff." />
        <Field name="student_id" label="Student ID" value={v.student_id} error={e.student_id} maxlength={20} autocomplete="off" />
        <Field name="counselor" label="Counselor (username)" value={v.counselor} error={e.counselor} maxlength={40} autocomplete="off" />
        <div class="field">
          <label for="f-admin_comments">Admin comments</label>
          <span class="hint" id="f-admin_comments-hint">Seen only by administrators.</span>
          <textarea id="f-admin_comments" name="admin_comments" rows="3" maxlength="5000" aria-invalid={e.admin_comments ? 'true' : undefined}
            aria-describedby={e.admin_comments ? 'f-admin_comments-hint f-admin_comments-err' : 'f-admin_comments-hint'} safe>{v.admin_comments}</textarea>
          {e.admin_comments ? <span class="error" id="f-admin_comments-err" safe>{e.admin_comments}</span> : ''}
        </div>
        {viewer.isSuperuser ? (
          <div class="field">
            <Check name="is_superuser" label="Superuser (every permission, and manages permission groups)" checked={v.is_superuser !== undefined} />
            {e.is_superuser ? <span class="error" safe>{e.is_superuser}</span> : ''}
          </div>
        ) : ''}
        <button type="submit">Save details</button>
      </form>
    </section>
  )
}

function GroupsSection({ d, viewer, groupError, base }: SectionProps) {
  return (
    <section class="card" aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      {d.groups.length === 0 ? <p class="muted">Not in any group.</p> : ''}
      <ul>
        {d.groups.map((g) => (
          <li class="actions">
            <span safe>{g.name}</span>
            {d.manageable && mayManageGroup(viewer, g.name) ? (
              <form {...hxPost(`${base}/groups/${g.id}/remove`)}>
                <button type="submit" class="link" aria-label={`Remove from ${g.name}`}>Remove</button>
              </form>
            ) : ''}
          </li>
        ))}
      </ul>
      {d.manageable ? (
        <form {...hxPost(`${base}/groups`)} class="stack">
          <div class="field">
            <label for="f-group">Add to a group</label>
            <span class="hint" id="f-group-hint">
              {viewer.isSuperuser ? 'Type a group name.' : 'Type a group name. Permission groups (admin_…) are managed by superusers.'}
            </span>
            <input id="f-group" name="group" type="text" list="group-names" maxlength={100} autocomplete="off" required
              aria-invalid={groupError ? 'true' : undefined} aria-describedby={groupError ? 'f-group-hint f-group-err' : 'f-group-hint'} />
            {groupError ? <span class="error" id="f-group-err" safe>{groupError}</span> : ''}
          </div>
          <datalist id="group-names">{d.groupChoices.map((n) => <option value={n} />)}</datalist>
          <button type="submit" class="secondary">Add to group</button>
        </form>
      ) : ''}
    </section>
  )
}

function AccessSection({ d, base }: SectionProps) {
  const u = d.user
  return (
    <section class="card" aria-labelledby="access-title">
      <h2 id="access-title">Access</h2>
      {d.manageable ? (
        u.locked ? (
          <form {...hxPost(`${base}/unlock`)}>
            <p>The account is locked: it cannot log in or use the API.</p>
            <button type="submit">Unlock the account</button>
          </form>
        ) : (
          <form {...hxPost(`${base}/lock`)}>
            <p>Locking signs the person out everywhere and stops every login and API use until unlocked.</p>
            <button type="submit" class="danger" data-confirm={`Lock ${u.username} and sign them out everywhere?`}>Lock the account</button>
          </form>
        )
      ) : ''}
      <h3>Failed logins</h3>
      {d.lockedOut ? (
        <form {...hxPost(`${base}/lockout/lift`)}>
          <p>Too many wrong passwords: logins are paused for 15 minutes on the devices used.</p>
          <button type="submit" class="secondary">Lift the login lockout</button>
        </form>
      ) : <p class="muted">No login lockout.</p>}
      {d.manageable ? (
        <>
          <h3>Password</h3>
          <form {...hxPost(`${base}/password-link`)}>
            <p>Make a one-time link with which the person chooses a new password (24 hours, works once).</p>
            <button type="submit" class="secondary">Make a password link</button>
          </form>
        </>
      ) : ''}
    </section>
  )
}

/** GET /admin/users/:id/impersonate: where re-authentication comes back to. */
export function ImpersonateConfirm({ id, username, why }: { id: number; username: string; why: string | null }) {
  return (
    <section class="card login" aria-labelledby="imp-title">
      <h1 id="imp-title" safe>{`View as ${username}`}</h1>
      {why ? <p class="alert warn" safe>{why}</p> : (
        <form method="post" action={`/admin/users/${id}/impersonate`} class="stack">
          <p>You will see Ion exactly as this person does, with their permissions, until you press Stop in the banner. Start and stop are recorded.</p>
          <button type="submit">View as this user</button>
        </form>
      )}
      <p><a href={`/admin/users/${id}`}>Back to the account</a></p>
    </section>
  )
}
