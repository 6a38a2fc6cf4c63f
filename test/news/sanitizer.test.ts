import { describe, expect, test } from 'bun:test'
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5'
import { allowedFrameSrc, richTextToPlain, sanitizeRichText } from '../../src/platform/richtext.ts'
import { XSS_CORPUS } from '../helpers/xss-corpus.ts'

// The rich-text sanitizer against a corpus of XSS payloads (OWASP's XSS Filter Evasion Cheat Sheet
// and mutation-XSS classics). Each output is checked twice: by strict regular expressions over the
// markup, and by parsing it with parse5 (the HTML5 algorithm browsers use, independent of the
// sanitizer's own htmlparser2) and walking every element and attribute.

const CONFIG = { frameHosts: ['https://www.youtube.com', 'https://docs.google.com'], baseUrl: 'https://ion.school.example' }
const clean = (html: string) => sanitizeRichText(html, CONFIG)

const CORPUS = XSS_CORPUS

const ALLOWED_TAGS = new Set(['a', 'abbr', 'acronym', 'b', 'br', 'blockquote', 'code', 'em', 'hr', 'i', 'li', 'ol', 'strong', 'ul', 'iframe', 'img', 'div', 'p'])
const ALLOWED_ATTRS: Record<string, string[]> = {
  a: ['href', 'title', 'rel'], abbr: ['title'], acronym: ['title'], img: ['src', 'alt', 'title', 'width', 'height'],
  iframe: ['src', 'width', 'height', 'title', 'allowfullscreen', 'sandbox', 'loading', 'referrerpolicy'],
}

/**
 * Strict textual checks over the markup. Text is escaped, so every raw '<' opens a tag; every tag
 * must have the exact shape <name attr="value" …> with double-quoted values (which then cannot
 * hide another attribute); names, then values, are checked.
 */
