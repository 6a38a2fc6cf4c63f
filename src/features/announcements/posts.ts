import type { Tx } from '../../platform/db.ts'
import { groupsVisibleTo } from '../groups/index.ts'
import { audit } from '../users/users.sql.ts'
import { done, isAnnouncementAdmin, mayModify, NOT_FOUND, refuse, scopeOf, type Act, type Outcome } from './access.ts'
import {
  announcementRow, deleteAnnouncementRow, expireAnnouncement, insertAnnouncement, setHidden, updateAnnouncement, type AnnouncementRow,
} from './announcements.sql.ts'
import { clubActivity, clubChoices } from './club.sql.ts'
import { sendPosted, type SentCount } from './emails.ts'
import type { Fields } from './form.ts'

// Posting, editing, expiring and deleting announcements (admins; officers, club sponsors and
// sponsors for their club's posts), and hiding one for yourself. Every change is audited; a post
// that notifies sends its email in the same transaction.

const record = (tx: Tx, a: Act, action: string, id: number, details: object) =>
  audit(tx, { actorId: a.viewer.id, action, targetType: 'announcement', targetId: id, at: a.deps.clock.now(), ip: a.ip, details })

/** Groups the viewer may target (the groups feature's rule); anything else is refused. */
async function checkGroups(a: Act, ids: number[]): Promise<Refusal | null> {
  if (!ids.length) return null
  const allowed = new Set((await groupsVisibleTo(a.deps.sql, a.viewer)).map((g) => g.id))
  return ids.every((id) => allowed.has(id)) ? null : refuse(422, 'One of the chosen groups does not exist or cannot be chosen.')
}
type Refusal = Extract<Outcome<never>, { ok: false }>

export type Posted = { id: number; mail: SentCount | null }

/** An announcements admin posts directly. */
export async function createPost(a: Act, f: Fields): Promise<Outcome<Posted>> {
  if (!isAnnouncementAdmin(a.viewer)) return refuse(403, 'Only announcement admins post directly. You can request an announcement instead.')
  const bad = await checkGroups(a, f.groups)
  if (bad) return bad
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const id = await insertAnnouncement(tx, { ...f, userId: a.viewer.id, activityId: null }, f.groups, now)
    const mail = f.notifyPost ? await sendPosted(tx, a.deps, { ...f, id, activityId: null, activityName: null, everyone: f.notifyEmailAll }, a.viewer.id, `ann-post-${id}`) : null
    await record(tx, a, 'announcement.create', id, { title: f.title, groups: f.groups, pinned: f.pinned, notifyPost: f.notifyPost, emailAll: f.notifyEmailAll, sent: mail?.to ?? 0 })
    return done({ id, mail })
  })
}

/** A club post by an admin (any club with subscriptions on) or an officer, club sponsor or sponsor of the club. */
export async function createClubPost(a: Act, f: Fields): Promise<Outcome<Posted>> {
  if (f.activityId === null) return refuse(422, 'Choose the club this announcement is for.')
  const choices = await clubChoices(a.deps.sql, a.viewer.id, isAnnouncementAdmin(a.viewer))
  const club = choices.find((c) => c.id === f.activityId)
  if (!club) return refuse(403, 'You can post club announcements only for clubs you run (as an officer or a sponsor).')
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const fields = { ...f, userId: a.viewer.id, activityId: club.id, pinned: false, notifyEmailAll: false }
    const id = await insertAnnouncement(tx, fields, [], now)
    const mail = f.notifyPost
      ? await sendPosted(tx, a.deps, { ...fields, id, activityName: club.name, subscriptionsEnabled: club.subscriptionsEnabled, everyone: false }, a.viewer.id, `ann-post-${id}`)
      : null
    await record(tx, a, 'announcement.club.create', id, { title: f.title, activityId: club.id, public: f.public, notifyPost: f.notifyPost, sent: mail?.to ?? 0 })
    return done({ id, mail })
  })
}

