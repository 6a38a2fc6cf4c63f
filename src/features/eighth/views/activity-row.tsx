import type { PropsWithChildren } from '@kitajs/html'
import { trustedHtml } from '../../../platform/html/components.tsx'
import type { SharedActivity } from '../block-list.ts'
import { rowAction, type ActivityView, type SignupModel } from '../signup-page.ts'
import { SeatsText } from './seats.tsx'

// One activity in the list. One partial, two uses: a row of the page, and the whole htmx answer
// to a signup (with its failure reasons inline). A row carries no form of its own: its buttons
// submit the list's forms (ListForms: the uid and bid once), so a row is only what it shows.
// Styled by public/eighth-signup.css through `.activities` descendant selectors.

export const signupUrl = (blockId: number) => `/eighth/signup/${blockId}`

/** The forms' ids: the row's buttons name them with `form=` (or sit inside the signup form). */
export const FAV_FORM = 'fav'
export const SIGNUP_FORM = 'su'
export const FORCE_FORM = 'force'
/** Every button of the list waits while a signup is on its way (one at a time). */
const DISABLE = '#activity-list button'

function Badge({ short, long, kind }: { short: string; long?: string; kind?: 'warn' | 'err' | 'ok' }) {
  const cls = kind ? `badge ${kind}` : 'badge'
  if (!long) return <span class={cls} safe>{short}</span>
  return (
    <span class={cls} title={long}>
      <span aria-hidden="true" safe>{short}</span>
      <span class="visually-hidden" safe>{long}</span>
    </span>
  )
}

export function Badges({ a, admin }: { a: ActivityView; admin: boolean }) {
  const f = a.flags
  const html = [
    a.selected ? <Badge short="Your activity" kind="ok" /> : '',
    a.cancelled ? <Badge short="Cancelled" kind="err" /> : '',
    f.special ? <Badge short="Special" /> : '',
    a.restrictedForYou ? <Badge short="R" long="Restricted for you" kind="warn" /> : '',
    a.stickyForYou && (a.selected || admin) ? <Badge short="S" long="Sticky" /> : '',
    f.bothBlocks ? <Badge short="BB" long="Both blocks" /> : '',
    f.administrative ? <Badge short="A" long="Administrative" /> : '',
    f.presign ? <Badge short="2 day" long={a.opensAt ? `Signups open ${a.opensAt}` : 'Opens two days before'} /> : '',
  ].join('')
  return html ? <span class="badges">{trustedHtml(html)}</span> : ''
}

/**
 * The star: a button of the list's favourite form (FAV_FORM), its glyph drawn by the stylesheet
 * from aria-pressed. Also the whole htmx answer to a toggle (favorite-routes.tsx retargets it).
 */
export function StarButton({ activityId, name, favorite }: { activityId: number; name: string; favorite: boolean }) {
  return (
    <button name="aid" value={String(activityId)} form={FAV_FORM} aria-pressed={favorite ? 'true' : 'false'} aria-label={`Favorite ${name}`}
      title={favorite ? 'Remove from favorites' : 'Add to favorites'}></button>
  )
}

/** The selector of an activity's star on the page (the htmx answer's target). */
export const starSelector = (activityId: number) => `#activity-list [form="${FAV_FORM}"][value="${Number(activityId)}"]`

/**
 * Rooms, sponsors, comments and description: the same for every viewer, so rendered once per
 * version of the block's list and kept on its cached entry (block-list.ts).
 */
function ActivityDetails({ a }: { a: SharedActivity }) {
  const r = a.row
  return (
    <>
      {a.rooms.length || a.sponsors.length ? (
        <dl>
          {a.rooms.length ? <><dt>{a.rooms.length > 1 ? 'Rooms' : 'Room'}</dt><dd safe>{a.rooms.join(', ')}</dd></> : ''}
          {a.sponsors.length ? <><dt>{a.sponsors.length > 1 ? 'Sponsors' : 'Sponsor'}</dt><dd safe>{a.sponsors.join('; ')}</dd></> : ''}
        </dl>
      ) : ''}
      {r.comments ? <p class="c" safe>{r.comments}</p> : ''}
      {r.description ? (
        <details>
          <summary>About<span safe>{` ${a.fullName}`}</span></summary>
          <p safe>{r.description}</p>
        </details>
      ) : ''}
    </>
  )
}

/** The row's action: a button of the signup form it sits in, or why there is none. */
function Action({ m, a }: { m: SignupModel; a: ActivityView }) {
  const action = rowAction(m, a)
  if (action.kind === 'none') return action.reason ? <p class="why" safe>{action.reason}</p> : ''
  if (action.kind === 'current-locked') return <p class="why">You cannot leave this activity.</p>
  if (action.kind === 'leave') return <button name="unsignup" value="1" class="secondary" aria-label={`Leave ${a.fullName}`}>Leave</button>
  return <button name="aid" value={String(a.activityId)} aria-label={`Sign up for ${a.fullName}`}>Sign up</button>
}

