import { Elysia } from 'elysia'
import { HttpError } from '../../../../platform/errors.ts'
import type { Base } from '../../../../platform/http.ts'
import { ctx, done, flashOf, formOf, idParam, one, page, refuse, ticked, type Ctx, type Flash } from './common.tsx'
import { createRoom, editRoom, removeRoom, type RoomInput } from './rooms.ts'
import { listRooms, roomRow } from './rooms.sql.ts'
import { RoomDeletePage, RoomEditPage, RoomsPage } from './rooms-views.tsx'

const act = (c: Ctx) => ({ deps: c.deps, actorId: c.viewer.id, ip: c.ip })
const inputOf = (c: Ctx): RoomInput => {
  const f = formOf(c)
  return { name: one(f, 'name').slice(0, 300), capacity: one(f, 'capacity').slice(0, 20), available: ticked(f, 'available_for_eighth') }
}

async function listPage(c: Ctx, o: { flash?: Flash | null; errors?: string[]; form?: RoomInput } = {}) {
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  return page(c, 'Rooms · Eighth office', <RoomsPage rooms={await listRooms(c.deps.sql)} form={o.form ?? { name: '', capacity: '28', available: true }} flash={flash} errors={o.errors} />)
}

async function loadRoom(c: Ctx) {
  const r = await roomRow(c.deps.sql, idParam(c, 'id', 'room'))
  if (!r) throw new HttpError(404, 'That room does not exist.')
  return r
}

async function editPage(c: Ctx, o: { flash?: Flash | null; errors?: string[]; form?: RoomInput } = {}) {
  const r = await loadRoom(c)
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  const v = o.form ?? { name: r.name, capacity: String(r.capacity), available: r.availableForEighth }
  return page(c, `${r.name} · Eighth office`, <RoomEditPage r={r} v={v} flash={flash} errors={o.errors} />)
}

export function roomRoutes(base: Base) {
  return new Elysia({ name: 'eighth-office-rooms' })
    .use(base)
    .get('/eighth/admin/rooms', (c) => listPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/rooms', async (c) => {
      const x = ctx(c)
      const form = inputOf(x)
      const r = await createRoom(act(x), form)
      if (!r.ok) return refuse(x, r.status, await listPage(x, { errors: r.errors, form, flash: null }))
      return done(x, '/eighth/admin/rooms', { kind: 'ok', messages: [`Added ${form.name.trim()}.`] }, (fl) => listPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/rooms/:id', (c) => editPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/rooms/:id', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'room')
      const form = inputOf(x)
      const r = await editRoom(act(x), id, form)
      if (!r.ok && r.status === 404) throw new HttpError(404, r.errors.join(' '))
      if (!r.ok) return refuse(x, r.status, await editPage(x, { errors: r.errors, form, flash: null }))
      return done(x, `/eighth/admin/rooms/${id}`, { kind: 'ok', messages: [r.value] }, (fl) => editPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/rooms/:id/delete', async (c) => {
      const x = ctx(c)
      const r = await loadRoom(x)
      return page(x, `Delete ${r.name} · Eighth office`, <RoomDeletePage r={r} />)
    }, { policy: 'admin_eighth' })
    .post('/eighth/admin/rooms/:id/delete', async (c) => {
      const x = ctx(c)
      const r = await removeRoom(act(x), idParam(x, 'id', 'room'))
      if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
      return done(x, '/eighth/admin/rooms', { kind: 'ok', messages: [r.value] }, (fl) => listPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
}
