import { describe, expect, test } from 'bun:test'
import { parseQuery, plainWords, studentIdQuery, tokenize } from '../../src/features/directory/query.ts'

// The directory search's parser alone: text → AST (no database). search.test.ts runs the same
// syntax against PostgreSQL, case by case.

describe('the parser (pure)', () => {
  const ctx = { today: '2026-11-30', turnoverMonth: 7 }
  test('tokens keep "quoted words" together, also after a key', () => {
    expect(tokenize('a "b c" last:"van der" d')).toEqual(['a', '"b c"', 'last:"van der"', 'd'])
  })
  test('OR splits into branches; a branch of digits is an id lookup', () => {
    const q = parseQuery('ada OR 1234567', ctx)
    expect(q.branches).toEqual([
      { kind: 'terms', terms: [{ kind: 'word', value: 'ada', exact: false, advanced: false }] },
      { kind: 'digits', value: '1234567' },
    ])
  })
  test('grades become graduation years (and > flips to ≤); staff and student become types', () => {
    expect(parseQuery('grade:12', ctx).branches[0]).toEqual({ kind: 'terms', terms: [{ kind: 'field', key: 'gradyear', op: 'contains', value: '2027', exact: false }] })
    expect(parseQuery('grade>11', ctx).branches[0]).toEqual({ kind: 'terms', terms: [{ kind: 'field', key: 'gradyear', op: 'lte', value: '2028', exact: false }] })
    expect(parseQuery('grade:senior', ctx).branches[0]).toMatchObject({ terms: [{ key: 'gradyear', value: '2027' }] })
    expect(parseQuery('grade:staff', ctx).branches[0]).toMatchObject({ terms: [{ key: 'type', value: 'staff' }] })
    // After the July turnover, the seniors are the next year's class.
    expect(parseQuery('grade:12', { today: '2027-07-01', turnoverMonth: 7 }).branches[0]).toMatchObject({ terms: [{ value: '2028' }] })
  })
  test('aliases, unknown keys dropped, stars stripped, words in an advanced branch', () => {
    const q = parseQuery('firstname:*An* color:blue sex=female Lee', ctx)
    expect(q.branches[0]).toEqual({ kind: 'terms', terms: [
      { kind: 'field', key: 'first', op: 'contains', value: 'an', exact: false },
      { kind: 'field', key: 'gender', op: 'contains', value: 'female', exact: false },
      { kind: 'word', value: 'lee', exact: false, advanced: true },
    ] })
  })
  test('student-id shortcut and the words other sections search', () => {
    expect(studentIdQuery(parseQuery(' 1234567 ', { ...ctx, staff: true }))).toBe('1234567')
    expect(studentIdQuery(parseQuery('1234567', ctx))).toBeNull() // not for students
    expect(studentIdQuery(parseQuery('123456', ctx))).toBeNull()
    expect(plainWords(parseQuery('chess club OR grade:12 OR "robot"', ctx))).toEqual([['chess', 'club'], ['robot']])
    expect(parseQuery('   ', ctx).branches).toEqual([])
  })
})