/**
 * A rendered row many students share: the same activity, seat count, badges, favourite state and
 * action look the same for all of them (the student and block ids live in the list's forms).
 * Kept on the block list's cached entry (block-list.ts), so an office change drops it with the
 * rest; at most MEMO_ROWS variants per activity. A page of 160 rows is mostly these.
 */
const MEMO_ROWS = 64

/**
 * A copy of `s` in one piece. JSX builds a string by concatenation (a rope in JavaScriptCore), and
 * joining 150 memoised ropes walks every piece of each on every request: ~0.5 ms for a page,
 * against ~20 µs for flat strings.
 */
export const flat = (s: string): string => Buffer.from(s, 'utf8').toString('utf8')

export type RowProps = { m: SignupModel; a: ActivityView; errors?: string[]; oob?: boolean }

/**
 * Everything a row shows besides the activity itself, as one number (no string to build and hash
 * per row and request): the seat count, and one bit for each thing about the viewer, the block
 * or the request that the row or rowAction reads. The opening text is the memo's (memoOpens).
 */
export function rowKey({ m, a, oob }: RowProps): number {
  const b = m.block!
  const bits = (a.selected ? 1 : 0) | (a.favorite ? 2 : 0) | (m.forSelf ? 4 : 0) | (m.admin ? 8 : 0)
    | (a.restrictedForYou ? 16 : 0) | (a.stickyForYou ? 32 : 0) | (oob ? 64 : 0) | (b.locked ? 128 : 0)
    | (m.stuck ? 256 : 0) | (a.blacklisted ? 512 : 0) | (a.opensAt !== null ? 1024 : 0)
  return a.count * 2048 + bits
}

export function ActivityRow(p: RowProps): string {
  const { a } = p
  if (p.errors?.length) return (<RowBody {...p} />) as string
  const s = a.shared
  if (s.memo === undefined || s.memo.size >= MEMO_ROWS || (a.opensAt !== null && s.memoOpens !== a.opensAt)) {
    s.memo = new Map()
    s.memoOpens = a.opensAt
  }
  const key = rowKey(p)
  let html = s.memo.get(key)
  if (html === undefined) s.memo.set(key, (html = flat((<RowBody {...p} />) as string)))
  return html
}

/** A row rendered afresh (ActivityRow memoises it; exported for the test of its key). */
export function RowBody({ m, a, errors, oob }: RowProps) {
  const cls = [a.selected ? 'selected' : '', a.cancelled ? 'cancelled' : ''].filter(Boolean).join(' ') || undefined
  return (
    <li id={`sa-${a.schactId}`} class={cls} hx-swap-oob={oob ? 'true' : undefined}>
      <div>
        {m.forSelf ? <StarButton activityId={a.activityId} name={a.name} favorite={a.favorite} /> : ''}
        <h3 safe>{a.fullName}</h3>
        <Badges a={a} admin={m.admin} />
      </div>
      <SeatsText schactId={a.schactId} count={a.count} capacity={a.capacity} />
      {trustedHtml(a.shared.detailsHtml ??= flat((<ActivityDetails a={a.shared} />) as string))}
      {errors?.length ? (
        <div class="alert error act-errors" role="alert">
          {errors.length === 1 ? <p safe>{errors[0]}</p> : <ul>{errors.map((e) => <li safe>{e}</li>)}</ul>}
        </div>
      ) : ''}
      <Action m={m} a={a} />
      {errors?.length && m.admin && !a.selected ? (
        <button name="aid" value={String(a.activityId)} form={FORCE_FORM} class="danger" aria-label={`Force sign up for ${a.fullName}`}>Force sign up</button>
      ) : ''}
    </li>
  )
}

/**
 * The list's forms, once: favourites (the viewer's own page only), force (the office) and the
 * signup form around the rows, whose buttons submit it (aid, or unsignup for Leave). Without
 * JavaScript they are plain posts; with htmx the server's answer names its target (the row by id,
 * or the star), so no row carries hx- attributes.
 */
export function ListForms({ m, children }: PropsWithChildren<{ m: SignupModel }>) {
  const bid = m.block!.id
  const url = signupUrl(bid)
  const force = `${url}?force=1`
  const ids = <><input type="hidden" name="uid" value={String(m.student.id)} /><input type="hidden" name="bid" value={String(bid)} /></>
  return (
    <>
      {m.forSelf ? (
        <form id={FAV_FORM} method="post" action="/eighth/toggle_favorite" hx-post="/eighth/toggle_favorite" hx-swap="outerHTML">
          <input type="hidden" name="next" value={url} />
        </form>
      ) : ''}
      {m.admin ? <form id={FORCE_FORM} method="post" action={force} hx-post={force} hx-swap="outerHTML" hx-disable={DISABLE}>{ids}</form> : ''}
      <form id={SIGNUP_FORM} method="post" action={url} hx-post={url} hx-swap="outerHTML" hx-disable={DISABLE}>
        {ids}
        {children}
      </form>
    </>
  )
}
