import { formOf as formFields, type Form } from '../../../../platform/form.ts'
import type { PropsWithChildren } from '@kitajs/html'
import { HttpError } from '../../../../platform/errors.ts'
import type { Deps } from '../../../../platform/http.ts'
import { isHtmx, page } from '../../../../platform/html/page.tsx'
import { Errors, Notice } from '../../../../platform/html/components.tsx'
import { mailOf } from '../../../../platform/mail/enqueue.ts'
import { redirect } from '../../../../platform/redirect.ts'
import { isEighthAdmin, isStudent, type Viewer } from '../../../../platform/viewer.ts'
import { readFlash, storeFlash } from '../../flash.ts'
import type { OfficeDeps } from '../../office.ts'
import type { Requester } from '../../signup.ts'

// What the office's catalogue and scheduling pages share: the handler context, form reading,
// the page frame, and "after a POST": htmx gets the refreshed page body, a plain form a 303 back
// to the page with the message kept in Redis (eighth/flash.ts).

export type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  ip?: string
  query: Record<string, unknown>
  params: Record<string, string | undefined>
  body?: unknown
  set: { headers: Record<string, unknown>; status?: number | string }
}

/**
 * The handler context as our Ctx. Pass the whole context (`ctx(c)`): Elysia reads the handler's
 * source to decide what to parse, and a context handed to a function gets everything (an
 * aliased `c as …` whose body is read elsewhere got no body).
 */
export const ctx = (c: unknown): Ctx => c as Ctx

export { many, one, ticked, type Form } from '../../../../platform/form.ts'
export const formOf = (c: Ctx): Form => formFields(c.body)

const INT = /^-?\d{1,9}$/
export const isId = (s: string) => /^\d{1,9}$/.test(s) && Number(s) > 0
/** Whole numbers only; null for anything else. */
export const intOf = (s: string): number | null => (INT.test(s.trim()) ? Number(s.trim()) : null)
/** Ids from a repeated field; null when one of them is not an id. */
export function idsOf(values: string[]): number[] | null {
  if (values.some((v) => !isId(v))) return null
  return [...new Set(values.map(Number))].sort((a, b) => a - b)
}

/** A numeric path parameter, or 404. */
export function idParam(c: Ctx, name: string, what: string): number {
  const v = c.params[name] ?? ''
  if (!isId(v)) throw new HttpError(404, `That ${what} does not exist.`)
  return Number(v)
}

/** A query-string value (read from the URL: Elysia leaves `query` out of some contexts). */
export const qText = (c: Ctx, name: string, max = 200) => (new URL(c.request.url).searchParams.get(name) ?? '').slice(0, max)
export const qHas = (c: Ctx, name: string) => new URL(c.request.url).searchParams.has(name)

export const officeDepsOf = (deps: Deps): OfficeDeps => ({ sql: deps.sql, clock: deps.clock, config: deps.config, mail: mailOf(deps) })
export const requesterOf = (v: Viewer): Requester => ({ id: v.id, isEighthAdmin: isEighthAdmin(v), isStudent: isStudent(v) })

export type Flash = { kind: 'ok' | 'error'; messages: string[] }

/** The flash a plain form post left for this page (?flash=token). */
export async function flashOf(c: Ctx): Promise<Flash | null> {
  return readFlash(c.deps.redis, c.viewer.id, qText(c, 'flash', 40) || undefined)
}

/**
 * After a successful POST: htmx gets `render(flash)` (the page's body), a plain form a 303 back
 * to `to` with the message.
 */
export async function done(c: Ctx, to: string, flash: Flash, render: (f: Flash) => Promise<string>): Promise<Response | string> {
  if (isHtmx(c.request)) return render(flash)
  const token = await storeFlash(c.deps.redis, c.viewer.id, flash)
  return redirect(c.request, `${to}${to.includes('?') ? '&' : '?'}flash=${token}`)
}

/** A refused form: 422 with the page drawn again around the errors (nothing was changed). */
export function refuse(c: Ctx, status: number, body: string): string {
  c.set.status = status
  return body
}

type FrameProps = PropsWithChildren<{ id?: string; title: string; flash?: Flash | null; errors?: string[]; crumbs?: [string, string][] }>

const SECTIONS: [string, string][] = [
  ['/eighth/admin', 'Office'], ['/eighth/admin/blocks', 'Blocks'], ['/eighth/admin/activities', 'Activities'], ['/eighth/admin/rooms', 'Rooms'], ['/eighth/admin/sponsors', 'Sponsors'],
]

/** The office page frame: one root element that htmx forms replace (hx-target="#office"). */
export function OfficeFrame({ id, title, flash, errors, crumbs, children }: FrameProps) {
  return (
    <section id={id ?? 'office'} class="office" aria-labelledby="office-title">
      <nav class="office-nav" aria-label="Eighth-period office">
        <ul>{SECTIONS.map(([href, label]) => <li><a href={href} safe>{label}</a></li>)}</ul>
      </nav>
      {crumbs?.length ? (
        <p class="crumbs">{crumbs.map(([href, label]) => <><a href={href} safe>{label}</a>{' › '}</>)}</p>
      ) : ''}
      <h1 id="office-title" safe>{title}</h1>
      {flash ? (flash.kind === 'ok'
        ? <Notice kind="ok">{flash.messages.map((m) => <p safe>{m}</p>)}</Notice>
        : <Errors errors={flash.messages} />) : ''}
      <Errors errors={errors ?? []} />
      {children}
    </section>
  )
}

/** Attributes of a form that works without JavaScript and, with htmx, replaces the page body. */
export const hxForm = (action: string, target = '#office') => ({ method: 'post', action, 'hx-post': action, 'hx-target': target, 'hx-swap': 'outerHTML' })

export { page }
