// Embedded-file imports (`with { type: 'file' }` gives a path; `with { type: 'text' }` the text).
declare module '*.sql' {
  const text: string
  export default text
}
declare module '*.css' {
  const path: string
  export default path
}
declare module '*.svg' {
  const path: string
  export default path
}
declare module 'htmx.org/dist/*' {
  const path: string
  export default path
}
declare module '*/public/app.js' {
  const path: string
  export default path
}
