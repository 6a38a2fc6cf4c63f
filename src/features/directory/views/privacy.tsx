import { Errors, Field, Notice } from '../../../platform/html/components.tsx'
import { FLAG_KEYS, fieldName, type PrivacyTarget } from '../privacy-edit.ts'
import { PRIVACY_ATTRS, type PrivacyFlags } from '../privacy.ts'

// /preferences/privacy: find a student, then edit their parent/self flag pairs.

export function PrivacyLookup({ error }: { error?: string }) {
  return (
    <form method="get" action="/preferences/privacy" class="stack privacy-lookup">
      {error ? <Errors errors={[error]} /> : ''}
      <Field name="student_id" id="privacy-sid" label="Student ID" inputmode="numeric" maxlength={20} autocomplete="off" />
      <Field name="user" id="privacy-user" label="or user id" inputmode="numeric" maxlength={9} autocomplete="off" />
      <button type="submit">Find</button>
    </form>
  )
}

const status = (f: PrivacyFlags, attr: (typeof PRIVACY_ATTRS)[number]) =>
  f[FLAG_KEYS[attr].parent] && f[FLAG_KEYS[attr].self] ? 'Visible to other students' : 'Hidden from other students'

function Editor({ t, saved, error }: { t: Extract<PrivacyTarget, { kind: 'ok' }>['user']; saved: boolean; error?: string }) {
  if (!t.isStudent) return <Notice kind="info"><p safe>{`${t.name} is not a student: non-students have no privacy options.`}</p></Notice>
  return (
    <form method="post" action="/preferences/privacy" class="stack privacy-form">
      {saved ? <Notice kind="ok"><p>Saved.</p></Notice> : ''}
      {error ? <Errors errors={[error]} /> : ''}
      <input type="hidden" name="user" value={String(t.id)} />
      <p class="muted">Turning a parent's permission off also turns the student's off. Teachers, counselors and the eighth-period office always see everything.</p>
      {PRIVACY_ATTRS.map((attr) => {
        const k = FLAG_KEYS[attr]
        return (
          <fieldset class="privacy-pair">
            <legend safe>{k.label}</legend>
            <label class="check" for={`pv-${attr}-parent`}>
              <input type="checkbox" id={`pv-${attr}-parent`} name={fieldName('parent', attr)} checked={t.flags[k.parent]} />
              <span>Parent allows</span>
            </label>
            <label class="check" for={`pv-${attr}-self`}>
              <input type="checkbox" id={`pv-${attr}-self`} name={fieldName('self', attr)} checked={t.flags[k.self]} />
              <span>Student allows</span>
            </label>
            <p class="muted privacy-status">{status(t.flags, attr)}</p>
          </fieldset>
        )
      })}
      <button type="submit">Save</button>
    </form>
  )
}

export function PrivacyPage({ target, saved, error }: { target: PrivacyTarget; saved: boolean; error?: string }) {
  const t = target.kind === 'ok' ? target.user : null
  const title: string = t ? `Privacy: ${t.name}` : 'Student privacy'
  return (
    <section class="privacy-admin" aria-labelledby="privacy-title">
      <h1 id="privacy-title" safe>{title}</h1>
      {t ? (
        <>
          <p class="muted"><a href={`/profile/${t.id}`} safe>{`${t.username} · view profile`}</a> · <a href="/preferences/privacy">Another student</a></p>
          <Editor t={t} saved={saved} error={error} />
        </>
      ) : <PrivacyLookup error={target.kind === 'notFound' ? target.message : undefined} />}
    </section>
  )
}

/** The /preferences section: students read their settings; the eighth office gets the lookup. */
export function PrivacySection({ flags, office }: { flags: PrivacyFlags | null; office: boolean }) {
  return (
    <section class="card" aria-labelledby="pref-privacy-title">
      <h2 id="pref-privacy-title">Privacy</h2>
      {flags ? (
        <>
          <ul class="privacy-summary">
            {PRIVACY_ATTRS.map((attr) => <li><span safe>{FLAG_KEYS[attr].label}</span>: <span>{status(flags, attr) === 'Visible to other students' ? 'visible to other students' : 'hidden from other students'}</span></li>)}
          </ul>
          <p class="muted">Only the eighth-period office can change these.</p>
        </>
      ) : ''}
      {office ? <p><a href="/preferences/privacy">Edit a student's privacy settings</a></p> : ''}
    </section>
  )
}

export const privacySection = (flags: PrivacyFlags | null, office: boolean) => (<PrivacySection flags={flags} office={office} />) as string
