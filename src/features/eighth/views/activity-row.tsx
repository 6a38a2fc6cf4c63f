import { trustedHtml } from '../../../platform/html/components.tsx'
import type { SharedActivity } from '../block-list.ts'
import { rowAction, type ActivityView, type SignupModel } from '../signup-page.ts'
import { CapacityBar, SeatsText } from './seats.tsx'

// One activity in the list. One partial, two uses: a row of the page, and the whole htmx answer
// to a signup (with its failure reasons inline) or a favorite toggle.

export const signupUrl = (blockId: number) => `/eighth/signup/${blockId}`

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
  return (
    <span class="badges">
      {a.selected ? <Badge short="Your activity" kind="ok" /> : ''}
      {a.cancelled ? <Badge short="Cancelled" kind="err" /> : ''}
      {f.special ? <Badge short="Special" /> : ''}
      {a.restrictedForYou ? <Badge short="R" long="Restricted for you" kind="warn" /> : ''}
      {a.stickyForYou && (a.selected || admin) ? <Badge short="S" long="Sticky" /> : ''}
      {f.bothBlocks ? <Badge short="BB" long="Both blocks" /> : ''}
      {f.administrative ? <Badge short="A" long="Administrative" /> : ''}
      {f.presign ? <Badge short="2 day" long={a.opensAt ? `Signups open ${a.opensAt}` : 'Opens two days before'} /> : ''}
    </span>
  )
}

export function FavoriteButton({ activityId, name, favorite, next }: { activityId: number; name: string; favorite: boolean; next: string }) {
  return (
    <form method="post" action="/eighth/toggle_favorite" hx-post="/eighth/toggle_favorite" hx-target="this" hx-swap="outerHTML" class="fav">
      <input type="hidden" name="aid" value={String(activityId)} />
      <input type="hidden" name="next" value={next} />
      <button type="submit" class="star" aria-pressed={favorite ? 'true' : 'false'} aria-label={`Favorite ${name}`} title={favorite ? 'Remove from favorites' : 'Add to favorites'}>
        <span aria-hidden="true">{favorite ? '★' : '☆'}</span>
      </button>
    </form>
  )
}

/**
 * Rooms, sponsors, comments and description: the same for every viewer, so rendered once per
 * version of the block's list and kept on its cached entry (block-list.ts).
 */
function ActivityDetails({ a }: { a: SharedActivity }) {
  const r = a.row
  return (
    <>
      {a.rooms.length || a.sponsors.length ? (
        <dl class="act-meta">
          {a.rooms.length ? <><dt>{a.rooms.length > 1 ? 'Rooms' : 'Room'}</dt><dd safe>{a.rooms.join(', ')}</dd></> : ''}
          {a.sponsors.length ? <><dt>{a.sponsors.length > 1 ? 'Sponsors' : 'Sponsor'}</dt><dd safe>{a.sponsors.join('; ')}</dd></> : ''}
        </dl>
      ) : ''}
      {r.comments ? <p class="act-comments" safe>{r.comments}</p> : ''}
      {r.description ? (
        <details class="act-desc">
          <summary>About<span class="visually-hidden" safe>{` ${a.fullName}`}</span></summary>
          <p safe>{r.description}</p>
        </details>
      ) : ''}
    </>
  )
}

type ActionProps = { m: SignupModel; a: ActivityView; force?: boolean; uid?: number }

function ActionForm({ m, a, force, uid = m.student.id }: ActionProps) {
  const bid = m.block!.id
  const action = rowAction(m, a)
  if (force) {
    const url = `${signupUrl(bid)}?force=1`
    return (
      <form method="post" action={url} hx-post={url} hx-target="closest li" hx-swap="outerHTML" hx-disable="find button" class="act-form">
        <input type="hidden" name="uid" value={String(uid)} />
        <input type="hidden" name="bid" value={String(bid)} />
        <input type="hidden" name="aid" value={String(a.activityId)} />
        <button type="submit" class="danger" aria-label={`Force sign up for ${a.fullName}`}>Force sign up</button>
      </form>
    )
  }
  if (action.kind === 'none') return action.reason ? <p class="act-why muted" safe>{action.reason}</p> : ''
  if (action.kind === 'current-locked') return <p class="act-why muted">You cannot leave this activity.</p>
  const url = signupUrl(bid)
  const leave = action.kind === 'leave'
  return (
    <form method="post" action={url} hx-post={url} hx-target="closest li" hx-swap="outerHTML" hx-disable="find button" class="act-form">
      <input type="hidden" name="uid" value={String(uid)} />
      <input type="hidden" name="bid" value={String(bid)} />
      {leave ? <input type="hidden" name="unsignup" value="1" /> : <input type="hidden" name="aid" value={String(a.activityId)} />}
      {leave
        ? <button type="submit" class="secondary" aria-label={`Leave ${a.fullName}`}>Leave</button>
        : <button type="submit" aria-label={`Sign up for ${a.fullName}`}>Sign up</button>}
    </form>
  )
}

