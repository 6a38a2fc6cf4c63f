import { isNever, many, one, ticked, toLocalInput, type Form } from './form.ts'
import type { AnnouncementRow } from './announcements.sql.ts'
import type { RequestRow } from './requests.sql.ts'

// What the forms show: a submitted form echoed back as typed, or a stored post or request.

export type FormValues = {
  title: string
  author: string
  content: string
  expiration: string
  noExpiration: boolean
  groups: string[]
  teachers: string[]
  activity: string
  notes: string
  pinned: boolean
  notifyPost: boolean
  notifyEmailAll: boolean
  public: boolean
}

export const emptyValues = (expiration: string): FormValues => ({
  title: '', author: '', content: '', expiration, noExpiration: false, groups: [], teachers: [], activity: '', notes: '',
  pinned: false, notifyPost: true, notifyEmailAll: false, public: false,
})


/** A submitted form, echoed back (the raw text, not the sanitized one, so nothing typed is lost). */
export function valuesOf(f: Form, fallbackExpiration: string): FormValues {
  return {
    title: one(f, 'title'), author: one(f, 'author'), content: one(f, 'content'), expiration: one(f, 'expiration') || fallbackExpiration,
    noExpiration: ticked(f, 'no_expiration'), groups: many(f, 'groups'), teachers: many(f, 'teachers'), activity: one(f, 'activity'),
    notes: one(f, 'notes'), pinned: ticked(f, 'pinned'), notifyPost: ticked(f, 'notify_post'), notifyEmailAll: ticked(f, 'notify_email_all'),
    public: ticked(f, 'public'),
  }
}

export function valuesOfRow(r: AnnouncementRow, tz: string, fallbackExpiration: string): FormValues {
  const never = isNever(r.expirationDate)
  return {
    title: r.title, author: r.author, content: r.content, expiration: never ? fallbackExpiration : toLocalInput(r.expirationDate, tz), noExpiration: never,
    groups: r.groups.map((g) => String(g.id)), teachers: [], activity: r.activityId === null ? '' : String(r.activityId), notes: '',
    pinned: r.pinned, notifyPost: r.notifyPost, notifyEmailAll: r.notifyEmailAll, public: r.public,
  }
}

export function valuesOfRequest(r: RequestRow, tz: string, fallbackExpiration: string): FormValues {
  const never = isNever(r.expirationDate)
  return {
    ...emptyValues(fallbackExpiration),
    title: r.title, author: r.author, content: r.content, notes: r.notes, noExpiration: never,
    expiration: never ? fallbackExpiration : toLocalInput(r.expirationDate, tz), teachers: r.teachers.map((t) => String(t.userId)),
  }
}
