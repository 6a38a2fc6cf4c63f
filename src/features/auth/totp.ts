import { createTOTPKeyURI, verifyTOTPWithGracePeriod } from '@oslojs/otp'
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding'

// TOTP two-step login (RFC 6238: 30 s, 6 digits), via @oslojs/otp.

export function newTotpKey(): Uint8Array {
  const key = new Uint8Array(20)
  crypto.getRandomValues(key)
  return key
}

export const totpKeyText = (key: Uint8Array) => encodeBase32UpperCaseNoPadding(key).replace(/(.{4})/g, '$1 ').trim()

export const totpUri = (issuer: string, username: string, key: Uint8Array) => createTOTPKeyURI(issuer, username, key, 30, 6)

/** Codes one step either side are accepted (clock drift between phone and server). */
export function verifyTotp(key: Uint8Array, code: string): boolean {
  const c = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(c)) return false
  return verifyTOTPWithGracePeriod(key, 30, 6, c, 30)
}
