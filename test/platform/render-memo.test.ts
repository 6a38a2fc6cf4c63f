import { expect, test } from 'bun:test'
import { renderMemo } from '../../src/platform/html/render-memo.ts'

// The shared-fragment memo (issue 10): a hit only for the same key and the same checked text;
// bounded by entries and by the characters it holds, the oldest going first.

test('renders once per key and checked text; a changed text renders again', () => {
  const m = renderMemo(10)
  let renders = 0
  const r = (s: string) => () => { renders++; return `<p>${s}</p>` }
  expect(m.get('a', 'one', r('one'))).toBe('<p>one</p>')
  expect(m.get('a', 'one', r('never'))).toBe('<p>one</p>')
  expect(renders).toBe(1)
  expect(m.get('a', 'two', r('two'))).toBe('<p>two</p>')
  expect(m.get('b', 'two', r('b'))).toBe('<p>b</p>')
  expect([renders, m.size]).toEqual([3, 2])
})

test('at most maxEntries, and at most maxChars held: the oldest go', () => {
  const m = renderMemo(3, 100)
  for (const k of ['a', 'b', 'c', 'd']) m.get(k, '', () => k)
  expect(m.size).toBe(3)
  let again = 0
  m.get('a', '', () => { again++; return 'a' }) // 'a' was dropped
  expect(again).toBe(1)
  const big = 'x'.repeat(60)
  m.get('big1', big, () => 'y')
  m.get('big2', big, () => 'y') // 120+ characters: big1 and the small ones go
  expect(m.size).toBe(1)
  let hit = true
  m.get('big2', big, () => { hit = false; return 'y' })
  expect(hit).toBe(true)
})
