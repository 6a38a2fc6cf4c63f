// The schedule's public script, imported `with { type: 'file' }` (a path; embedded in the binary).
declare module '*/public/schedule.js' {
  const path: string
  export default path
}