function regexProblems(out: string): string[] {
  const p: string[] = []
  if (/<(?!\/?(a|abbr|acronym|b|br|blockquote|code|em|hr|i|li|ol|strong|ul|iframe|img|div|p)[\s>/])/i.test(out)) p.push('a tag outside the allowlist')
  for (const t of out.match(/<[^>]*>/g) ?? []) {
    if (!/^<\/?[a-z]+(\s[a-z-]+(="[^"<>]*")?)*\s*\/?>$/.test(t)) {
      p.push(`malformed tag ${t}`)
      continue
    }
    for (const [, name, value = ''] of t.matchAll(/\s([a-z-]+)(?:="([^"]*)")?/g)) {
      if (/^on/i.test(name!)) p.push(`event handler ${name} in ${t}`)
      if (/^(style|srcdoc|formaction|action|background|dynsrc|lowsrc|class|id|name|xmlns|data-.*)$/i.test(name!)) p.push(`forbidden attribute ${name} in ${t}`)
      const v = value.replace(/&amp;/g, '&')
      if (/^\s*(java|vb|live)script\s*:/i.test(v) || /[\u0000-\u001f]/.test(v) || /&#|&colon;/i.test(v)) p.push(`script URL or encoded scheme in ${t}`)
      if (/^\s*data:/i.test(v) && !/^data:image\/(png|gif|jpeg|webp);base64,[A-Za-z0-9+/=]+$/.test(v)) p.push(`data URL in ${t}`)
      if (/expression\s*\(/i.test(v)) p.push(`expression() in ${t}`)
    }
  }
  return p
}

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

/** Parses the output as a browser would and walks every element. */
function parsedProblems(out: string): string[] {
  const p: string[] = []
  const walk = (n: Node) => {
    if ('tagName' in n) {
      const el = n as Element
      if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') p.push(`foreign element ${el.tagName}`)
      if (!ALLOWED_TAGS.has(el.tagName)) p.push(`disallowed tag ${el.tagName}`)
      for (const a of el.attrs) {
        if (/^on/i.test(a.name)) p.push(`event attribute ${a.name}`)
        if (!(ALLOWED_ATTRS[el.tagName] ?? []).includes(a.name)) p.push(`attribute ${a.name} on ${el.tagName}`)
        if (a.name === 'href' || a.name === 'src') {
          const u = new URL(a.value, 'https://ion.school.example/x/')
          const ok = el.tagName === 'a' ? ['http:', 'https:', 'mailto:'].includes(u.protocol)
            : el.tagName === 'img' ? u.protocol === 'https:' && u.origin === 'https://ion.school.example' || /^data:image\/(png|gif|jpeg|webp);base64,/i.test(a.value)
              : allowedFrameSrc(a.value, CONFIG.frameHosts)
          if (!ok) p.push(`${a.name}=${a.value} on ${el.tagName}`)
        }
      }
      if (el.tagName === 'a' && el.attrs.some((a) => a.name === 'href') && el.attrs.find((a) => a.name === 'rel')?.value !== 'noopener noreferrer nofollow') p.push('link without rel')
      if (el.tagName === 'iframe' && !el.attrs.some((a) => a.name === 'sandbox')) p.push('iframe without sandbox')
    }
    if ('childNodes' in n) for (const c of (n as { childNodes: Node[] }).childNodes) walk(c)
    if ('content' in n && n.content) walk(n.content as Node)
  }
  walk(parseFragment(out) as unknown as Node)
  return p
}

describe('the XSS corpus', () => {
  test(`has at least 40 payloads (${CORPUS.length})`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40)
  })
  for (const [i, payload] of CORPUS.entries()) {
    test(`#${i + 1} ${payload.slice(0, 70)}`, () => {
      const out = clean(payload)
      expect({ payload, out, problems: regexProblems(out) }).toEqual({ payload, out, problems: [] })
      expect({ payload, out, problems: parsedProblems(out) }).toEqual({ payload, out, problems: [] })
      // Stored output is a fixed point: sanitizing it again changes nothing.
      expect(clean(out)).toBe(out)
    })
  }
  test('the checks themselves catch what they look for', () => {
    expect(regexProblems('<img src=x onerror=alert(1)>')).not.toEqual([])
    expect(regexProblems('<a href="javascript:alert(1)">x</a>')).not.toEqual([])
    expect(parsedProblems('<svg><a href="javascript:x">y</a></svg>')).not.toEqual([])
    expect(parsedProblems('<p style="x">y</p>')).not.toEqual([])
    expect(parsedProblems('<iframe src="https://evil.example/"></iframe>')).not.toEqual([])
  })
})

describe('what the allowlist keeps', () => {
  test("Ion's formatting tags survive without attributes", () => {
    const html = '<p>One <b>two</b> <strong>three</strong> <i>four</i> <em>five</em> <code>six</code></p><blockquote>q</blockquote><ul><li>a</li></ul><ol><li>b</li></ol><hr><div>d<br>e</div><abbr title="Parent Teacher Association">PTA</abbr> <acronym title="x">X</acronym>'
    expect(clean(html)).toBe('<p>One <b>two</b> <strong>three</strong> <i>four</i> <em>five</em> <code>six</code></p><blockquote>q</blockquote><ul><li>a</li></ul><ol><li>b</li></ol><hr /><div>d<br />e</div><abbr title="Parent Teacher Association">PTA</abbr> <acronym title="x">X</acronym>')
  })

  test('links keep http(s), mailto and local paths and get rel; bare URLs become links', () => {
    expect(clean('<a href="https://example.com/a?b=1&c=2" target="_blank">x</a>')).toBe('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">x</a>')
    expect(clean('<a href="mailto:office@school.example">mail</a>')).toBe('<a href="mailto:office@school.example" rel="noopener noreferrer nofollow">mail</a>')
    expect(clean('<a href="/eighth/signup">sign up</a>')).toBe('<a href="/eighth/signup" rel="noopener noreferrer nofollow">sign up</a>')
    expect(clean('<a href="//evil.example/x">off-site</a>')).toBe('off-site')
    expect(clean('<p>See https://school.example/news, or www.example.org.</p>')).toBe(
      '<p>See <a href="https://school.example/news" rel="noopener noreferrer nofollow">https://school.example/news</a>, or <a href="https://www.example.org" rel="noopener noreferrer nofollow">www.example.org</a>.</p>')
    // a URL already inside a link is not linked twice
    expect(clean('<a href="https://a.example/">https://b.example/</a>')).toBe('<a href="https://a.example/" rel="noopener noreferrer nofollow">https://b.example/</a>')
  })

  test('images: this site and raster data: URIs stay; external ones become links (the CSP would block them)', () => {
    expect(clean('<img src="/public/logo.png" alt="Logo" width="100" height="x">')).toBe('<img alt="Logo" width="100" src="/public/logo.png" />')
    expect(clean('<img src="https://ion.school.example/public/a.png">')).toBe('<img alt="" src="/public/a.png" />')
    expect(clean('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">')).toBe('<img alt="dot" src="data:image/png;base64,iVBORw0KGgo=" />')
    expect(clean('<img src="https://cdn.example/cat.jpg" alt="A cat">')).toBe('<a href="https://cdn.example/cat.jpg" rel="noopener noreferrer nofollow">Image: A cat</a>')
  })

  test('iframes only from FRAME_HOSTS, sandboxed; none at all without FRAME_HOSTS', () => {
    expect(clean('<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen></iframe>')).toBe(
      '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen="" sandbox="allow-scripts allow-same-origin allow-popups allow-presentation" loading="lazy" referrerpolicy="no-referrer"></iframe>')
    expect(sanitizeRichText('<iframe src="https://www.youtube.com/embed/abc"></iframe><p>x</p>', { frameHosts: [], baseUrl: CONFIG.baseUrl })).toBe('<p>x</p>')
  })
})

describe('plain text for emails', () => {
  test('paragraphs, line breaks, lists, links with their address, entities decoded', () => {
    const html = clean('<p>Snow day &amp; <b>no</b> school.</p><p>Line one<br>line two</p><ul><li>Bring a coat</li><li>See <a href="https://x.example/a">the page</a></li></ul><p>Mail <a href="mailto:o@s.example">o@s.example</a> or <a href="/news">news</a>.</p>')
    expect(richTextToPlain(html, 'https://ion.school.example')).toBe(
      'Snow day & no school.\n\nLine one\nline two\n\n- Bring a coat\n- See the page (https://x.example/a)\n\nMail o@s.example or news (https://ion.school.example/news).')
  })
})
