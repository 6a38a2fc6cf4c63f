import type { Config } from '../../config.ts'
import type { MailMessage } from './types.ts'

// Every email kind is built from one data object into structured blocks, and both renderings
// (HTML and plain text) come from those blocks, so they always say the same thing. Every value
// is escaped; features never write email HTML by hand.

export type EmailBlock =
  | { p: string }
  /** A call to action: an absolute URL or a path under BASE_URL. */
  | { link: { href: string; label: string } }
  | { list: string[] }
  | { facts: [label: string, value: string][] }
  /** Small print under the body. */
  | { note: string }

export type EmailContent = {
  /** Without MAIL_SUBJECT_PREFIX (enqueue adds it). */
  subject: string
  heading: string
  greeting?: string
  blocks: EmailBlock[]
}

/** One kind of email: its name (for the outbox, opt-outs and admins) and how data becomes content. */
export type EmailKind<D> = { kind: string; build: (data: D) => EmailContent }

export function defineEmail<D>(kind: string, build: (data: D) => EmailContent): EmailKind<D> {
  if (!/^[a-z][a-z0-9_.-]*$/.test(kind)) throw new Error(`bad email kind "${kind}"`)
  return { kind, build }
}

export type Audience = 'personal' | 'bulk'
export type RenderCtx = { schoolName: string; baseUrl: string; audience: Audience }
export type Rendered = { subject: string; html: string; text: string }

/** Only http(s) links; a path is joined to BASE_URL. */
export function absoluteUrl(href: string, baseUrl: string): string {
  const u = href.startsWith('/') ? new URL(baseUrl + href) : new URL(href)
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('email links must be http(s)')
  return u.toString()
}

function footer(ctx: RenderCtx): { text: string; href: string; label: string } {
  const href = `${ctx.baseUrl}/preferences`
  return ctx.audience === 'personal'
    ? { text: `You received this email because of your settings on the ${ctx.schoolName} intranet. To choose which emails you get, change your preferences:`, href, label: 'Your email preferences' }
    : { text: `This message was sent to a group at ${ctx.schoolName}. To choose which emails you get, visit the preferences page:`, href, label: 'Email preferences' }
}

const S = {
  body: 'margin:0;padding:0;background:#f4f5f7;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a1f',
  card: 'max-width:600px;margin:0 auto;background:#ffffff;padding:24px;border:1px solid #d5d8e0;border-radius:8px',
  school: 'margin:0 0 8px;font-size:14px;color:#55596a',
  h1: 'margin:0 0 16px;font-size:22px',
  p: 'margin:0 0 16px;font-size:16px;line-height:1.5',
  button: 'display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600',
  th: 'text-align:left;padding:4px 12px 4px 0;color:#55596a;font-weight:600;vertical-align:top',
  td: 'padding:4px 0;vertical-align:top',
  note: 'margin:0 0 16px;font-size:13px;color:#55596a',
  footer: 'max-width:600px;margin:16px auto;font-size:12px;color:#55596a;padding:0 24px',
}

function HtmlBlock({ block, baseUrl }: { block: EmailBlock; baseUrl: string }) {
  if ('p' in block) return <p style={S.p} safe>{block.p}</p>
  if ('note' in block) return <p style={S.note} safe>{block.note}</p>
  if ('link' in block) {
    return (
      <p style={S.p}>
        <a href={absoluteUrl(block.link.href, baseUrl)} style={S.button} safe>{block.link.label}</a>
      </p>
    )
  }
  if ('list' in block) {
    return (
      <ul style={S.p}>
        {block.list.map((item) => <li safe>{item}</li>)}
      </ul>
    )
  }
  return (
    <table role="presentation" style={S.p}>
      {block.facts.map(([label, value]) => (
        <tr>
          <th scope="row" style={S.th} safe>{label}</th>
          <td style={S.td} safe>{value}</td>
        </tr>
      ))}
    </table>
  )
}

function EmailHtml({ content, ctx }: { content: EmailContent; ctx: RenderCtx }) {
  const f = footer(ctx)
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{content.subject}</title>
        </head>
        <body style={S.body}>
          <div style="padding:16px">
            <div style={S.card}>
              <p style={S.school} safe>{ctx.schoolName}</p>
              <h1 style={S.h1} safe>{content.heading}</h1>
              {content.greeting ? <p style={S.p} safe>{content.greeting}</p> : ''}
              {content.blocks.map((b) => <HtmlBlock block={b} baseUrl={ctx.baseUrl} />)}
            </div>
            <div style={S.footer}>
              <p>
                <span safe>{f.text}</span> <a href={f.href} safe>{f.label}</a>
              </p>
            </div>
          </div>
        </body>
      </html>
    </>
  )
}

function textBlock(block: EmailBlock, baseUrl: string): string {
  if ('p' in block) return block.p
  if ('note' in block) return block.note
  if ('link' in block) return `${block.link.label}: ${absoluteUrl(block.link.href, baseUrl)}`
  if ('list' in block) return block.list.map((i) => `- ${i}`).join('\n')
  return block.facts.map(([l, v]) => `${l}: ${v}`).join('\n')
}

export function renderEmail(content: EmailContent, ctx: RenderCtx): Rendered {
  const f = footer(ctx)
  const text = [
    ctx.schoolName,
    '',
    content.heading,
    '='.repeat(Math.min(60, content.heading.length)),
    '',
    ...(content.greeting ? [content.greeting, ''] : []),
    ...content.blocks.flatMap((b) => [textBlock(b, ctx.baseUrl), '']),
    '-- ',
    `${f.text} ${f.href}`,
    '',
  ].join('\n')
  return { subject: content.subject, html: (<EmailHtml content={content} ctx={ctx} />) as string, text }
}

/**
 * A ready-to-enqueue message: `await mail.enqueue(tx, composeEmail(kind, data, { to, key }, config))`.
 * One address is a personal message; several are bulk (BCC batches, generic preferences link).
 */
export function composeEmail<D>(
  kind: EmailKind<D>,
  data: D,
  opts: { to: string | string[]; key?: string; audience?: Audience; headers?: Record<string, string> },
  config: Pick<Config, 'schoolName' | 'baseUrl'>,
): MailMessage {
  const count = Array.isArray(opts.to) ? new Set(opts.to.map((a) => a.trim().toLowerCase())).size : 1
  const audience = opts.audience ?? (count === 1 ? 'personal' : 'bulk')
  const r = renderEmail(kind.build(data), { schoolName: config.schoolName, baseUrl: config.baseUrl, audience })
  return { kind: kind.kind, to: opts.to, subject: r.subject, html: r.html, text: r.text, key: opts.key, audience, headers: opts.headers }
}
