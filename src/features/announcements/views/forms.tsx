import { Check, Errors, Field } from '../../../platform/html/components.tsx'
import type { groupsVisibleTo } from '../../groups/index.ts'
import { lastFirst } from '../../users/names.ts'
import type { ClubChoice } from '../club.sql.ts'
import type { TeacherChoice } from '../requests.sql.ts'
import type { FormValues } from '../values.ts'

// The announcement forms: post, edit, request, teacher approval, admin approval and club posts.
// One component; each page says which parts it shows. Values are echoed back as typed.

type GroupBrief = Awaited<ReturnType<typeof groupsVisibleTo>>[number]

export type Button = { label: string; name?: string; value?: string; kind?: 'secondary' | 'danger' }

export type FormShow = {
  author?: boolean
  groups?: GroupBrief[]
  pinned?: boolean
  notify?: string
  emailAll?: boolean
  public?: boolean
  notes?: boolean
  teachers?: TeacherChoice[]
  activities?: ClubChoice[]
  /** Edit only: bump to the top, resend the email. */
  edit?: boolean
}

const teacherLabel = (t: TeacherChoice) => `${lastFirst({ firstName: t.firstName, lastName: t.lastName, nickname: t.nickname })}${t.userType === 'counselor' ? ' (counselor)' : ''}`

function TeacherSelect({ n, list, chosen }: { n: 1 | 2; list: TeacherChoice[]; chosen: string }) {
  return (
    <div class="field">
      <label for={`f-teacher-${n}`}>{n === 1 ? 'Teacher who will approve it' : 'Second teacher (optional)'}</label>
      <select id={`f-teacher-${n}`} name="teachers" required={n === 1}>
        <option value="">{n === 1 ? 'Choose a teacher' : 'No second teacher'}</option>
        {list.map((t) => <option value={String(t.id)} selected={chosen === String(t.id)} safe>{teacherLabel(t)}</option>)}
      </select>
    </div>
  )
}

export function AnnouncementForm(p: { action: string; values: FormValues; show: FormShow; buttons: Button[]; errors?: string[]; frameHosts: string[] }) {
  const v = p.values
  const s = p.show
  return (
    <form method="post" action={p.action} class="stack announcement-form">
      <Errors errors={p.errors ?? []} />
      {s.activities ? (
        <div class="field">
          <label for="f-activity">Club</label>
          <select id="f-activity" name="activity" required>
            <option value="">Choose a club</option>
            {s.activities.map((a) => <option value={String(a.id)} selected={v.activity === String(a.id)} safe>{`${a.name}${a.subscriptionsEnabled ? ` (${a.subscribers} subscribed)` : ' (subscriptions off)'}`}</option>)}
          </select>
        </div>
      ) : ''}
      <Field name="title" label="Title" value={v.title} required maxlength={127} />
      {s.author ? <Field name="author" label="Author (optional)" hint="Shown instead of your name, e.g. a club or office." value={v.author} maxlength={63} /> : ''}
      <div class="field">
        <label for="f-content">Text</label>
        <span class="hint" id="f-content-hint" safe>{`Basic HTML is allowed: paragraphs, bold, italics, lists, links and quotes. Web addresses become links.${p.frameHosts.length ? ` Videos may be embedded from ${p.frameHosts.join(', ')}.` : ''}`}</span>
        <textarea id="f-content" name="content" rows="10" required aria-describedby="f-content-hint" safe>{v.content}</textarea>
      </div>
      <div class="field">
        <label for="f-expiration">Expires</label>
        <span class="hint" id="f-expiration-hint">The post leaves the dashboard after this time (it stays in the archive).</span>
        <input id="f-expiration" type="datetime-local" name="expiration" value={v.expiration} aria-describedby="f-expiration-hint" />
        <Check name="no_expiration" label="Don’t expire" checked={v.noExpiration} />
      </div>
      {s.teachers ? (
        <fieldset class="teachers">
          <legend>Approval</legend>
          <p class="hint">Choose one or two teachers. Each gets an email asking them to approve your announcement; then an administrator posts it.</p>
          <TeacherSelect n={1} list={s.teachers} chosen={v.teachers[0] ?? ''} />
          <TeacherSelect n={2} list={s.teachers} chosen={v.teachers[1] ?? ''} />
        </fieldset>
      ) : ''}
      {s.notes ? (
        <div class="field">
          <label for="f-notes">Notes for the approvers (optional)</label>
          <textarea id="f-notes" name="notes" rows="3" maxlength="2000" safe>{v.notes}</textarea>
        </div>
      ) : ''}
      {s.groups ? (
        <fieldset class="checklist">
          <legend>Groups</legend>
          <p class="hint">Only members of the chosen groups see it. Choose none to show it to everyone.</p>
          <div class="checklist-items">
            {[...s.groups].sort((x, y) => Number(/^admin_/i.test(x.name)) - Number(/^admin_/i.test(y.name))).map((g) => <Check name="groups" id={`f-group-${g.id}`} value={String(g.id)} label={g.name} checked={v.groups.includes(String(g.id))} />)}
          </div>
        </fieldset>
      ) : ''}
      {s.public ? <Check name="public" label="Show to everyone, even if the club is restricted" checked={v.public} /> : ''}
      {s.pinned ? <Check name="pinned" label="Pin to the top of the dashboard" checked={v.pinned} /> : ''}
      {s.notify ? <Check name="notify_post" label={s.notify} checked={v.notifyPost} /> : ''}
      {s.emailAll ? <Check name="notify_email_all" label="Email everyone, even people who turned announcement emails off (recorded in the audit log)" checked={v.notifyEmailAll} /> : ''}
      {s.edit ? (
        <fieldset>
          <legend>When saving</legend>
          <Check name="bump" label="Move it to the top (update the date added)" />
          <Check name="resend" label="Send the email again" />
          {s.emailAll ? <Check name="resend_all" label="Send the email again to everyone (ignores preferences; audited)" /> : ''}
        </fieldset>
      ) : ''}
      <div class="actions">
        {p.buttons.map((b) => <button type="submit" name={b.name} value={b.value} class={b.kind} safe>{b.label}</button>)}
      </div>
    </form>
  )
}