/** The post if it exists and the viewer may change it. */
export async function modifiable(a: Act, id: number): Promise<Outcome<AnnouncementRow>> {
  const row = await announcementRow(a.deps.sql, id, a.viewer.id, null)
  if (!row) return refuse(404, NOT_FOUND)
  if (!(await mayModify(a.deps, a.viewer, row))) {
    const scope = scopeOf(a.deps, a.viewer)
    const visible = scope ? await announcementRow(a.deps.sql, id, a.viewer.id, scope) : null
    return visible ? refuse(403, 'You may not change this announcement.') : refuse(404, NOT_FOUND)
  }
  return done(row)
}

export type EditOptions = { bump: boolean; resend: boolean; resendAll: boolean }

/**
 * Edit a post. Admins also choose groups, pinning, "update added date" (bump to the top) and
 * resending the email (to its audience, or to everyone). A club post keeps its club.
 */
export async function editPost(a: Act, id: number, f: Fields, o: EditOptions): Promise<Outcome<Posted>> {
  const got = await modifiable(a, id)
  if (!got.ok) return got
  const row = got.value
  const admin = isAnnouncementAdmin(a.viewer)
  const club = row.activityId !== null
  if (admin && !club) {
    const bad = await checkGroups(a, f.groups.filter((g) => !row.groups.some((x) => x.id === g)))
    if (bad) return bad
  }
  const now = a.deps.clock.now()
  const edit = {
    title: f.title, content: f.content, author: f.author, public: club ? f.public : row.public, expirationDate: f.expirationDate,
    notifyPost: admin ? f.notifyPost : row.notifyPost, notifyEmailAll: admin && !club ? f.notifyEmailAll : row.notifyEmailAll, pinned: admin && !club ? f.pinned : row.pinned,
  }
  const activity = club ? await clubActivity(a.deps.sql, row.activityId!) : null
  return a.deps.sql.begin(async (tx) => {
    if (!(await updateAnnouncement(tx, id, edit, admin && !club ? f.groups : null, now, admin && o.bump))) return refuse(404, NOT_FOUND)
    const resend = admin && (o.resend || (!club && o.resendAll))
    const mail = resend
      ? await sendPosted(tx, a.deps, { id, ...edit, activityId: row.activityId, activityName: row.activityName, subscriptionsEnabled: activity?.subscriptionsEnabled,
          everyone: admin && !club && o.resendAll }, a.viewer.id, `ann-post-${id}-resend-${now.getTime()}`)
      : null
    await record(tx, a, 'announcement.update', id, { title: f.title, bump: admin && o.bump, resend, emailAll: admin && !club && o.resendAll, sent: mail?.to ?? 0 })
    return done({ id, mail })
  })
}

/** Ion's delete page: the post expires now (it stays in the archive); admins may delete it for good. */
export async function removePost(a: Act, id: number, full: boolean): Promise<Outcome<'expired' | 'deleted'>> {
  const got = await modifiable(a, id)
  if (!got.ok) return got
  if (full && !isAnnouncementAdmin(a.viewer)) return refuse(403, 'Only announcement admins delete announcements for good; you can expire it.')
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const ok = full ? await deleteAnnouncementRow(tx, id) : await expireAnnouncement(tx, id, now)
    if (!ok) return refuse(404, NOT_FOUND)
    await record(tx, a, full ? 'announcement.delete' : 'announcement.expire', id, { title: got.value.title })
    return done(full ? 'deleted' as const : 'expired' as const)
  })
}

/** Collapse (or expand) a visible post for this viewer only. */
export async function setHide(a: Act, id: number, hidden: boolean): Promise<Outcome<AnnouncementRow>> {
  const scope = scopeOf(a.deps, a.viewer, isAnnouncementAdmin(a.viewer))
  const row = scope ? await announcementRow(a.deps.sql, id, a.viewer.id, scope) : null
  if (!row) return refuse(404, NOT_FOUND)
  await setHidden(a.deps.sql, id, a.viewer.id, hidden)
  return done({ ...row, hidden })
}
