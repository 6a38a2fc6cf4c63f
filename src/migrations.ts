// The ordered list of migrations; each file's SQL is inlined into the bundle and the binary.
// test/platform/migrate.test.ts checks that every file in migrations/ is listed here.
import m0001 from '../migrations/0001_platform.sql' with { type: 'text' }
import m0002 from '../migrations/0002_users.sql' with { type: 'text' }
import m0003 from '../migrations/0003_background.sql' with { type: 'text' }
import m0004 from '../migrations/0004_eighth.sql' with { type: 'text' }
import m0005 from '../migrations/0005_search.sql' with { type: 'text' }
import m0006 from '../migrations/0006_photos.sql' with { type: 'text' }
import m0007 from '../migrations/0007_schedule.sql' with { type: 'text' }
import m0008 from '../migrations/0008_bus.sql' with { type: 'text' }
import m0009 from '../migrations/0009_office_reports.sql' with { type: 'text' }
import m0012 from '../migrations/0012_announcements.sql' with { type: 'text' }
import m0013 from '../migrations/0013_polls.sql' with { type: 'text' }
import m0014 from '../migrations/0014_events.sql' with { type: 'text' }
import m0015 from '../migrations/0015_event_hide.sql' with { type: 'text' }
import m0016 from '../migrations/0016_job_leases.sql' with { type: 'text' }
import m0017 from '../migrations/0017_block_list_version.sql' with { type: 'text' }

export const MIGRATIONS: { name: string; sql: string }[] = [
  { name: '0001_platform', sql: m0001 },
  { name: '0002_users', sql: m0002 },
  { name: '0003_background', sql: m0003 },
  { name: '0004_eighth', sql: m0004 },
  { name: '0005_search', sql: m0005 },
  { name: '0006_photos', sql: m0006 },
  { name: '0007_schedule', sql: m0007 },
  { name: '0008_bus', sql: m0008 },
  { name: '0009_office_reports', sql: m0009 },
  { name: '0012_announcements', sql: m0012 },
  { name: '0013_polls', sql: m0013 },
  { name: '0014_events', sql: m0014 },
  { name: '0015_event_hide', sql: m0015 },
  { name: '0016_job_leases', sql: m0016 },
  { name: '0017_block_list_version', sql: m0017 },
]