/**
 * A rendered row many students share: the same activity, seat count, badges, favourite state and
 * action look the same for all of them but for the student id in the form, which is filled in
 * afterwards. Kept on the block list's cached entry (block-list.ts), so an office change drops it
 * with the rest; at most MEMO_ROWS variants per activity. A page of 160 rows is mostly these.
 */
const MEMO_ROWS = 64
const UID_SLOT = 'name="uid" value="0"'
const bit = (b: boolean) => (b ? '1' : '0')

export type RowProps = { m: SignupModel; a: ActivityView; errors?: string[]; oob?: boolean }

export function ActivityRow(p: RowProps) {
  const { m, a } = p
  if (p.errors?.length) return <RowBody {...p} uid={m.student.id} />
  const action = rowAction(m, a)
  // Everything the row shows besides the activity itself (and the student id).
  const key = `${bit(a.selected)}${bit(a.favorite)}${bit(m.forSelf)}${bit(m.admin)}${bit(a.restrictedForYou)}${bit(a.stickyForYou)}${bit(!!p.oob)}`
    + `|${a.count}|${a.opensAt ?? ''}|${action.kind}|${action.kind === 'none' ? action.reason : ''}|${m.block!.id}|${m.forSelf ? '' : m.student.id}`
  const memo = (a.shared.memo ??= new Map())
  let parts = memo.get(key)
  if (parts === undefined) {
    if (memo.size >= MEMO_ROWS) memo.clear()
    const html = (<RowBody {...p} uid={0} />) as string
    const i = html.indexOf(UID_SLOT)
    memo.set(key, (parts = i < 0 ? [html, null] : [html.slice(0, i), html.slice(i + UID_SLOT.length)]))
  }
  return trustedHtml(parts[1] === null ? parts[0] : `${parts[0]}name="uid" value="${Number(m.student.id)}"${parts[1]}`)
}

function RowBody({ m, a, errors, oob, uid }: RowProps & { uid: number }) {
  const cls = ['activity', a.selected ? 'selected' : '', a.cancelled ? 'cancelled' : ''].filter(Boolean).join(' ')
  const nameId = `sa-${a.schactId}-name`
  const next = m.forSelf ? signupUrl(m.block!.id) : `${signupUrl(m.block!.id)}?user=${m.student.id}`
  return (
    <li id={`sa-${a.schactId}`} class={cls} aria-labelledby={nameId} hx-swap-oob={oob ? 'true' : undefined}>
      <div class="act-head">
        {m.forSelf ? <FavoriteButton activityId={a.activityId} name={a.name} favorite={a.favorite} next={next} /> : ''}
        <h3 id={nameId} class="act-name" safe>{a.fullName}</h3>
        <Badges a={a} admin={m.admin} />
      </div>
      <div class="act-seats">
        <CapacityBar schactId={a.schactId} count={a.count} capacity={a.capacity} />
        <SeatsText schactId={a.schactId} count={a.count} capacity={a.capacity} />
      </div>
      {trustedHtml(a.shared.detailsHtml ??= (<ActivityDetails a={a.shared} />) as string)}
      {errors?.length ? (
        <div class="alert error act-errors" role="alert">
          {errors.length === 1 ? <p safe>{errors[0]}</p> : <ul>{errors.map((e) => <li safe>{e}</li>)}</ul>}
        </div>
      ) : ''}
      <div class="act-action">
        <ActionForm m={m} a={a} uid={uid} />
        {errors?.length && m.admin && !a.selected ? <ActionForm m={m} a={a} force /> : ''}
      </div>
    </li>
  )
}
