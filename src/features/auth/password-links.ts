import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import type { Db } from '../../platform/db.ts'
import { consumeLink, expireOtherLinks, insertPasswordLink, peekLink } from './password-links.sql.ts'

// One-time password links: 24 hours, single use, stored only as a SHA-256 of the token.
export const LINK_TTL_MS = 24 * 3600_000

const hashToken = (t: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(t)))
const isToken = (t: string) => /^[a-z2-7]{52}$/.test(t)

export async function createPasswordLink(db: Db, userId: number, createdBy: number | null, purpose: 'admin' | 'forgot', now: Date): Promise<string> {
  const bytes = new Uint8Array(32)
  crypto.getRandomValues(bytes)
  const token = encodeBase32LowerCaseNoPadding(bytes)
  const tokenHash = hashToken(token)
  await insertPasswordLink(db, { tokenHash, userId, createdBy, purpose, now, expiresAt: new Date(now.getTime() + LINK_TTL_MS) })
  await expireOtherLinks(db, userId, tokenHash, now)
  return token
}

export async function consumePasswordLink(db: Db, token: string, now: Date): Promise<number | null> {
  return isToken(token) ? consumeLink(db, hashToken(token), now) : null
}

export async function checkPasswordLink(db: Db, token: string, now: Date): Promise<{ userId: number; username: string } | null> {
  return isToken(token) ? peekLink(db, hashToken(token), now) : null
}

export const passwordLinkUrl = (baseUrl: string, token: string) => `${baseUrl}/password/reset/${token}`
