import { command } from './registry.ts'
import { openRuntime, configOrExit } from './runtime.ts'
import { pendingMigrations } from '../platform/migrate.ts'
import { passwordProblems } from '../features/auth/passwords.ts'
import { passwordLinkUrl } from '../features/auth/password-links.ts'
import { createAdmin, USERNAME_RE } from '../features/users/admin/create-admin.ts'

command({
  name: 'create-admin',
  usage: 'create-admin <username> [--password-stdin]',
  summary: 'Create (or repair) a superuser in admin_all and print a one-time password link',
  flags: { 'password-stdin': { type: 'boolean', help: 'read the password from standard input instead of printing a link' } },
  positionals: [1, 1],
  run: async ({ flags, positionals }) => {
    const username = positionals[0]!
    if (!USERNAME_RE.test(username)) {
      process.stderr.write(`ion create-admin: "${username}" is not a valid username (letters, digits, _ . -; at most 40; starting with a letter or digit)\n`)
      return 2
    }
    const config = configOrExit()
    let password: string | null = null
    if (flags['password-stdin']) {
      password = (await Bun.stdin.text()).replace(/\r?\n$/, '')
      if (!password) {
        process.stderr.write('ion create-admin: --password-stdin: nothing was read from standard input\n')
        return 2
      }
      const problems = passwordProblems(password, { minLength: config.passwordMinLength, username })
      if (problems.length) {
        process.stderr.write(`ion create-admin: password refused: ${problems.join(' ')}\n`)
        return 1
      }
    }
    const rt = openRuntime({ redis: false, poolMax: 2 })
    try {
      const pending = await pendingMigrations(rt.sql)
      if (pending.length) {
        process.stderr.write(`ion create-admin: run "ion migrate" first (${pending.length} pending)\n`)
        return 1
      }
      const r = await createAdmin(rt.sql, username, password, rt.clock.now())
      console.log(`${r.created ? 'created' : 'updated'} ${username} (id ${r.id}): superuser, in admin_all${r.unlocked ? ', unlocked' : ''}`)
      if (r.token) {
        console.log('One-time password link (works once, for 24 hours):')
        console.log(passwordLinkUrl(rt.config.baseUrl, r.token))
      } else console.log('password set')
      return 0
    } finally {
      await rt.close()
    }
  },
})
