import { SMTPServer } from 'smtp-server'

// An in-process SMTP sink (smtp-server), optionally slow or refusing.

export type SinkMessage = { to: string[]; from: string; raw: string; messageId: string | null; subject: string | null; at: number }

export type Sink = {
  port: number
  url: string
  messages: SinkMessage[]
  /** Messages the sink refused (it read them, then answered with an error). */
  refused: number
  /** Answer for the next messages: null accepts. */
  setRefusal(r: { code: number; message: string } | null): void
  waitFor(n: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startSink(opts: { delayMs?: number; refusal?: { code: number; message: string } | null } = {}): Promise<Sink> {
  let refusal = opts.refusal ?? null
  const messages: SinkMessage[] = []
  const state = { refused: 0 }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 50 * 1024 * 1024,
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const answer = refusal
        const finish = () => {
          if (answer) {
            state.refused++
            return cb(Object.assign(new Error(answer.message), { responseCode: answer.code }))
          }
          cb()
        }
        if (!answer) {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            raw,
            messageId: header(raw, 'Message-ID'),
            subject: header(raw, 'Subject'),
            at: performance.now(),
          })
        }
        if (opts.delayMs) setTimeout(finish, opts.delayMs)
        else finish()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as { port: number }).port
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get refused() { return state.refused },
    setRefusal(r) { refusal = r },
    async waitFor(n, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs
      while (messages.length < n) {
        if (Date.now() > end) throw new Error(`sink got ${messages.length} of ${n} messages`)
        await Bun.sleep(20)
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const m = unfolded.match(new RegExp(`^${name}:\\s*(.*)$`, 'im'))
  return m ? m[1]!.trim() : null
}

/** Polls until `fn` returns a truthy value. */
export async function until<T>(fn: () => Promise<T> | T, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(25)
  }
}
