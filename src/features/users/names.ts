// Ion's name formats and derived email rules (ion-apps.md §4).

export type NameParts = { firstName: string; lastName: string; nickname: string | null; middleName?: string }

export const shortName = (u: NameParts) => u.nickname || u.firstName
export const displayName = (u: NameParts) => `${u.nickname || u.firstName} ${u.lastName}`.trim()
export const fullName = (u: NameParts) => `${u.firstName} ${u.lastName}`.trim()
export const lastFirst = (u: NameParts) => `${u.lastName}, ${u.firstName}${u.nickname ? ` (${u.nickname})` : ''}`
export const lastFirstId = (u: NameParts & { studentId: string | null; username: string }) => `${lastFirst(u)} (${u.studentId ?? u.username})`
export const lastFirstInitial = (u: NameParts) => `${u.lastName}, ${u.firstName.slice(0, 1)}.${u.nickname ? ` (${u.nickname})` : ''}`

export type EmailRow = { address: string; isPrimary: boolean }

/** The school address: the first on file in a school domain (SCHOOL_EMAIL_DOMAINS), else the first on file. */
export function schoolEmail(emails: EmailRow[], domains: string[]): string | null {
  const school = emails.find((e) => domains.some((d) => e.address.toLowerCase().endsWith('@' + d)))
  return school?.address ?? emails[0]?.address ?? null
}

/** Where mail is sent: the primary address, else the first on file. */
export function notificationEmail(emails: EmailRow[]): string | null {
  return emails.find((e) => e.isPrimary)?.address ?? emails[0]?.address ?? null
}
