// Builders for the bell-schedule tests: day types with blocks, and dates given a day type.
import type { Sql } from '../../src/platform/db.ts'
import { insertDayType, replaceBlocks, upsertDay } from '../../src/features/schedule/admin.sql.ts'

export type BlockSpec = [name: string, start: string, end: string]

export async function addDayType(sql: Sql, name: string, blocks: BlockSpec[] = [], opts: { special?: boolean } = {}): Promise<number> {
  const id = await insertDayType(sql, { name, special: opts.special ?? false, codenames: [] }, new Date())
  await replaceBlocks(sql, id, blocks.map(([n, start, end], i) => ({ order: i + 1, name: n, start, end })))
  return id
}

export async function setDate(sql: Sql, date: string, dayTypeId: number, comment = ''): Promise<void> {
  await upsertDay(sql, date, dayTypeId, comment, new Date())
}

export const BLUE: BlockSpec[] = [['Period 1', '08:40', '10:15'], ['Period 2', '10:25', '12:00'], ['Lunch', '12:00', '12:30'], ['8A', '14:30', '16:00']]
export const RED: BlockSpec[] = [['Period 5', '08:40', '10:15'], ['Period 6', '10:25', '12:00']]
export const ANCHOR: BlockSpec[] = [['Period 1', '08:40', '09:20'], ['Period 2', '09:30', '10:10']]

/** The text of an HTML page with tags removed and whitespace collapsed (for "reads as" checks). */
export const textOf = (html: string) =>
  html.replace(/<[^>]+>/g, ' ').replace(/&(quot|#34|#39|lt|gt|amp);/g, (_, e: string) => ({ quot: '"', '#34': '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e]!)
    .replace(/\s+/g, ' ').trim()
