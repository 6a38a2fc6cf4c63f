import { dateFormat } from '../../../platform/intl.ts'
import type { Flash } from '../flash.ts'
import { blockText } from '../format.ts'
import { searchActivities, type ActivityView, type BlockView, type SignupModel } from '../signup-page.ts'
import { trustedHtml } from '../../../platform/html/components.tsx'
import { registerAsset, assetUrl } from '../../../platform/html/assets.ts'
import pageCss from '../../../../public/eighth-signup.css' with { type: 'file' }
import { ActivityRow, flat, ListForms, signupUrl } from './activity-row.tsx'

// The signup page: whose page, the block picker, "your activity", the search box and the list.
// Its own stylesheet (public/eighth-signup.css) is linked from the page's body.

registerAsset('eighth-signup.css', pageCss)


const userQuery = (m: SignupModel) => (m.forSelf ? '' : `?user=${m.student.id}`)
export const pageUrl = (m: SignupModel, blockId: number) => signupUrl(blockId) + userQuery(m)

/** "Wed, Dec 2" by date: the picker labels ~30 blocks on every page view (a calendar day's name never changes). */
const dayLabels = new Map<string, string>()

/** "Wed, Dec 2 · A" */
function pickerLabel(b: BlockView): string {
  let day = dayLabels.get(b.date)
  if (day === undefined) {
    const [y, mo, d] = b.date.split('-').map(Number) as [number, number, number]
    day = dateFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(Date.UTC(y, mo - 1, d))
    if (dayLabels.size >= 2000) dayLabels.clear()
    dayLabels.set(b.date, day)
  }
  return `${day} · ${b.blockLetter}`
}

function signupTimeText(hhmm: string): string {
  const [h, min] = hhmm.split(':').map(Number) as [number, number]
  return `${((h + 11) % 12) + 1}:${String(min).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`
}

/**
 * Rendered picker entries by everything they show: ~30 on every page view, the same for most
 * students (an entry differs by the student's activity in that block). Bounded.
 */
const pickerEntries = new Map<string, string>()

export function PickerEntry(p: { m: SignupModel; b: BlockView; oob?: boolean }): string {
  const { m, b } = p
  const key = [b.id, m.block?.id === b.id, userQuery(m), b.date, b.blockLetter, b.activityName, b.title, b.cancelled, b.locked, !!p.oob].join('\u0000')
  let html = pickerEntries.get(key)
  if (html === undefined) {
    if (pickerEntries.size >= 5000) pickerEntries.clear()
    pickerEntries.set(key, (html = flat((<PickerEntryBody {...p} />) as string)))
  }
  return html
}

function PickerEntryBody({ m, b, oob }: { m: SignupModel; b: BlockView; oob?: boolean }) {
  const current = m.block?.id === b.id
  const activity = b.activityName ? (b.title ? `${b.activityName} - ${b.title}` : b.activityName) : null
  return (
    <li id={`pick-${b.id}`} class={current ? 'pick current' : 'pick'} hx-swap-oob={oob ? 'true' : undefined}>
      <a href={pageUrl(m, b.id)} aria-current={current ? 'page' : undefined}>
        <span class="pick-block" safe>{pickerLabel(b)}</span>
        <span class={activity ? 'pick-act' : 'pick-act none'} safe>{activity ?? 'Not signed up'}</span>
        {b.cancelled ? <span class="badge err">Cancelled</span> : ''}
        {b.locked ? <span class="badge">Locked</span> : ''}
      </a>
    </li>
  )
}

export function BlockPicker({ m }: { m: SignupModel }) {
  if (!m.picker.length) return ''
  return (
    <nav class="block-picker" aria-label="Blocks">
      <ul>{trustedHtml(m.picker.map((b) => PickerEntry({ m, b })).join(''))}</ul>
    </nav>
  )
}

