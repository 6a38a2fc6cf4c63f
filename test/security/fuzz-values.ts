import fc from 'fast-check'

// Hostile and random values for the route fuzzer (fuzz.test.ts). Every XSS payload carries the
// case's nonce, so a reflection found in a response belongs to that case and no other.

export const SQL_PAYLOADS = [
  "1' OR '1'='1", '1;DROP TABLE users', "'; DROP TABLE users; --", '1 UNION SELECT password_hash FROM users--',
  "' OR 1=1--", '1)) OR ((1=1', "admin'--", '%27%20OR%201%3D1', '\\', "\\'", '$1', '${7*7}', '{{7*7}}',
]

export const PATH_TRICKS = ['../', '../../etc/passwd', '..%2f..%2f', '%2e%2e/', '....//', '/', '//', '.', '..', '%', '%zz', '%00', '?', '#', ';', '\\..\\']

export const UNICODE_TRICKS = [
  '\u202eevil\u202c', '\u200b', '\u200d\u200c', '\ufeff', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83dy', '😀', '👩‍👩‍👧‍👦',
  'שלום', 'مرحبا', 'Ω≈ç√', 'ﷺ', '\u0301\u0301\u0301', 'İı', 'ß', '\r\n', '\t', '\u2028\u2029', '\u00a0', 'Ａ', '\u{10ffff}',
]

export const NUMBER_TRICKS = [
  '0', '-0', '-1', '1.5', '-1.5', '1e3', '1e309', 'NaN', 'Infinity', '-Infinity', '0x10', '0b1', '0o7', '+1', ' 1', '1 ', '01',
  '00000000000000000000001', '2147483647', '2147483648', '-2147483649', '9007199254740993', '99999999999999999999999999', '1,5', '١٢٣',
  'true', 'false', 'null', 'undefined', '[]', '{}', 'on', 'off', 'yes',
]

export const DATE_TRICKS = ['2026-11-30', '2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '1900-01-01', '2026-1-1', '20261130', '2026-11-30T25:00', 'today', '2026-W48']

/** XSS payloads carrying `n`; `markers(n)` lists what must never appear unescaped in HTML. */
export function xssPayloads(n: string): string[] {
  return [
    `<script>alert(${n})</script>`,
    `"><img src=x onerror=alert(${n})>`,
    `'><svg/onload=alert(${n})>`,
    `" onmouseover="alert(${n})`,
    `javascript:alert(${n})`,
    `</textarea><script>alert(${n})</script>`,
    `</title><script>alert(${n})</script>`,
    `<iframe src="javascript:alert(${n})"></iframe>`,
    `<a href="javascript:alert(${n})">x</a>`,
  ]
}

export function markers(n: string): { literal: string[]; urlAttr: RegExp } {
  return {
    literal: [`<script>alert(${n})`, `<img src=x onerror=alert(${n})`, `<svg/onload=alert(${n})`, `" onmouseover="alert(${n})`, `<iframe src="javascript:alert(${n})`],
    urlAttr: new RegExp(`(?:href|src|action|formaction|hx-get|hx-post|hx-put|hx-delete|hx-patch)\\s*=\\s*["']?\\s*javascript:alert\\(${n}`, 'i'),
  }
}

const huge = fc.oneof(
  fc.integer({ min: 1_000, max: 100_000 }).map((k) => 'A'.repeat(k)),
  fc.tuple(fc.constantFrom('ab', '😀', "' OR 1=1 ", '<b>', '%'), fc.integer({ min: 500, max: 20_000 })).map(([s, k]) => s.repeat(k)),
)

const numberish = fc.oneof(
  fc.constantFrom(...NUMBER_TRICKS),
  fc.integer({ min: -5, max: 60 }).map(String),
  fc.integer().map(String),
  fc.double({ noDefaultInfinity: false }).map(String),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
)

const randomText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.stringMatching(/^[a-z_]{1,12}$/),
)

/**
 * One hostile string. `real` are values seen in the app (ids, usernames, dates, option values);
 * mixing them in makes a case reach real rows instead of stopping at "not found".
 */
export function hostileString(nonce: string, real: readonly string[]): fc.Arbitrary<string> {
  const arbs: fc.WeightedArbitrary<string>[] = [
    { arbitrary: fc.constantFrom(...xssPayloads(nonce)), weight: 4 },
    { arbitrary: fc.constantFrom(...SQL_PAYLOADS), weight: 2 },
    { arbitrary: fc.constantFrom(...PATH_TRICKS), weight: 1 },
    { arbitrary: fc.constantFrom(...UNICODE_TRICKS), weight: 2 },
    { arbitrary: fc.constantFrom(...DATE_TRICKS), weight: 1 },
    { arbitrary: numberish, weight: 3 },
    { arbitrary: randomText, weight: 2 },
    { arbitrary: huge, weight: 1 },
    { arbitrary: fc.constant(''), weight: 1 },
  ]
  if (real.length) {
    arbs.push({ arbitrary: fc.constantFrom(...real), weight: 6 })
    // A real value with something glued on: '12abc', '12 OR 1=1', '12<script>…'.
    arbs.push({
      arbitrary: fc.tuple(fc.constantFrom(...real), fc.constantFrom('abc', ' ', '.5', '/..', "' OR '1'='1", `<script>alert(${nonce})</script>`, '\u0000', '%00')).map(([a, b]) => a + b),
      weight: 1,
    })
  }
  return fc.oneof(...arbs)
}

/** A JSON value for a field: strings as above, plus wrong types, nesting and size. */
export function hostileJson(nonce: string, real: readonly string[]): fc.Arbitrary<unknown> {
  const s = hostileString(nonce, real)
  const realNumbers = real.filter((r) => /^\d{1,9}$/.test(r)).map(Number)
  return fc.oneof(
    { arbitrary: s, weight: 6 },
    { arbitrary: realNumbers.length ? fc.constantFrom(...realNumbers) : fc.nat(50), weight: 3 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), weight: 2 },
    { arbitrary: fc.array(s, { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.dictionary(fc.constantFrom('id', 'a', '__proto__', 'constructor', 'toString', '$gt'), s, { maxKeys: 3 }), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 3_000 }).map((d) => nested(d)), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  )
}

function nested(depth: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
  return v
}

/** Percent-encodes a path segment; lone surrogates become raw invalid UTF-8 escapes. */
export function encodeSegment(s: string, raw: boolean): string {
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (c >= 0xd800 && c <= 0xdfff) out += '%ED%' + (0xa0 | ((c >> 6) & 0x1f)).toString(16).toUpperCase() + '%' + (0x80 | (c & 0x3f)).toString(16).toUpperCase()
    else if (raw && /[./%]/.test(ch)) out += ch
    else out += encodeURIComponent(ch)
  }
  return out
}

/** The same for a query string component. */
export const encodeQuery = (s: string) => encodeSegment(s, false)
