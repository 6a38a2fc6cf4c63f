// The bus board's script, imported `with { type: 'file' }` (a path; embedded in the binary).
declare module '*/public/bus.js' {
  const path: string
  export default path
}
declare module '*/public/bus-admin.js' {
  const path: string
  export default path
}
