import { Elysia } from 'elysia'
import './jobs.ts'
import { depsOf, type Base } from '../../platform/http.ts'
import { hasPerm, isAnyAdmin } from '../../platform/viewer.ts'
import { adminIndexRoutes } from '../admin/routes.tsx'
import { dashboardRoutes } from '../dashboard/routes.tsx'
import { registerWhoWidget } from '../dashboard/who-widget.tsx'
import { accountSectionRoutes, registerAccountSection } from '../preferences/account-section.tsx'
import { preferencesRoutes } from '../preferences/routes.tsx'
import { userAdminRoutes } from '../users/admin/routes.tsx'
import { loginRoutes } from './login-routes.tsx'
import { importRoutes } from '../imports/routes.tsx'
import { usersApiRoutes } from '../users/api-routes.ts'
import { passwordRoutes } from './password-routes.tsx'
import { sessionRoutes } from './session-routes.tsx'
import { tokenRoutes } from './token-routes.tsx'
import { totpRoutes } from './totp-routes.tsx'

/** Accounts: login, sessions, passwords, and the shared pages every feature extends. */
export function accountsFeature(base: Base) {
  const deps = depsOf(base)
  const reg = deps.registries
  reg.nav.push(
    { href: '/', label: 'Dashboard', order: 0, visible: (v) => v !== null },
    { href: '/admin', label: 'Admin', order: 90, visible: (v) => v !== null && isAnyAdmin(v) },
  )
  registerWhoWidget(reg, deps.config.yearTurnoverMonth)
  registerAccountSection(reg, () => deps)
  reg.admin.push({ href: '/admin/users', label: 'Users', group: 'Accounts', visible: (v) => hasPerm(v, 'admin_all') })
  reg.admin.push({ href: '/admin/import', label: 'Import users', group: 'Accounts', visible: (v) => hasPerm(v, 'admin_all') })
  return new Elysia({ name: 'accounts' })
    .use(loginRoutes(base))
    .use(passwordRoutes(base))
    .use(sessionRoutes(base))
    .use(tokenRoutes(base))
    .use(totpRoutes(base))
    .use(dashboardRoutes(base))
    .use(preferencesRoutes(base))
    .use(accountSectionRoutes(base))
    .use(adminIndexRoutes(base))
    .use(userAdminRoutes(base))
    .use(importRoutes(base))
    .use(usersApiRoutes(base))
}
