import type { Tx } from '../../../../platform/db.ts'
import { composeEmail, defineEmail } from '../../../../platform/mail/render.tsx'
import { formattedRoomName } from '../../effective.ts'
import type { OfficeDeps } from '../../office.ts'
import { membersToEmail } from '../../office.sql.ts'

// Ion's "Room change for <activity> on <date>" for one scheduled activity, sent for every block
// whose rooms change (Ion only sent it for A blocks).

export const roomChangeEmail = defineEmail('eighth.room_change', (d: { activity: string; block: string; from: string; to: string }) => ({
  subject: `Room change for ${d.activity} on ${d.block}`,
  heading: 'Your eighth-period activity has moved',
  blocks: [
    { p: d.to
      ? `${d.activity} on ${d.block} has moved ${d.from ? `from ${d.from} ` : ''}to ${d.to}.`
      : `${d.activity} on ${d.block} has been removed from ${d.from || 'its room'}. The eighth-period office will say where it meets.` },
    { link: { href: '/eighth/profile', label: 'Your eighth-period schedule' } },
  ],
}))

const names = (xs: string[]) => xs.map(formattedRoomName).join(', ')

/** Emails the members who want eighth-period email; returns the students told. */
export async function sendRoomChange(tx: Tx, d: OfficeDeps, s: { id: number; activity: string; block: string; from: string[]; to: string[] }): Promise<number[]> {
  const members = await membersToEmail(tx, s.id)
  if (!members.length) return []
  const data = { activity: s.activity, block: s.block, from: names(s.from), to: names(s.to) }
  await d.mail.enqueue(tx, composeEmail(roomChangeEmail, data, { to: members.map((m) => m.email), key: `eighth-room-${s.id}-${d.clock.now().getTime()}`, audience: 'bulk' }, d.config))
  return members.map((m) => m.userId)
}
