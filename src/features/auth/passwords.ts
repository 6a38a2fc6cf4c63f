import { COMMON_PASSWORDS } from './common-passwords.ts'

// argon2id through Bun.password at the OWASP minimum (m=19456 KiB, t=2): ~45 ms a hash.
export const HASH_OPTIONS = { algorithm: 'argon2id', memoryCost: 19456, timeCost: 2 } as const

export const hashPassword = (pw: string) => Bun.password.hash(pw, HASH_OPTIONS)

// Verifying against this when the username is unknown keeps the timing the same.
let dummyHash: Promise<string> | null = null

export async function verifyPassword(pw: string, hash: string | null): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('not-a-real-password-' + Math.random())
    await Bun.password.verify(pw, await dummyHash).catch(() => false)
    return false
  }
  try {
    return await Bun.password.verify(pw, hash)
  } catch {
    return false
  }
}

/** Minimum length and the common-password list; no other composition rules (NIST 800-63B). */
export function passwordProblems(pw: string, opts: { minLength: number; username?: string }): string[] {
  const errors: string[] = []
  if (pw.length < opts.minLength) errors.push(`Use at least ${opts.minLength} characters.`)
  if (pw.length > 256) errors.push('Use at most 256 characters.')
  const lower = pw.toLowerCase()
  if (COMMON_PASSWORDS.has(lower) || (opts.username && lower.includes(opts.username.toLowerCase()) && opts.username.length >= 3))
    errors.push('That password is too easy to guess. Choose another.')
  return errors
}
