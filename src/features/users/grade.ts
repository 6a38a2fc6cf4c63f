// Grade from graduation year and the school year (Ion: YEAR_TURNOVER_MONTH, default July).
// No graduation year means staff (Ion's grade 13).

export type Grade = { number: number; name: string }

const NAMES: Record<number, string> = { 9: 'freshman', 10: 'sophomore', 11: 'junior', 12: 'senior', 13: 'staff' }

/** The graduation year of this school year's seniors. */
export function seniorYear(today: string, turnoverMonth: number): number {
  const [y, m] = today.split('-').map(Number) as [number, number]
  return m >= turnoverMonth ? y + 1 : y
}

export function gradeNumber(graduationYear: number | null, today: string, turnoverMonth: number): number {
  if (graduationYear === null) return 13
  return 12 - (graduationYear - seniorYear(today, turnoverMonth))
}

export function gradeOf(graduationYear: number | null, today: string, turnoverMonth: number): Grade {
  const n = gradeNumber(graduationYear, today, turnoverMonth)
  return { number: n, name: NAMES[n] ?? 'graduate' }
}

/** 9–12 → the graduation year of that grade this school year. */
export function graduationYearOfGrade(grade: number, today: string, turnoverMonth: number): number {
  return seniorYear(today, turnoverMonth) + (12 - grade)
}