export function Summary({ m, oob }: { m: SignupModel; oob?: boolean }) {
  const b = m.block!
  const c = m.current
  const whose = m.forSelf ? 'Your activity' : `Activity for ${m.student.firstName} ${m.student.lastName}`
  return (
    <section id="eighth-summary" class="card summary" aria-labelledby="summary-title" hx-swap-oob={oob ? 'true' : undefined}>
      <h2 id="summary-title" safe>{whose}</h2>
      <p class="muted" safe>{blockText(b)}</p>
      {c ? (
        <>
          <p class="summary-act"><strong safe>{c.fullName}</strong></p>
          {c.rooms.length || c.sponsors.length ? <p class="muted" safe>{[c.rooms.join(', '), c.sponsors.join('; ')].filter(Boolean).join(' · ')}</p> : ''}
          {c.cancelled ? <p class="alert error" role="alert">This activity was cancelled. Please choose another one.</p> : ''}
          {m.stuck && !m.admin ? <p class="muted">This is a sticky activity: you cannot switch out of it.</p> : ''}
        </>
      ) : (
        <p class="alert warn">{m.forSelf ? 'You have not signed up for an activity yet.' : 'Not signed up for an activity yet.'}</p>
      )}
      {b.locked ? <p class="alert info">This block is locked: signups are closed.</p> : b.upcoming ? <p class="muted" safe>{`Sign up by ${signupTimeText(b.signupTime)}.`}</p> : ''}
      {b.comments ? <p safe>{b.comments}</p> : ''}
    </section>
  )
}

const SECTIONS: { key: ActivityView['section']; title: string }[] = [
  { key: 'favorites', title: 'Favorites' },
  { key: 'special', title: 'Special activities' },
  { key: 'all', title: 'Activities' },
]

/** The list partial: the whole answer to a search, and part of the page. */
export function ActivityList({ m }: { m: SignupModel }) {
  const list = searchActivities(m.activities, m.q)
  if (!list.length) {
    const empty: string = m.q ? `No activities match "${m.q}".` : 'No activities are scheduled for this block yet.'
    return <p class="empty muted" role="status" safe>{empty}</p>
  }
  const several = new Set(list.map((a) => a.section)).size > 1
  const sections = SECTIONS.map((s) => {
    const rows = list.filter((a) => a.section === s.key)
    if (!rows.length) return ''
    return (
      <section aria-labelledby={`sec-${s.key}`}>
        <h2 id={`sec-${s.key}`} class={several ? undefined : 'visually-hidden'} safe>{s.title}</h2>
        <ul class="activities">{trustedHtml(rows.map((a) => ActivityRow({ m, a })).join(''))}</ul>
      </section>
    )
  })
  return (
    <ListForms m={m}>
      <p class="visually-hidden" role="status" safe>{`${list.length} ${list.length === 1 ? 'activity' : 'activities'}`}</p>
      {sections}
    </ListForms>
  )
}

function SearchForm({ m }: { m: SignupModel }) {
  const url = pageUrl(m, m.block!.id)
  return (
    <form role="search" method="get" action={signupUrl(m.block!.id)} class="act-search" hx-get={url} hx-target="#activity-list" hx-swap="innerHTML">
      {m.forSelf ? '' : <input type="hidden" name="user" value={String(m.student.id)} />}
      <label for="act-q">Search activities</label>
      <div class="search-row">
        <input id="act-q" type="search" name="q" value={m.q} autocomplete="off" maxlength={200} placeholder="Name, sponsor, room…"
          hx-get={url} hx-trigger="input changed delay:200ms, search" hx-target="#activity-list" hx-swap="innerHTML" />
        <button type="submit" class="secondary">Search</button>
      </div>
    </form>
  )
}

export function FlashMessage({ flash }: { flash: Flash | null }) {
  if (!flash) return ''
  const cls = flash.kind === 'ok' ? 'alert ok' : 'alert error'
  return (
    <div class={cls} role={flash.kind === 'ok' ? 'status' : 'alert'}>
      {flash.messages.length === 1 ? <p safe>{flash.messages[0]}</p> : <ul>{flash.messages.map((x) => <li safe>{x}</li>)}</ul>}
    </div>
  )
}

export function SignupPage({ m, flash }: { m: SignupModel; flash: Flash | null }) {
  const heading = m.forSelf ? 'Eighth period signup' : `Eighth period signup for ${m.student.firstName} ${m.student.lastName}`
  if (!m.block) {
    return (
      <section class="eighth-signup" aria-labelledby="signup-title">
        <h1 id="signup-title" safe>{heading}</h1>
        <p class="empty card">No eighth-period blocks have been scheduled yet. Check back later.</p>
      </section>
    )
  }
  return (
    <section class="eighth-signup" aria-labelledby="signup-title">
      <link rel="stylesheet" href={assetUrl('eighth-signup.css')} />
      <h1 id="signup-title" safe>{heading}</h1>
      <FlashMessage flash={flash} />
      <BlockPicker m={m} />
      <Summary m={m} />
      <SearchForm m={m} />
      <div id="activity-list">
        <ActivityList m={m} />
      </div>
      <div hidden class="live" hx-ws:connect={`/eighth/live/${m.block.id}`} hx-swap="none"></div>
    </section>
  )
}
