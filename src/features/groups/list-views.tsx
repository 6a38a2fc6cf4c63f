import { Errors } from '../../platform/html/components.tsx'
import type { GroupBrief } from './membership.ts'
import type { GroupRow } from './groups.sql.ts'

// /groups: "your groups" for everyone; for group admins also every group, and a create form.

export type GroupsPageProps = {
  mine: GroupBrief[]
  all: GroupRow[] | null
  create?: { name: string; studentVisible: boolean; errors: string[] }
  superuser: boolean
}

export function GroupsPage(p: GroupsPageProps) {
  return (
    <div id="groups-page" class="groups">
      <h1>Groups</h1>
      <section class="card" aria-labelledby="mine-title">
        <h2 id="mine-title">Your groups</h2>
        {p.mine.length === 0 ? <p class="muted">You are not in any group.</p> : (
          <ul class="chips">
            {p.mine.map((g) => <li safe>{g.name}</li>)}
          </ul>
        )}
      </section>
      {p.all ? <AllGroups {...p} all={p.all} /> : ''}
    </div>
  )
}

function AllGroups(p: GroupsPageProps & { all: GroupRow[] }) {
  const c = p.create
  return (
    <>
      <details class="card new-group" open={c ? true : undefined}>
        <summary><h2>New group</h2></summary>
        <Errors errors={c?.errors ?? []} />
        <form method="post" action="/groups" class="stack">
          <div class="field">
            <label for="f-new-name">Name</label>
            <span class="hint" id="f-new-name-hint">
              {p.superuser ? 'A name starting with admin_ makes a permission group.' : 'Permission groups (admin_…) are made by superusers.'}
            </span>
            <input id="f-new-name" name="name" type="text" maxlength={100} required autocomplete="off" value={c?.name}
              aria-describedby="f-new-name-hint" aria-invalid={c?.errors.length ? 'true' : undefined} />
          </div>
          <label class="check" for="f-new-visible">
            <input type="checkbox" id="f-new-visible" name="student_visible" value="on" checked={c?.studentVisible} />
            <span>Students can see it (and pick it as an audience)</span>
          </label>
          <button type="submit">Create group</button>
        </form>
      </details>
      <section class="card" aria-labelledby="all-title">
        <h2 id="all-title">All groups</h2>
        <p class="muted" safe>{`${p.all.length} ${p.all.length === 1 ? 'group' : 'groups'}.`}</p>
        <div class="table-wrap">
          <table class="groups-table">
            <caption class="visually-hidden">All groups: members, and whether students can see the group</caption>
            <thead><tr><th scope="col" class="name">Name</th><th scope="col" class="num">Members</th><th scope="col">Students</th></tr></thead>
            <tbody>
              {p.all.map((g) => (
                <tr>
                  <td>
                    <a href={`/groups/${g.id}`} safe>{g.name}</a>
                    {g.name.toLowerCase().startsWith('admin_') ? <> <span class="badge warn">permission</span></> : ''}
                  </td>
                  <td class="num">{g.members}</td>
                  <td>{g.studentVisible ? 'visible' : <span class="muted">hidden</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  )
}
