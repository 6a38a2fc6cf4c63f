import { Errors, Field, Check } from '../../platform/html/components.tsx'

export function LoginForm(p: { next: string; username?: string; errors?: string[]; schoolName: string }) {
  return (
    <section class="login card" aria-labelledby="login-title">
      <h1 id="login-title" safe>{`Log in to ${p.schoolName}`}</h1>
      <div id="login-errors"><Errors errors={p.errors ?? []} /></div>
      <form method="post" action="/login" class="stack" hx-post="/login" hx-target="closest section" hx-swap="outerHTML">
        <input type="hidden" name="next" value={p.next} />
        <Field name="username" label="Username" value={p.username} required autocomplete="username" autofocus maxlength={40} />
        <Field name="password" label="Password" type="password" required autocomplete="current-password" maxlength={256} />
        <Check name="remember" label="Remember me on this device (7 days)" checked />
        <button type="submit">Log in</button>
      </form>
      <p><a href="/password/forgot">Forgot your password?</a></p>
    </section>
  )
}

export function TotpForm(p: { errors?: string[] }) {
  return (
    <section class="login card" aria-labelledby="totp-title">
      <h1 id="totp-title">Two-step login</h1>
      <Errors errors={p.errors ?? []} />
      <form method="post" action="/login/totp" class="stack">
        <Field name="code" label="Code from your authenticator app" inputmode="numeric" autocomplete="one-time-code" required autofocus maxlength={8} pattern="[0-9 ]{6,8}" />
        <button type="submit">Continue</button>
      </form>
      <p><a href="/login">Start over</a></p>
    </section>
  )
}

export function TotpEnrollForm(p: { action: string; keyText: string; uri: string; errors?: string[]; required?: boolean }) {
  return (
    <section class="card" aria-labelledby="enroll-title">
      <h1 id="enroll-title">Turn on two-step login</h1>
      {p.required ? <p class="alert warn">Accounts with administrative permissions must use two-step login.</p> : ''}
      <ol>
        <li>Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password).</li>
        <li>
          Add an account with this key: <code id="totp-key" safe>{p.keyText}</code>{' '}
          <button type="button" class="link" data-copy="totp-key">Copy</button>
          <br /><span class="muted">or open this link on the phone: </span><a href={p.uri} class="mono" safe>{p.uri}</a>
        </li>
        <li>Type the 6-digit code it shows.</li>
      </ol>
      <Errors errors={p.errors ?? []} />
      <form method="post" action={p.action} class="stack">
        <Field name="code" label="6-digit code" inputmode="numeric" autocomplete="one-time-code" required maxlength={8} pattern="[0-9 ]{6,8}" />
        <button type="submit">Turn on</button>
      </form>
    </section>
  )
}

export function ReauthForm(p: { next: string; errors?: string[] }) {
  return (
    <section class="login card" aria-labelledby="reauth-title">
      <h1 id="reauth-title">Confirm your password</h1>
      <p>This page needs your password again (valid for 15 minutes).</p>
      <Errors errors={p.errors ?? []} />
      <form method="post" action="/reauthenticate" class="stack">
        <input type="hidden" name="next" value={p.next} />
        <Field name="password" label="Password" type="password" required autocomplete="current-password" autofocus />
        <button type="submit">Confirm</button>
      </form>
    </section>
  )
}

export function NewPasswordFields(p: { min: number; errors?: Record<string, string> }) {
  return (
    <>
      <Field name="new_password" label="New password" type="password" required autocomplete="new-password" hint={`At least ${p.min} characters. A long phrase is easiest to remember.`} error={p.errors?.new_password} />
      <Field name="confirm_password" label="New password again" type="password" required autocomplete="new-password" error={p.errors?.confirm_password} />
    </>
  )
}
