import type { PropsWithChildren } from '@kitajs/html'
import type { Flash } from '../../../flash.ts'
import { blockText } from '../../../format.ts'
import { capacityOf } from '../../../signup.ts'
import { schactName } from '../common.ts'
import type { BlockOption, SchactOption } from '../moves.sql.ts'

// The pieces every office tool page uses. Each tool is one section (#moves-tool): the whole page
// around it for a normal request, the section alone for htmx, which swaps it in place.

export const TOOLS: { href: string; label: string }[] = [
  { href: '/eighth/admin/moves/group', label: 'Sign up a group' },
  { href: '/eighth/admin/moves/distribute', label: 'Distribute students' },
  { href: '/eighth/admin/moves/transfer', label: 'Transfer students' },
  { href: '/eighth/admin/moves/clear', label: 'Clear signups' },
  { href: '/eighth/admin/moves/sticky', label: 'Sticky students' },
  { href: '/eighth/admin/moves/signup', label: 'Sign up a student' },
  { href: '/eighth/admin/unsigned', label: 'Unsigned students' },
]

/** The form attributes of a POST that works without JavaScript and swaps the tool with htmx. */
export const hxPost = (action: string) => ({ method: 'post', action, 'hx-post': action, 'hx-target': '#moves-tool', 'hx-swap': 'outerHTML' })

export function FlashNote({ flash }: { flash: Flash | null | undefined }) {
  if (!flash || !flash.messages.length) return ''
  const kind = flash.kind === 'ok' ? 'ok' : 'error'
  return (
    <div class={`alert ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {flash.messages.length === 1 ? <p safe>{flash.messages[0]}</p> : <ul>{flash.messages.map((m) => <li safe>{m}</li>)}</ul>}
    </div>
  )
}

export function Tool({ title, flash, children }: PropsWithChildren<{ title: string; flash?: Flash | null }>) {
  return (
    <section id="moves-tool" class="moves" aria-labelledby="moves-title">
      <p class="muted"><a href="/eighth/admin/moves">Moving students</a></p>
      <h1 id="moves-title" safe>{title}</h1>
      <FlashNote flash={flash} />
      {children}
    </section>
  )
}

/** "Wed, December 2, 2026 (A)" with a lock marker. */
export const blockLabel = (b: BlockOption) => blockText(b) + (b.locked ? ' · locked' : '')

export function BlockSelect({ name, label, blocks, selected, id }: { name: string; label: string; blocks: BlockOption[]; selected: number | null; id?: string }) {
  const fid = id ?? `f-${name}`
  return (
    <div class="field">
      <label for={fid} safe>{label}</label>
      <select id={fid} name={name} required>
        <option value="">Choose a block</option>
        {blocks.map((b) => <option value={String(b.id)} selected={b.id === selected} safe>{blockLabel(b)}</option>)}
      </select>
    </div>
  )
}

/** "Chess Club (12/20)", "Study Hall (4/unlimited)" */
export function seatText(s: SchactOption): string {
  const cap = capacityOf(s)
  return `${s.count}/${cap === -1 ? 'unlimited' : cap}`
}

export const optionLabel = (s: SchactOption) => `${schactName(s)} (${seatText(s)})`

export function SchactSelect({ name, label, options, selected, id, required = true }: { name: string; label: string; options: SchactOption[]; selected: number | null; id?: string; required?: boolean }) {
  const fid = id ?? `f-${name}`
  return (
    <div class="field">
      <label for={fid} safe>{label}</label>
      <select id={fid} name={name} required={required}>
        <option value="">Choose an activity</option>
        {options.map((s) => <option value={String(s.id)} selected={s.id === selected} safe>{optionLabel(s)}</option>)}
      </select>
    </div>
  )
}

export function GroupSelect({ groups, selected }: { groups: { id: number; name: string }[]; selected: number | null }) {
  return (
    <div class="field">
      <label for="f-group">Group</label>
      <select id="f-group" name="group" required>
        <option value="">Choose a group</option>
        {groups.map((g) => <option value={String(g.id)} selected={g.id === selected} safe>{g.name}</option>)}
      </select>
    </div>
  )
}

/** A block, then (once a block is chosen) an activity scheduled in it. */
export function BlockThenActivity(p: { blocks: BlockOption[]; block: number | null; options: SchactOption[] | null; activity: number | null; names?: [string, string]; labels?: [string, string] }) {
  const [bn, an] = p.names ?? ['block', 'activity']
  const [bl, al] = p.labels ?? ['Block', 'Activity']
  return (
    <>
      <BlockSelect name={bn} label={bl} blocks={p.blocks} selected={p.block} />
      {p.options === null ? '' : p.options.length === 0
        ? <p class="muted">Nothing is scheduled in this block.</p>
        : <SchactSelect name={an} label={al} options={p.options} selected={p.activity} />}
    </>
  )
}

/** The GET wizard form: each "Next" reloads the page with what was chosen so far. */
export function WizardForm({ action, children, submit }: PropsWithChildren<{ action: string; submit: string }>) {
  return (
    <form class="stack card" method="get" action={action} hx-get={action} hx-target="#moves-tool" hx-swap="outerHTML" hx-push-url="true">
      {children}
      <div class="actions"><button type="submit" safe>{submit}</button></div>
    </form>
  )
}
