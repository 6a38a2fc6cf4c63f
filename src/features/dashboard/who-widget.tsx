import type { Registries } from '../../platform/registry.ts'
import { displayName, hasPerm, isAnyAdmin } from '../../platform/viewer.ts'
import { gradeOf } from '../users/grade.ts'

const TYPE_LABEL: Record<string, string> = {
  student: 'Student', teacher: 'Teacher', counselor: 'Counselor', user: 'Attendance user', simple_user: 'User', alum: 'Alum', service: 'Service account',
}

/** Accounts' widget: who you are and your links. */
export function registerWhoWidget(reg: Registries, turnoverMonth: number): void {
  reg.dashboard.push({
    id: 'who',
    order: 0,
    visible: () => true,
    render: ({ viewer, today }) => {
      const grade = gradeOf(viewer.graduationYear, today, turnoverMonth)
      const label = viewer.userType === 'student' ? `${grade.name[0]!.toUpperCase()}${grade.name.slice(1)} (class of ${viewer.graduationYear})` : TYPE_LABEL[viewer.userType]
      return (
        <>
          <h2 safe>{`Hello, ${displayName(viewer)}`}</h2>
          <p class="muted" safe>{`${viewer.username} · ${label ?? ''}`}</p>
          <ul class="links">
            <li><a href="/profile">Your profile</a></li>
            <li><a href="/preferences">Preferences</a></li>
            <li><a href="/sessions">Your devices</a></li>
            <li><a href="/password">Change password</a></li>
            <li><a href="/tokens">API tokens</a></li>
            {isAnyAdmin(viewer) ? <li><a href="/admin">Administration</a></li> : ''}
            {hasPerm(viewer, 'admin_all') && !viewer.totpEnabled ? <li><a href="/totp">Turn on two-step login</a></li> : ''}
          </ul>
        </>
      ) as string
    },
  })
}
