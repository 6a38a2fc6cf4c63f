import type { UserType } from '../../platform/viewer.ts'
import { gradeOf, type Grade } from '../users/grade.ts'
import { lastFirst } from '../users/names.ts'

// How a person is labelled in the directory: "Grade 11", "Graduate", "Staff".

const TYPE_LABELS: Partial<Record<UserType, string>> = {
  teacher: 'Staff', counselor: 'Staff', user: 'Staff', simple_user: 'User', alum: 'Alum', service: 'Service account',
}

export function studentGrade(p: { userType: UserType; graduationYear: number | null }, today: string, turnoverMonth: number): Grade | null {
  return p.userType === 'student' && p.graduationYear !== null ? gradeOf(p.graduationYear, today, turnoverMonth) : null
}

/** The search results' short label. */
export function gradeLabel(p: { userType: UserType; graduationYear: number | null }, today: string, turnoverMonth: number): string {
  if (p.userType !== 'student') return TYPE_LABELS[p.userType] ?? 'Staff'
  const g = studentGrade(p, today, turnoverMonth)
  if (!g) return 'Student'
  return g.number >= 9 && g.number <= 12 ? `Grade ${g.number}` : 'Graduate'
}

/** The profile's longer label: "Senior (class of 2027)". */
export function gradeTitle(p: { userType: UserType; graduationYear: number | null }, today: string, turnoverMonth: number): string {
  const g = studentGrade(p, today, turnoverMonth)
  if (p.userType !== 'student' || !g) return gradeLabel(p, today, turnoverMonth)
  const name = g.number >= 9 && g.number <= 12 ? g.name : 'graduate'
  return `${name[0]!.toUpperCase()}${name.slice(1)} (class of ${p.graduationYear})`
}

export const listName = lastFirst
