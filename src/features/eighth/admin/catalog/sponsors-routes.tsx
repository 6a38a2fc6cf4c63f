import { Elysia } from 'elysia'
import { HttpError } from '../../../../platform/errors.ts'
import type { Base } from '../../../../platform/http.ts'
import { isPartial } from '../../../../platform/html/page.tsx'
import { ctx, done, flashOf, formOf, idParam, one, page, qText, refuse, ticked, type Ctx, type Flash } from './common.tsx'
import { findPeople } from './people.ts'
import { createSponsorFrom, editSponsor, removeSponsor, type SponsorInput } from './sponsors.ts'
import { listSponsors, sponsorRow, sponsorSchedule } from './sponsors.sql.ts'
import { AccountOptions, NEW_SPONSOR, SponsorDeletePage, SponsorEditPage, SponsorSchedulePage, SponsorsPage } from './sponsors-views.tsx'

const act = (c: Ctx) => ({ deps: c.deps, actorId: c.viewer.id, ip: c.ip })

function inputOf(c: Ctx): SponsorInput {
  const f = formOf(c)
  return {
    firstName: one(f, 'first_name').slice(0, 200), lastName: one(f, 'last_name').slice(0, 200), userId: one(f, 'user_id').slice(0, 12),
    account: one(f, 'account').slice(0, 100), unlink: ticked(f, 'unlink'), department: one(f, 'department').slice(0, 40),
    fullTime: ticked(f, 'full_time'), onlineAttendance: ticked(f, 'online_attendance'), contractedEighth: ticked(f, 'contracted_eighth'), showFullName: ticked(f, 'show_full_name'),
  }
}

/** Candidates for the account field, kept on a refused form so the choice can be made. */
const optionsFor = async (c: Ctx, text: string) => (text.trim() ? (await findPeople(c.deps.sql, text, 'sponsor')).rows : null)

async function listPage(c: Ctx, o: { flash?: Flash | null; errors?: string[]; form?: SponsorInput } = {}) {
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  const form = o.form ?? NEW_SPONSOR
  return page(c, 'Sponsors · Eighth office', <SponsorsPage sponsors={await listSponsors(c.deps.sql)} form={form} options={o.errors ? await optionsFor(c, form.account) : null} flash={flash} errors={o.errors} />)
}

async function loadSponsor(c: Ctx) {
  const s = await sponsorRow(c.deps.sql, idParam(c, 'id', 'sponsor'))
  if (!s) throw new HttpError(404, 'That sponsor does not exist.')
  return s
}

async function editPage(c: Ctx, o: { flash?: Flash | null; errors?: string[]; form?: SponsorInput } = {}) {
  const s = await loadSponsor(c)
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  const form = o.form ?? { ...NEW_SPONSOR, firstName: s.firstName, lastName: s.lastName, department: s.department, fullTime: s.fullTime, onlineAttendance: s.onlineAttendance, contractedEighth: s.contractedEighth, showFullName: s.showFullName }
  return page(c, `${s.lastName} · Eighth office`, <SponsorEditPage s={s} form={form} options={o.errors ? await optionsFor(c, form.account) : null} flash={flash} errors={o.errors} />)
}

export function sponsorRoutes(base: Base) {
  return new Elysia({ name: 'eighth-office-sponsors' })
    .use(base)
    .get('/eighth/admin/sponsors', (c) => listPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .get('/eighth/admin/sponsors/accounts', async (c) => {
      const x = ctx(c)
      const r = await findPeople(x.deps.sql, qText(x, 'account', 100), 'sponsor')
      const frag = <AccountOptions q={r.q} rows={r.q ? r.rows : null} />
      return isPartial(x.request) ? page(x, 'Accounts', frag) : listPage(x)
    }, { policy: 'admin_eighth' })
    .post('/eighth/admin/sponsors', async (c) => {
      const x = ctx(c)
      const form = inputOf(x)
      const r = await createSponsorFrom(act(x), form)
      if (!r.ok) return refuse(x, r.status, await listPage(x, { errors: r.errors, form, flash: null }))
      return done(x, `/eighth/admin/sponsors/${r.value}`, { kind: 'ok', messages: [`Added the sponsor ${form.lastName.trim()}.`] }, (fl) => listPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/sponsors/:id', (c) => editPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/sponsors/:id', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'sponsor')
      const form = inputOf(x)
      const r = await editSponsor(act(x), id, form)
      if (!r.ok && r.status === 404) throw new HttpError(404, r.errors.join(' '))
      if (!r.ok) return refuse(x, r.status, await editPage(x, { errors: r.errors, form, flash: null }))
      return done(x, `/eighth/admin/sponsors/${id}`, { kind: 'ok', messages: [r.value] }, (fl) => editPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/sponsors/:id/schedule', async (c) => {
      const x = ctx(c)
      const s = await loadSponsor(x)
      const rows = await sponsorSchedule(x.deps.sql, s.id, x.deps.clock.today(), 300)
      return page(x, `Schedule of ${s.lastName} · Eighth office`, <SponsorSchedulePage s={s} rows={rows} />)
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/sponsors/:id/delete', async (c) => {
      const x = ctx(c)
      const s = await loadSponsor(x)
      return page(x, `Delete ${s.lastName} · Eighth office`, <SponsorDeletePage s={s} />)
    }, { policy: 'admin_eighth' })
    .post('/eighth/admin/sponsors/:id/delete', async (c) => {
      const x = ctx(c)
      const r = await removeSponsor(act(x), idParam(x, 'id', 'sponsor'))
      if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
      return done(x, '/eighth/admin/sponsors', { kind: 'ok', messages: [r.value] }, (fl) => listPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
}
