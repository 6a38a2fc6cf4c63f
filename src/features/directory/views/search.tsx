import type { PropsWithChildren } from '@kitajs/html'
import type { SearchHit } from '../../../platform/registry.ts'
import type { PersonRow, SearchOutcome, SectionResult } from '../search.ts'
import { PAGE_LIMIT } from '../search.ts'

// /search: the form (search-as-you-type) and the results. The results are one partial with two
// uses: inside the page, and alone as the htmx answer to typing. Typing does not push the URL:
// a pushed /search?q=<one person> would redirect to the profile again on Back. Enter submits
// the plain GET form (works without JavaScript, and may open the one profile found).

type Shown = Exclude<SearchOutcome, { kind: 'profile' }>

function People({ people, total, staffView }: { people: PersonRow[]; total: number; staffView: boolean }) {
  return (
    <section class="dir-people" aria-labelledby="people-title">
      <h2 id="people-title" safe>{total === 1 ? '1 person' : `${total} people`}</h2>
      {total > people.length ? <p class="muted" safe>{`Showing the first ${people.length}. Add words to narrow the search.`}</p> : ''}
      <ul class="people">
        {people.map((p) => (
          <li>
            <a href={`/profile/${p.id}`} class="person-name" safe>{p.name}</a>
            <span class="person-meta">
              <span class="mono" safe>{p.username}</span>
              <span safe>{p.label}</span>
              {staffView && p.studentId ? <span class="mono" safe>{`ID ${p.studentId}`}</span> : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

function Hit({ h }: { h: SearchHit }) {
  return (
    <li>
      {h.href ? <a href={h.href} class="hit-title" safe>{h.title}</a> : <span class="hit-title" safe>{h.title}</span>}
      {h.detail ? <p class="muted hit-detail" safe>{h.detail}</p> : ''}
    </li>
  )
}

function Section({ s }: { s: SectionResult }) {
  return (
    <section class="dir-section" aria-labelledby={`sec-${s.id}`}>
      <h2 id={`sec-${s.id}`} safe>{s.title}</h2>
      <ul class="hits">{s.hits.map((h) => <Hit h={h} />)}</ul>
    </section>
  )
}

/** What a screen reader hears after each search (kept outside the swapped results). */
export function statusText(out: Shown): string {
  if (out.kind === 'empty') return ''
  if (out.total === 0 && out.sections.length === 0) return `Nothing matches “${out.q}”.`
  return `${out.total} ${out.total === 1 ? 'person matches' : 'people match'} “${out.q}”.`
}

/** `oob`: the htmx answer also updates the page's status line (#search-status). */
export function SearchResults({ out, staffView, oob }: { out: Shown; staffView: boolean; oob?: boolean }) {
  const status = oob ? <p id="search-status" class="visually-hidden" role="status" hx-swap-oob="true" safe>{statusText(out)}</p> : ''
  if (out.kind === 'empty') return <><div id="search-results"></div>{status}</>
  const nothing = out.total === 0 && out.sections.length === 0
  return (
    <>
      <div id="search-results">
        {nothing ? <p class="alert info" safe>{`Nothing matches “${out.q}”.`}</p> : ''}
        {out.total > 0 ? <People people={out.people} total={out.total} staffView={staffView} /> : ''}
        {out.sections.map((s) => <Section s={s} />)}
      </div>
      {status}
    </>
  )
}

export function SearchPage({ q, status, children }: PropsWithChildren<{ q: string; status: string }>) {
  return (
    <section class="directory" aria-labelledby="search-title">
      <h1 id="search-title">Directory</h1>
      <form method="get" action="/search" role="search" class="dir-search">
        <label for="search-q">Search people and activities</label>
        <span class="hint" id="search-q-hint">A name, username or student ID. Every word must match.</span>
        <div class="search-row">
          <input
            id="search-q" type="search" name="q" value={q} maxlength={200} autocomplete="off" aria-describedby="search-q-hint"
            aria-controls="search-results" hx-get="/search" hx-trigger="input changed delay:250ms, search"
            hx-target="#search-results" hx-swap="outerHTML" hx-sync="this:replace"
          />
          <button type="submit">Search</button>
        </div>
      </form>
      <details class="search-tips">
        <summary>Search tips</summary>
        <ul>
          <li><code>last:lee OR last:le</code> finds either; <code>"ann"</code> matches a whole name exactly.</li>
          <li><code>grade:12</code>, <code>grade:staff</code>, <code>gradyear:2027</code>, <code>grade&gt;11</code> (juniors and seniors).</li>
          <li><code>first:an*a sex:female</code>, <code>counselor:smith</code>, <code>type:teacher</code>, <code>studentid:123</code>.</li>
          <li>{`A seven-digit student ID, or a search that finds one person, opens the profile (up to ${PAGE_LIMIT} results are listed).`}</li>
        </ul>
      </details>
      <p id="search-status" class="visually-hidden" role="status" safe>{status}</p>
      {children}
    </section>
  )
}
