// Signup failures (ion-eighth.md §2.1): every failing check is collected; messages are sorted by
// code; each has a student text and an office text (used when the requester is a non-student admin).

export type SignupCode =
  | 'ActivityDeleted' | 'ActivityFull' | 'Blacklisted' | 'BlockLocked' | 'OneADay' | 'Presign'
  | 'Restricted' | 'ScheduledActivityCancelled' | 'SignupForbidden' | 'Sticky'

export type SignupError = { code: SignupCode; arg?: string }

const TEXT: Record<SignupCode, [student: (a?: string) => string, admin: (a?: string) => string]> = {
  ActivityDeleted: [() => 'This activity has been deleted. Refresh the page to see the current list of activities.', () => 'This activity has been deleted.'],
  ActivityFull: [() => 'This activity is full. You may not sign up for it at this time.', () => 'This activity is full.'],
  Blacklisted: [() => 'You are blacklisted from this activity.', () => 'This student is blacklisted from this activity.'],
  BlockLocked: [() => 'This block has been locked. Signups are not allowed at this time.', () => 'This block has been locked.'],
  OneADay: [() => 'You may only sign up for this activity once per day. Change your signup in the other block first.', () => 'This is a one-a-day activity, and the student is in it in another block on this day.'],
  Presign: [(a) => `You may not sign up for this activity until ${a}.`, (a) => `This activity can't be signed up for until ${a}.`],
  Restricted: [() => 'This activity is restricted. You are not on the list of students allowed to sign up.', () => 'This activity is restricted for this student.'],
  ScheduledActivityCancelled: [() => 'This activity has been cancelled for this block.', () => 'This activity has been cancelled for this block.'],
  SignupForbidden: [() => 'You may not sign this student up for activities.', () => 'You may not sign this student up for activities. This should not be happening – contact an Intranet administrator.'],
  Sticky: [() => 'You may not switch out of a sticky activity.', () => 'This student is already in a sticky activity.'],
}

export function signupMessages(errors: SignupError[], officeText: boolean): string[] {
  const seen = new Set<string>()
  return [...errors]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .filter((e) => (seen.has(e.code) ? false : (seen.add(e.code), true)))
    .map((e) => TEXT[e.code][officeText ? 1 : 0](e.arg))
}
