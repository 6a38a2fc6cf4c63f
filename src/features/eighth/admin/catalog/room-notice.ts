import type { Config } from '../../../../config.ts'
import type { Clock } from '../../../../platform/clock.ts'
import type { Tx } from '../../../../platform/db.ts'
import type { Mail } from '../../../../platform/mail/enqueue.ts'
import { composeEmail, defineEmail } from '../../../../platform/mail/render.tsx'
import { formattedRoomName, isUpcoming } from '../../effective.ts'
import { blockText } from '../../format.ts'
import { roomNoticeRows } from './activities.sql.ts'

// Ion's room-change notice for an activity's default rooms, fixed to cover every affected block:
// each student with upcoming signups that use the defaults (no room override) hears which of
// their blocks moved. Students with the same blocks share one (BCC) message.

export const activityRoomsEmail = defineEmail('eighth.activity_rooms', (d: { activity: string; from: string; to: string; blocks: string[] }) => ({
  subject: `Room changes for ${d.activity}`,
  heading: `${d.activity} has moved`,
  blocks: [
    { p: d.to ? `${d.activity} now meets in ${d.to}${d.from ? ` instead of ${d.from}` : ''}.` : `${d.activity} no longer has a room${d.from ? ` (it was in ${d.from})` : ''}. The eighth-period office will say where it meets.` },
    { p: 'This affects your signups on:' },
    { list: d.blocks },
    { link: { href: '/eighth/profile', label: 'Your eighth-period schedule' } },
  ],
}))

export const roomList = (names: string[]) => names.map(formattedRoomName).join(', ')

export async function sendActivityRoomNotice(
  tx: Tx, d: { clock: Clock; config: Config; mail: Mail }, a: { id: number; name: string; from: string[]; to: string[] },
): Promise<number[]> {
  const now = d.clock.now()
  const rows = (await roomNoticeRows(tx, a.id, d.clock.today())).filter((r) => isUpcoming(r.date, now, d.config.schoolTz))
  const byStudent = new Map<number, { email: string; blocks: string[]; key: string }>()
  for (const r of rows) {
    const s = byStudent.get(r.userId) ?? { email: r.email, blocks: [], key: '' }
    s.blocks.push(blockText(r))
    s.key += `${r.blockId}.`
    byStudent.set(r.userId, s)
  }
  const groups = new Map<string, { blocks: string[]; to: string[] }>()
  for (const s of byStudent.values()) {
    const g = groups.get(s.key) ?? { blocks: s.blocks, to: [] }
    g.to.push(s.email)
    groups.set(s.key, g)
  }
  for (const [key, g] of groups) {
    const data = { activity: a.name, from: roomList(a.from), to: roomList(a.to), blocks: g.blocks }
    await d.mail.enqueue(tx, composeEmail(activityRoomsEmail, data, { to: g.to, key: `eighth-act-rooms-${a.id}-${now.getTime()}-${key}`, audience: 'bulk' }, d.config))
  }
  return [...byStudent.keys()]
}
