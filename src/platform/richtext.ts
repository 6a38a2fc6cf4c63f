import type sanitizeHtml from 'sanitize-html'
import { Parser } from 'htmlparser2'
import type { Config } from '../config.ts'

// sanitize-html (with postcss and its own htmlparser2) is loaded when the first rich text is saved,
// not at start-up: evaluating it was the largest single cost of `ion serve`'s imports (issue 10).
let sanitizer: typeof sanitizeHtml | undefined
const sanitize = (): typeof sanitizeHtml => (sanitizer ??= require('sanitize-html') as typeof sanitizeHtml)

// The one rich-text sanitizer (DESIGN.md §5). Announcements, events and polls run user HTML through
// `sanitizeRichText` when it is SAVED and store the result; pages output that stored HTML with
// trustedHtml(), the only unescaped HTML in the app.
//
// Ion's allowlist (ion-apps.md §1.4) minus anything that can run script and minus `style`:
//   a abbr acronym b br blockquote code em hr i li ol strong ul iframe img div p
// - No `style`, `class`, `id`, `name` or event attributes on anything.
// - Links: http, https, mailto and same-site relative paths; protocol-relative `//host` is refused.
//   Every link gets rel="noopener noreferrer nofollow". Bare URLs in text become links.
// - Images: the CSP says `img-src 'self' data:`, so an external image could never load. An image
//   stays only when its source is this site (a path, or BASE_URL's origin, rewritten to a path) or a
//   base64 raster data: URI (png, gif, jpeg, webp — never SVG). An external http(s) image becomes a
//   link to it ("Image: <alt>") so readers can still open it; any other source is dropped.
// - Iframes: only https sources whose origin is listed in FRAME_HOSTS (the CSP's frame-src), with a
//   fixed sandbox; none at all when FRAME_HOSTS is empty.

export type RichTextConfig = Pick<Config, 'frameHosts' | 'baseUrl'>

/** Longest input accepted (characters); forms refuse longer content before sanitizing. */
export const RICH_TEXT_MAX = 100_000
/** Longest sanitized output stored (links added to bare URLs make it longer than the input). */
export const RICH_TEXT_STORED_MAX = 200_000

const TAGS = ['a', 'abbr', 'acronym', 'b', 'br', 'blockquote', 'code', 'em', 'hr', 'i', 'li', 'ol', 'strong', 'ul', 'img', 'div', 'p']
const REL = 'noopener noreferrer nofollow'
const SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-presentation'
const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp);base64,[A-Za-z0-9+/=\s]+$/i
const SIZE = /^\d{1,4}%?$/

const originOf = (u: string): string | null => {
  try {
    return new URL(u).origin.toLowerCase()
  } catch {
    return null
  }
}

/** An iframe source we embed: https, and its origin is in FRAME_HOSTS. */
export function allowedFrameSrc(src: string | undefined, frameHosts: string[]): boolean {
  if (!src || !/^https:\/\//i.test(src.trim())) return false
  const o = originOf(src.trim())
  return o !== null && frameHosts.includes(o)
}

type ImageVerdict = { keep: string } | { link: string } | null

/** What becomes of an <img src>: kept (this site or a raster data: URI), a link (external), or dropped. */
export function imageVerdict(src: string | undefined, baseUrl: string): ImageVerdict {
  const s = (src ?? '').trim()
  if (!s) return null
  if (DATA_IMAGE.test(s)) return { keep: s.replace(/\s+/g, '') }
  if (s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\')) return { keep: s }
  if (!/^https?:\/\//i.test(s)) return null
  let u: URL
  try {
    u = new URL(s)
  } catch {
    return null
  }
  if (u.origin.toLowerCase() === originOf(baseUrl)) return { keep: u.pathname + u.search + u.hash }
  return { link: u.toString() }
}

// Bare URLs in (already escaped) text: http(s)://… or www.…, stopping at whitespace, quotes and
// escaped angle brackets; trailing punctuation stays outside the link.
const URL_IN_TEXT = /\b(?:https?:\/\/|www\.)(?:(?!&(?:lt|gt|quot|#39|#x27);)[^\s"'<>`])+/gi
const TRAILING = /(?:[.,;:!?)\]}]|&amp;)+$/

function linkifyEscaped(text: string): string {
  return text.replace(URL_IN_TEXT, (match) => {
    const tail = TRAILING.exec(match)?.[0] ?? ''
    const url = match.slice(0, match.length - tail.length)
    if (url.length < 8) return match
    const href = /^www\./i.test(url) ? `https://${url}` : url
    return `<a href="${href}">${url}</a>${tail}`
  })
}

function options(config: RichTextConfig, linkify: boolean): sanitizeHtml.IOptions {
  const frames = config.frameHosts.length > 0
  const frameHostnames = config.frameHosts.map((h) => new URL(h).hostname)
  let anchorDepth = 0
  return {
    allowedTags: frames ? [...TAGS, 'iframe'] : TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      abbr: ['title'],
      acronym: ['title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      iframe: ['src', 'width', 'height', 'title', 'allowfullscreen', 'sandbox', 'loading', 'referrerpolicy'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'], iframe: ['https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedIframeHostnames: frameHostnames,
    allowIframeRelativeUrls: false,
    // (an option of sanitize-html 2.18 its type definitions lack)
    ...({ allowedEmptyAttributes: ['alt', 'allowfullscreen'] } as object),
    disallowedTagsMode: 'discard',
    nestingLimit: 40,
    parseStyleAttributes: false,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...pick(attribs, ['href', 'title']), rel: REL } }),
      img: (tagName, attribs): sanitizeHtml.Tag => {
        const v = imageVerdict(attribs.src, config.baseUrl)
        if (v && 'keep' in v) return { tagName, attribs: { alt: attribs.alt ?? '', ...pick(attribs, ['title']), ...sizes(attribs), src: v.keep } }
        if (v && 'link' in v) {
          const label = (attribs.alt ?? '').trim()
          return { tagName: 'a', attribs: { href: v.link, rel: REL }, text: label ? `Image: ${label}` : 'Image' }
        }
        return { tagName: 'img', attribs: {} }
      },
      iframe: (tagName, attribs) => ({
        tagName,
        attribs: allowedFrameSrc(attribs.src, config.frameHosts)
          ? { src: attribs.src!.trim(), ...sizes(attribs), ...pick(attribs, ['title']), ...('allowfullscreen' in attribs ? { allowfullscreen: '' } : {}),
              sandbox: SANDBOX, loading: 'lazy', referrerpolicy: 'no-referrer' }
          : {},
      }),
    },
    // An image without a usable source, or an iframe from a host we don't embed, goes entirely; a
    // link whose address was refused keeps its text only. (`name` is the tag after transformTags.)
    exclusiveFilter: (frame) => {
      const name = (frame as unknown as { name?: string }).name ?? frame.tag
      if (name === 'img' || name === 'iframe') return !frame.attribs.src
      if (name === 'a' && !frame.attribs.href) return 'excludeTag'
      return false
    },
    onOpenTag: (name) => { if (name === 'a') anchorDepth++ },
    onCloseTag: (name) => { if (name === 'a' && anchorDepth > 0) anchorDepth-- },
    textFilter: linkify ? (text) => (anchorDepth > 0 ? text : linkifyEscaped(text)) : undefined,
  }
}

