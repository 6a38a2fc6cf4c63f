import { Parser } from 'htmlparser2'

// Reading an external alert feed (Ion scraped the FCPS emergency page; here any RSS 2.0, Atom or
// JSON feed). The newest item is the alert; a feed with no items, or whose newest item says there
// is no emergency, is "no emergency". Everything comes out as plain text (escaped when shown).

export type Alert = { title: string; body: string }
/** What a feed said: an alert, or explicitly none. */
export type FeedReading = { alert: Alert | null }

// Ion's list of "nothing to report" phrasings (checked on the whole item text).
const NO_EMERGENCY = [
  /there (are|is) (currently )?no emergency (announcements?|messages?|alerts?)/i,
  /no emergency (announcements?|messages?|alerts?) (at this time|currently)/i,
  /^\s*(none|no alerts?|all clear)\.?\s*$/i,
  /site under maintenance/i,
  /502 bad gateway/i,
]

const MAX_TEXT = 1000

/** Text of an HTML or plain fragment: tags dropped, entities decoded, whitespace collapsed. */
export function plainText(fragment: string): string {
  let out = ''
  const p = new Parser({ ontext: (t) => { out += t }, onopentag: (name) => { if (['br', 'p', 'div', 'li'].includes(name)) out += ' ' } }, { decodeEntities: true })
  p.write(fragment)
  p.end()
  return out.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT)
}

type Item = { title: string; body: string; at: number }

function newest(items: Item[]): FeedReading {
  if (!items.length) return { alert: null }
  const dated = items.every((i) => !Number.isNaN(i.at))
  const top = dated ? [...items].sort((a, b) => b.at - a.at)[0]! : items[0]!
  // A title is text (its entities already decoded); a description may be HTML.
  const title = top.title.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT)
  const body = plainText(top.body)
  if (!title && !body) return { alert: null }
  if (NO_EMERGENCY.some((re) => re.test(`${title} ${body}`) || re.test(title) || re.test(body))) return { alert: null }
  return { alert: { title, body } }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

function fromJson(data: unknown): FeedReading {
  // An explicit status object: {status: false} or {status: true, message, title?}.
  if (data && typeof data === 'object' && !Array.isArray(data) && 'status' in data && typeof (data as { status: unknown }).status === 'boolean') {
    const d = data as { status: boolean; message?: unknown; title?: unknown }
    if (!d.status) return { alert: null }
    return newest([{ title: str(d.title), body: str(d.message), at: NaN }])
  }
  // JSON Feed ({items: [...]}) or a bare array of items.
  const list = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items) ? (data as { items: unknown[] }).items : null
  if (!list) throw new Error('the JSON is not a feed (no items)')
  return newest(list.filter((x) => x && typeof x === 'object').map((x) => {
    const o = x as Record<string, unknown>
    return {
      title: str(o.title),
      body: str(o.content_text) || str(o.content_html) || str(o.summary) || str(o.description) || str(o.message),
      at: Date.parse(str(o.date_published) || str(o.date_modified) || str(o.updated) || str(o.date)),
    }
  }))
}

/** RSS <item> or Atom <entry>: their title, description/summary/content and date. */
function fromXml(xml: string): FeedReading {
  const items: Item[] = []
  let cur: Item | null = null
  let field: string | null = null
  let sawRoot = false
  const p = new Parser({
    onopentag(name) {
      const n = name.toLowerCase()
      if (n === 'rss' || n === 'feed' || n === 'rdf:rdf' || n === 'channel') sawRoot = true
      if (n === 'item' || n === 'entry') cur = { title: '', body: '', at: NaN }
      else if (cur) field = n
    },
    ontext(t) {
      if (!cur || !field) return
      if (field === 'title') cur.title += t
      else if (['description', 'summary', 'content', 'content:encoded'].includes(field)) cur.body += t
      else if (['pubdate', 'updated', 'published', 'dc:date'].includes(field)) {
        const at = Date.parse(t.trim())
        if (!Number.isNaN(at)) cur.at = at
      }
    },
    onclosetag(name) {
      const n = name.toLowerCase()
      if ((n === 'item' || n === 'entry') && cur) {
        items.push(cur)
        cur = null
      }
      field = null
    },
  }, { xmlMode: true, decodeEntities: true })
  p.write(xml)
  p.end()
  if (!sawRoot) throw new Error('the XML is not an RSS or Atom feed')
  return newest(items)
}

/** Reads a feed body; throws when it is neither JSON nor RSS/Atom (the caller keeps the last good value). */
export function parseFeed(body: string, contentType: string): FeedReading {
  const text = body.trim()
  if (/json/i.test(contentType) || text.startsWith('{') || text.startsWith('[')) return fromJson(JSON.parse(text))
  if (text.startsWith('<')) return fromXml(text)
  throw new Error('the feed is neither JSON nor XML')
}
