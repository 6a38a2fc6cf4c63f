import type { PropsWithChildren } from '@kitajs/html'
import type { UserHit } from './admin.sql.ts'

// /admin/users: the search form and its results. The results are one partial with two uses:
// inside the page, and alone as the htmx answer to search-as-you-type and paging.

export const PAGE_SIZE = 25

const href = (q: string, page: number) => {
  const p = new URLSearchParams()
  if (q) p.set('q', q)
  if (page > 1) p.set('page', String(page))
  const s = p.toString()
  return '/admin/users' + (s ? '?' + s : '')
}

function PageLink({ q, page, label, rel }: { q: string; page: number; label: string; rel: string }) {
  const url = href(q, page)
  return <a href={url} rel={rel} hx-get={url} hx-target="#user-results" hx-swap="outerHTML" hx-push-url="true" safe>{label}</a>
}

export function UserResults({ q, rows, total, page }: { q: string; rows: UserHit[]; total: number; page: number }) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  const first = (page - 1) * PAGE_SIZE + 1
  return (
    <div id="user-results">
      <p class="muted" role="status" safe>
        {total === 0 ? (q ? `No account matches “${q}”.` : 'No accounts yet.')
          : `${total} ${total === 1 ? 'account' : 'accounts'}${q ? ` match “${q}”` : ''}; showing ${first}–${first + rows.length - 1}.`}
      </p>
      {rows.length ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Accounts</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Username</th><th scope="col">Type</th><th scope="col">Class of</th><th scope="col">Student ID</th></tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr>
                  <td>
                    <a href={`/admin/users/${u.id}`} safe>{`${u.lastName}, ${u.firstName}${u.nickname ? ` (${u.nickname})` : ''}`}</a>
                    {u.isSuperuser ? <> <span class="badge">superuser</span></> : ''}
                    {u.locked || !u.active ? <> <span class="badge err">locked</span></> : ''}
                  </td>
                  <td class="mono" safe>{u.username}</td>
                  <td>{u.userType}</td>
                  <td>{u.graduationYear ?? '—'}</td>
                  <td class="mono" safe>{u.studentId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : ''}
      {pages > 1 ? (
        <nav class="actions" aria-label="Pages of results">
          {page > 1 ? <PageLink q={q} page={page - 1} label="Previous" rel="prev" /> : ''}
          <span safe>{`Page ${page} of ${pages}`}</span>
          {page < pages ? <PageLink q={q} page={page + 1} label="Next" rel="next" /> : ''}
        </nav>
      ) : ''}
    </div>
  )
}

export function UserSearch({ q, children }: PropsWithChildren<{ q: string }>) {
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form method="get" action="/admin/users" role="search" class="stack">
        <div class="field">
          <label for="user-q">Find a user</label>
          <span class="hint" id="user-q-hint">Name, nickname, username or student ID. Every word must match.</span>
          <input
            id="user-q" type="search" name="q" value={q} maxlength={200} autocomplete="off" aria-describedby="user-q-hint"
            hx-get="/admin/users" hx-trigger="input changed delay:300ms, search" hx-target="#user-results" hx-swap="outerHTML" hx-push-url="true"
          />
        </div>
        <button type="submit">Search</button>
      </form>
      {children}
    </section>
  )
}
