// The ordered list of migrations; each file's SQL is inlined into the bundle and the binary.
// test/platform/migrate.test.ts checks that every file in migrations/ is listed here.
import m0001 from '../migrations/0001_platform.sql' with { type: 'text' }
import m0002 from '../migrations/0002_users.sql' with { type: 'text' }
import m0003 from '../migrations/0003_background.sql' with { type: 'text' }
import m0004 from '../migrations/0004_eighth.sql' with { type: 'text' }

export const MIGRATIONS: { name: string; sql: string }[] = [
  { name: '0001_platform', sql: m0001 },
  { name: '0002_users', sql: m0002 },
  { name: '0003_background', sql: m0003 },
  { name: '0004_eighth', sql: m0004 },
]
