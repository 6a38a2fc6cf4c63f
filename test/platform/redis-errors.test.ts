import { expect, test } from 'bun:test'
import { isTransientRedisError } from '../../src/platform/redis.ts'

// A Redis restarted with persistence answers LOADING while it replays its file: that is "try again
// in a moment" (503 with Retry-After), not a bug (500). The Redis-outage fault test found it.

test('Redis answers that mean "not now" are unavailability, others are not', () => {
  expect(isTransientRedisError('LOADING Redis is loading the dataset in memory')).toBe(true)
  expect(isTransientRedisError('RedisError [ERR_REDIS_SERVER_ERROR]: LOADING Redis is loading the dataset in memory')).toBe(true)
  expect(isTransientRedisError('BUSY Redis is busy running a script.')).toBe(true)
  expect(isTransientRedisError('MASTERDOWN Link with MASTER is down')).toBe(true)
  expect(isTransientRedisError('MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk')).toBe(true)
  expect(isTransientRedisError('WRONGTYPE Operation against a key holding the wrong kind of value')).toBe(false)
  expect(isTransientRedisError('ERR unknown command')).toBe(false)
  expect(isTransientRedisError('the student is LOADING a page')).toBe(false)
})
