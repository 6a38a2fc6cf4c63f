// A small RFC 4180 CSV reader and writer: quoted fields, doubled quotes, CRLF or LF, a leading BOM,
// newlines inside quotes. Every record keeps the physical line it starts on, so import errors can
// name it. Knows nothing about what the columns mean.

export type CsvRecord = { line: number; fields: string[] }

export class CsvError extends Error {
  constructor(readonly reason: string, readonly line: number) {
    super(`line ${line}: ${reason}`)
  }
}

/**
 * Parses CSV text into records. Blank lines are skipped. A quote inside an unquoted field is kept
 * as text (spreadsheets write `5" floppy`); text after a closing quote, or a quote never closed,
 * is an error (CsvError, naming the line).
 */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const n = s.length
  const out: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let fieldQuoted = false
  let recordQuoted = false
  let line = 1
  let recordLine = 1
  let i = 0

  const pushField = () => {
    fields.push(field)
    field = ''
    fieldQuoted = false
  }
  const endRecord = () => {
    pushField()
    const blank = fields.length === 1 && fields[0] === '' && !recordQuoted
    if (!blank) out.push({ line: recordLine, fields })
    fields = []
    recordQuoted = false
  }
  const newline = () => {
    i += s[i] === '\r' && s[i + 1] === '\n' ? 2 : 1
    line++
  }

  while (i < n) {
    const c = s[i]!
    if (c === '"' && field === '' && !fieldQuoted) {
      const opened = line
      fieldQuoted = recordQuoted = true
      i++
      for (;;) {
        if (i >= n) throw new CsvError('a quoted field is never closed', opened)
        const q = s[i]!
        if (q === '"') {
          if (s[i + 1] !== '"') { i++; break }
          field += '"'
          i += 2
        } else if (q === '\r' || q === '\n') {
          const crlf = q === '\r' && s[i + 1] === '\n'
          field += crlf ? '\r\n' : q
          i += crlf ? 2 : 1
          line++
        } else {
          field += q
          i++
        }
      }
      const next = s[i]
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n')
        throw new CsvError('unexpected text after a closing quote', line)
      continue
    }
    if (c === ',') {
      pushField()
      i++
    } else if (c === '\r' || c === '\n') {
      endRecord()
      newline()
      recordLine = line
    } else {
      field += c
      i++
    }
  }
  if (field !== '' || fieldQuoted || fields.length) endRecord()
  return out
}

/** One CSV line (no line ending): fields with a comma, quote or newline are quoted. */
export function csvLine(fields: (string | number | null | undefined)[]): string {
  return fields
    .map((f) => {
      const v = f === null || f === undefined ? '' : String(f)
      return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
    })
    .join(',')
}

export const toCsv = (rows: (string | number | null | undefined)[][]) => rows.map(csvLine).join('\r\n') + '\r\n'

export type DecodedText = { ok: true; text: string } | { ok: false; reason: string }

/**
 * Bytes of an uploaded or read file → text: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's
 * "Unicode text"), else Windows-1252 (older Excel exports). Anything with NUL bytes is not text.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes)
    return text.includes('\0') ? { ok: false, reason: 'binary' } : { ok: true, text }
  }
  if (bytes.includes(0)) return { ok: false, reason: 'binary' }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { ok: true, text: new TextDecoder('windows-1252').decode(bytes) }
  }
}