const pick = (a: Record<string, string>, keys: string[]) => Object.fromEntries(keys.filter((k) => typeof a[k] === 'string').map((k) => [k, a[k]!]))
const sizes = (a: Record<string, string>) => Object.fromEntries(['width', 'height'].filter((k) => SIZE.test(a[k] ?? '')).map((k) => [k, a[k]!]))

/**
 * User HTML → safe HTML, to be stored. Two passes: the first enforces the allowlist and turns bare
 * URLs into links; the second runs the allowlist again over the first's output (so the links the
 * first pass wrote are checked like any other) and is a fixed point for already-clean HTML.
 */
export function sanitizeRichText(html: string, config: RichTextConfig): string {
  // NUL and other C0 controls (but tab, newline, carriage return) never belong in stored text.
  const input = String(html ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
  const once = sanitize()(input, options(config, true))
  return sanitize()(once, options(config, false)).trim()
}

const BLOCKS = new Set(['p', 'div', 'blockquote', 'ul', 'ol', 'hr', 'li'])

/**
 * Plain text for emails and search from (sanitized) rich text: paragraphs become blank-line
 * separated, <br> a line break, list items "- item", a link "text (url)" when the two differ,
 * an image its alt text. Entities are decoded; whitespace is collapsed.
 */
export function richTextToPlain(html: string, baseUrl?: string): string {
  const out: string[] = []
  let line = ''
  const links: { href: string; start: number }[] = []
  const flush = (blank: boolean) => {
    const t = line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim()
    if (t) out.push(t)
    if (blank && out.length && out.at(-1) !== '') out.push('')
    line = ''
  }
  const parser = new Parser({
    onopentag(name, attribs) {
      if (name === 'br') flush(false)
      else if (name === 'li') { flush(false); line = '- ' }
      else if (BLOCKS.has(name)) flush(true)
      else if (name === 'a') links.push({ href: attribs.href ?? '', start: line.length })
      else if (name === 'img' && attribs.alt) line += ` ${attribs.alt} `
      if (name === 'iframe' && attribs.src) line += ` ${attribs.src} `
    },
    ontext(text) { line += text.replace(/\s+/g, ' ') },
    onclosetag(name) {
      if (name === 'a') {
        const l = links.pop()
        if (l && l.href) {
          const label = line.slice(l.start).trim()
          const href = l.href.startsWith('/') && baseUrl ? baseUrl + l.href : l.href.replace(/^mailto:/i, '')
          if (![href, l.href, `https://${label}`, `http://${label}`].includes(label) && href !== `https://${label}`) line += ` (${href})`
        }
      } else if (BLOCKS.has(name)) flush(name !== 'li')
    },
  }, { decodeEntities: true })
  parser.write(html)
  parser.end()
  flush(false)
  while (out.at(-1) === '') out.pop()
  return out.join('\n')
}

/** A short plain-text excerpt (search hits, API consumers that want text). */
export function richTextExcerpt(html: string, max = 200): string {
  const t = richTextToPlain(html).replace(/\s+/g, ' ').trim()
  return t.length > max ? t.slice(0, max - 1).trimEnd() + '…' : t
}
