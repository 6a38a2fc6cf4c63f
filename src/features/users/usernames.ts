// Ion's username rule (dataimport import_students): <grad year><first initial><last name, letters
// only, cut to 7>, lower-case: 2023jdoe, 2023alongest. On a collision the trailing number goes up,
// or a 1 is appended: 2021ttest → 2021ttest1 → 2021ttest2.

export const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/

/** a–z only, accents folded (José Núñez-O'Brien → josenunezobrien). */
export function lettersOnly(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '')
}

/** The student username before any collision suffix; null when the first name has no letters. */
export function studentUsernameBase(graduationYear: number, firstName: string, lastName: string): string | null {
  const initial = lettersOnly(firstName).slice(0, 1)
  if (!initial) return null
  return `${graduationYear}${initial}${lettersOnly(lastName).slice(0, 7)}`
}

/** Staff accounts (demo data): first initial + last name, letters only, at most 15 characters. */
export function staffUsernameBase(firstName: string, lastName: string): string | null {
  const base = (lettersOnly(firstName).slice(0, 1) + lettersOnly(lastName)).slice(0, 15)
  return base.length >= 2 ? base : null
}

/** 2021ttest → 2021ttest1; 2021ttest1 → 2021ttest2; 2021ttest9 → 2021ttest10. */
export function nextUsername(u: string): string {
  const m = /^(.*?[^0-9])([0-9]+)$/.exec(u)
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${u}1`
}

/** The part a suffix is added to: trailing digits removed (the bases always end in a letter). */
export const usernameStem = (u: string) => u.toLowerCase().replace(/[0-9]+$/, '')

/**
 * Hands out unique usernames against a set of taken ones (lower-case), remembering each it gives,
 * so one file (or one seed run) never gets the same username twice.
 */
export class UsernameAllocator {
  private taken: Set<string>
  /** Where the search for each base got to: every candidate before it is taken (the set only grows). */
  private resume = new Map<string, string>()
  constructor(taken: Iterable<string> = []) {
    this.taken = new Set([...taken].map((t) => t.toLowerCase()))
  }
  has(u: string): boolean {
    return this.taken.has(u.toLowerCase())
  }
  reserve(u: string): void {
    this.taken.add(u.toLowerCase())
  }
  allocate(base: string): string {
    const b = base.toLowerCase()
    let u = this.resume.get(b) ?? b
    while (this.taken.has(u)) u = nextUsername(u)
    this.taken.add(u)
    this.resume.set(b, u)
    return u
  }
}
