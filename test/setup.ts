// Preloaded by bun test (bunfig.toml). Tests use TEST_DATABASE_URL (scripts/test.sh exports
// DATABASE_URL=TEST_DATABASE_URL) and REDIS_URL from scripts/services.sh.
process.env.NODE_ENV = 'test'
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  const out = Bun.spawnSync(['bash', 'scripts/services.sh', 'env']).stdout.toString()
  for (const line of out.split('\n')) {
    const [k, ...v] = line.split('=')
    if (k && v.length) process.env[k] ??= v.join('=')
  }
  if (process.env.TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TEST_DATABASE_URL
}
process.env.ION_LOG_REQUESTS ??= 'off'
