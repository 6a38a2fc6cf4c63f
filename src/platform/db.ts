import postgres from 'postgres'

export type Sql = postgres.Sql<{}>
export type Tx = postgres.TransactionSql<{}>
/** Either the pool or a transaction: what a *.sql.ts function takes. */
export type Db = Sql | Tx

export type DbOptions = {
  max?: number
  tz: string
  appName?: string
  /** Called for every statement sent (statement-count budgets in tests). */
  debug?: (connection: number, query: string, parameters: unknown[]) => void
}

/**
 * A postgres.js pool. Calendar days (`date`) come back as 'YYYY-MM-DD' strings, never as a
 * UTC-midnight Date; the session TimeZone is the school's; column names are camelCased.
 */
export function connectDb(url: string, opts: DbOptions): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 60,
    connect_timeout: 5,
    // A query given to a closed connection waits out this delay before the connection is opened
    // again. postgres.js's default grows with every failed attempt across the pool (3^n / 100 s,
    // up to 20 s), so after a PostgreSQL restart requests hung for many seconds; keep it short.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    onnotice: () => {},
    transform: postgres.camel,
    connection: { TimeZone: opts.tz, application_name: opts.appName ?? 'ion' },
    ...(opts.debug ? { debug: opts.debug } : {}),
    types: {
      dateString: {
        to: 1082,
        from: [1082],
        serialize: (x: string) => x,
        parse: (x: string) => x,
      },
    },
  }) as unknown as Sql
}

/** True for errors that mean PostgreSQL is unreachable or restarting (→ 503, not 500). */
export function isDbUnavailable(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false
  const err = e as { code?: string; errno?: string; message?: string }
  const code = err.code ?? err.errno ?? ''
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ENOTFOUND'].includes(code) ||
    // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
    ['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004'].includes(code)
  )
}
