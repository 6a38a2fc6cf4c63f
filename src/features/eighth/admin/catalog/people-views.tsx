import { hxForm } from './common.tsx'
import { personLabel, type Person } from './people.ts'

// A list of people with Remove buttons and a type-ahead to add more (allow list, blacklist,
// officers, club sponsors). Without JavaScript the search is a GET of the page itself.

export type PickerProps = {
  role: string
  title: string
  hint?: string
  /** POST `${action}` with role, user_id and op=add|remove. */
  action: string
  /** The page (GET ?role=&q= draws the candidates without JavaScript). */
  pageUrl: string
  /** GET ?role=&q= → the candidates fragment. */
  candidatesUrl: string
  people: Person[]
  q?: string
  candidates?: Person[] | null
  empty: string
}

export function Candidates({ role, action, q, rows }: { role: string; action: string; q: string; rows: Person[] | null }) {
  return (
    <div id={`cand-${role}`} class="candidates-box" aria-live="polite">
      {rows === null || (rows.length === 0 && !q) ? '' : rows.length === 0 ? <p class="muted" safe>{`No matching account for “${q}”.`}</p> : (
        <ul class="candidates">
          {rows.map((p) => (
            <li>
              <span safe>{personLabel(p)}</span>
              <form {...hxForm(action)}>
                <input type="hidden" name="role" value={role} />
                <input type="hidden" name="op" value="add" />
                <input type="hidden" name="user_id" value={String(p.id)} />
                <button type="submit" class="secondary" aria-label={`Add ${p.username}`}>Add</button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function PeoplePicker(p: PickerProps) {
  const qid = `q-${p.role}`
  return (
    <section class="card" aria-labelledby={`pick-${p.role}`}>
      <h2 id={`pick-${p.role}`} safe>{p.title}</h2>
      {p.hint ? <p class="muted small" safe>{p.hint}</p> : ''}
      {p.people.length ? (
        <ul class="people">
          {p.people.map((u) => (
            <li>
              <span safe>{personLabel(u)}</span>
              <form {...hxForm(p.action)}>
                <input type="hidden" name="role" value={p.role} />
                <input type="hidden" name="op" value="remove" />
                <input type="hidden" name="user_id" value={String(u.id)} />
                <button type="submit" class="link" aria-label={`Remove ${u.username}`}>Remove</button>
              </form>
            </li>
          ))}
        </ul>
      ) : <p class="muted" safe>{p.empty}</p>}
      <form method="get" action={p.pageUrl} role="search" class="search-row" aria-label={`Find people: ${p.title}`}>
        <input type="hidden" name="role" value={p.role} />
        <label for={qid} class="visually-hidden" safe>{`Find a person to add to ${p.title}`}</label>
        <input id={qid} type="search" name="q" value={p.q} maxlength={100} autocomplete="off" placeholder="Name, username or ID"
          aria-controls={`cand-${p.role}`} hx-get={`${p.candidatesUrl}?role=${p.role}`} hx-trigger="input changed delay:250ms, search"
          hx-target={`#cand-${p.role}`} hx-swap="outerHTML" />
        <button type="submit" class="secondary">Search</button>
      </form>
      <Candidates role={p.role} action={p.action} q={p.q ?? ''} rows={p.candidates ?? null} />
    </section>
  )
}
