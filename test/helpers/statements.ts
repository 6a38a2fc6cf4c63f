// Statement budgets (DESIGN §7): count the SQL statements a request sends, through postgres.js's
// `debug` hook (it sees every statement, `begin`/`commit` included).
//
//   const counter = statementCounter()
//   const db = await createTestDb({ debug: counter.debug })
//   const { n, status } = await counter.request(app, req('/path', { cookie }))
//
// A pool connection's first statement is preceded by postgres.js's array-type lookup
// (`pg_catalog.pg_type`): connection setup, not the route's work, so it is not counted.

export type Counted<T> = { value: T; n: number; statements: string[] }
export type CountedResponse = { n: number; status: number; body: string; statements: string[] }

const CONNECTION_SETUP = /from pg_catalog\.pg_type a\s+left join pg_catalog\.pg_type b/i

export function isConnectionSetup(query: string): boolean {
  return CONNECTION_SETUP.test(query)
}

export type StatementCounter = {
  /** Pass as createTestDb's `debug`. */
  debug: (connection: number, query: string, parameters: unknown[]) => void
  /** The statements fn sends (its whole run; nothing is counted outside one). */
  during<T>(fn: () => Promise<T>): Promise<Counted<T>>
  /** One request through app.handle, its body read to the end. */
  request(app: { handle(r: Request): Promise<Response> }, request: Request): Promise<CountedResponse>
}

export function statementCounter(): StatementCounter {
  let active: string[] | null = null
  const during = async <T>(fn: () => Promise<T>): Promise<Counted<T>> => {
    if (active) throw new Error('statementCounter: one count at a time (a nested or concurrent count would mix them)')
    const statements: string[] = []
    active = statements
    try {
      const value = await fn()
      return { value, n: statements.length, statements }
    } finally {
      active = null
      if (process.env.SHOW_SQL) console.log(statements.map((s) => s.replace(/\s+/g, ' ').trim().slice(0, 160)))
    }
  }
  return {
    debug: (_connection, query) => {
      if (active && !isConnectionSetup(query)) active.push(query)
    },
    during,
    async request(app, request) {
      const { value, n, statements } = await during(async () => {
        const r = await app.handle(request)
        return { status: r.status, body: await r.text() }
      })
      return { ...value, n, statements }
    },
  }
}
