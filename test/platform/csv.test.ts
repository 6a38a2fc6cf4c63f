import { describe, expect, test } from 'bun:test'
import { CsvError, csvLine, decodeCsvBytes, parseCsv, toCsv } from '../../src/platform/csv.ts'

const fields = (text: string) => parseCsv(text).map((r) => r.fields)

describe('parseCsv (RFC 4180)', () => {
  test('plain rows, LF and CRLF, with or without a final newline', () => {
    expect(fields('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']])
    expect(fields('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']])
    expect(fields('a,b\r\n1,2')).toEqual([['a', 'b'], ['1', '2']])
    expect(fields('a,b\r1,2')).toEqual([['a', 'b'], ['1', '2']])
  })

  test('quoted fields: commas, doubled quotes, empty quoted fields', () => {
    expect(fields('"Doe, Jane","say ""hi""",""\n')).toEqual([['Doe, Jane', 'say "hi"', '']])
    expect(fields('"",""')).toEqual([['', '']])
    expect(fields('""')).toEqual([['']])
  })

  test('empty fields keep their place', () => {
    expect(fields(',,\n,a,')).toEqual([['', '', ''], ['', 'a', '']])
  })

  test('embedded newlines stay in the field; line numbers count physical lines', () => {
    const recs = parseCsv('h1,h2\r\n"multi\r\nline",x\n"a\nb\nc",y\nlast,z')
    expect(recs.map((r) => r.fields)).toEqual([['h1', 'h2'], ['multi\r\nline', 'x'], ['a\nb\nc', 'y'], ['last', 'z']])
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4, 7])
  })

  test('a BOM is dropped; blank lines are skipped but counted', () => {
    const recs = parseCsv('\uFEFFStudent ID,Name\n\n1234567,Jo\n\r\n7654321,Al\n')
    expect(recs[0]!.fields).toEqual(['Student ID', 'Name'])
    expect(recs.map((r) => r.line)).toEqual([1, 3, 5])
  })

  test('a quote inside an unquoted field is text', () => {
    expect(fields('5" floppy,x')).toEqual([['5" floppy', 'x']])
  })

  test('spaces are kept (trimming is the importer\'s business)', () => {
    expect(fields(' a , b ')).toEqual([[' a ', ' b ']])
  })

  test('an unclosed quote is an error naming the line it opened on', () => {
    try {
      parseCsv('a,b\n1,"open\nstill open\n')
      throw new Error('no error')
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError)
      expect((e as CsvError).line).toBe(2)
      expect((e as CsvError).message).toContain('never closed')
    }
  })

  test('text after a closing quote is an error', () => {
    expect(() => parseCsv('a\n"x"y\n')).toThrow(/line 2: unexpected text after a closing quote/)
  })

  test('an empty text has no records', () => {
    expect(parseCsv('')).toEqual([])
    expect(parseCsv('\n\r\n')).toEqual([])
  })
})

describe('writing CSV', () => {
  test('round trip through csvLine/toCsv', () => {
    const rows = [['a', 'b, c', 'say "hi"', 'two\nlines', '', ' pad ']]
    expect(csvLine(rows[0]!)).toBe('a,"b, c","say ""hi""","two\nlines",," pad "')
    expect(fields(toCsv(rows))).toEqual(rows)
  })
})

describe('decodeCsvBytes', () => {
  const enc = (s: string) => new TextEncoder().encode(s)
  test('UTF-8 with and without a BOM', () => {
    expect(decodeCsvBytes(enc('José,Núñez'))).toEqual({ ok: true, text: 'José,Núñez' })
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('a,b')])
    const d = decodeCsvBytes(bom)
    expect(d.ok && fields(d.text)).toEqual([['a', 'b']])
  })
  test('Windows-1252 (old Excel) falls back cleanly', () => {
    expect(decodeCsvBytes(new Uint8Array([0x4a, 0x6f, 0x73, 0xe9]))).toEqual({ ok: true, text: 'José' })
  })
  test('UTF-16 with a BOM', () => {
    const d = decodeCsvBytes(new Uint8Array([0xff, 0xfe, 0x61, 0, 0x2c, 0, 0x62, 0]))
    expect(d).toEqual({ ok: true, text: 'a,b' })
    expect(d.ok && fields(d.text)).toEqual([['a', 'b']])
  })
  test('binary is refused', () => {
    expect(decodeCsvBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])).ok).toBe(false)
  })
})
