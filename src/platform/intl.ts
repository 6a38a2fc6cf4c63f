// Building an Intl.DateTimeFormat costs ~100 µs (far more under load) and formatting with a built
// one about 1 µs: a page that labelled 100 blocks with a fresh formatter each spent most of its
// time here (issue 10). One formatter per (locale, options), built on first use and kept.
const formats = new Map<string, Intl.DateTimeFormat>()

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options)
  let f = formats.get(key)
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, options)))
  return f
}
