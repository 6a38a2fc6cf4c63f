import { lastFirst } from '../../../users/names.ts'
import { formattedRoomName, nameWithFlags, sponsorName } from '../../effective.ts'
import { blockText } from '../../format.ts'
import type { RosterMember } from '../attendance.sql.ts'
import { lockedMessage, type Roster } from '../attendance.ts'
import { AcceptAllPasses, MeetUpload } from './meet.tsx'

// The take-attendance page. One partial, two uses: AttendanceBody is part of the page and the
// whole htmx answer to a save, "mark all present" or a pass decision; AttendanceRow is a row of
// it and the whole answer to one tap (with the counts updated out of band).

export type RosterView = Roster & { grade: (graduationYear: number | null) => string; message?: { kind: 'ok' | 'error'; text: string } | null }

const url = (id: number, tail = '') => `/eighth/attendance/${id}${tail}`
const isOpenPass = (m: RosterMember) => m.afterDeadline && !m.passAccepted
/** Present on screen: attendance taken and not absent. Before attendance is taken nobody is marked. */
const presentOf = (r: Roster, m: RosterMember) => r.head.attendanceTaken && !m.wasAbsent

export function activityTitle(h: Roster['head']): string {
  return nameWithFlags(h.name, { title: h.title, special: h.special, bothBlocks: h.bothBlocks, deleted: h.deleted, cancelled: h.cancelled })
}

function stateText(r: Roster, m: RosterMember): string {
  if (isOpenPass(m)) return 'Pass'
  if (!r.head.attendanceTaken) return 'Not marked'
  return m.wasAbsent ? 'Absent' : 'Present'
}

export function AttendanceRow({ v, m }: { v: RosterView; m: RosterMember }) {
  const present = presentOf(v, m)
  const state = stateText(v, m)
  const cls = `att-row ${isOpenPass(m) ? 'pass' : present ? 'present' : v.head.attendanceTaken ? 'absent' : 'unmarked'}`
  const who = (
    <>
      <span class="att-name" safe>{lastFirst(m)}</span>
      <span class="att-meta muted" safe>{[v.grade(m.graduationYear), m.studentId ?? '', isOpenPass(m) ? 'absent until accepted' : ''].filter(Boolean).join(' · ')}</span>
      <span class="att-state" safe>{state}</span>
    </>
  )
  if (v.mode !== 'take' || isOpenPass(m)) return <li class={cls} id={`att-row-${m.userId}`}><div class="att-tap">{who}</div></li>
  return (
    <li class={cls} id={`att-row-${m.userId}`}>
      <label class="att-tap" for={`att-${m.userId}`}>
        <input
          type="checkbox" id={`att-${m.userId}`} name="present" value={String(m.userId)} checked={present}
          hx-post={url(v.head.id, '/toggle')} hx-vals={JSON.stringify({ uid: String(m.userId) })}
          hx-target="closest li" hx-swap="outerHTML" hx-sync="closest form:queue all"
        />
        {who}
      </label>
    </li>
  )
}

/** "3 of 4 present" and whether attendance was taken; swapped out of band after each tap. */
export function AttendanceStatus({ v, oob }: { v: RosterView; oob?: boolean }) {
  const present = v.members.filter((m) => presentOf(v, m)).length
  return (
    <p id="att-status" class="att-status" role="status" hx-swap-oob={oob ? 'true' : undefined}>
      {v.head.attendanceTaken
        ? <><span class="badge ok">Attendance taken</span> <span safe>{`${present} of ${v.members.length} present`}</span></>
        : <><span class="badge warn">Attendance not taken</span> <span safe>{`${v.members.length} signed up`}</span></>}
    </p>
  )
}

function Passes({ v }: { v: RosterView }) {
  const open = v.members.filter(isOpenPass)
  if (!open.length) return ''
  return (
    <section class="card att-passes" aria-labelledby="passes-title">
      <h2 id="passes-title" safe>{`Passes to decide (${open.length})`}</h2>
      <p class="muted">Students signed up after the block locked. An unaccepted pass counts as absent.</p>
      <ul class="att-pass-list">
        {open.map((m) => (
          <li>
            <span class="att-name" safe>{lastFirst(m)}</span>
            {v.mode === 'take' ? (
              <span class="actions">
                {(['accept', 'reject'] as const).map((s) => (
                  <form method="post" action={`/eighth/attendance/pass/${m.signupId}`} hx-post={`/eighth/attendance/pass/${m.signupId}`} hx-target="#att-body" hx-swap="outerHTML">
                    <input type="hidden" name="status" value={s} />
                    <button type="submit" class={s === 'accept' ? '' : 'secondary'} aria-label={`${s === 'accept' ? 'Accept' : 'Reject'} the pass of ${lastFirst(m)}`}>{s === 'accept' ? 'Accept' : 'Reject'}</button>
                  </form>
                ))}
              </span>
            ) : ''}
          </li>
        ))}
      </ul>
      {v.mode === 'take' && v.head.blockLocked && open.length > 1 ? <AcceptAllPasses id={v.head.id} count={open.length} /> : ''}
    </section>
  )
}

export function AttendanceBody({ v }: { v: RosterView }) {
  const id = v.head.id
  const msg = v.message
  return (
    <div id="att-body">
      {msg ? <p class={`alert ${msg.kind}`} role={msg.kind === 'error' ? 'alert' : 'status'} safe>{msg.text}</p> : ''}
      {v.mode === 'locked' ? <p class="alert warn" safe>{lockedMessage(v.head)}</p> : ''}
      {v.mode === 'readonly' ? <p class="alert info">You can read this roster; only its sponsors and the office take its attendance.</p> : ''}
      <AttendanceStatus v={v} />
      <Passes v={v} />
      {v.members.length === 0 ? <p class="muted">Nobody is signed up for this activity.</p> : (
        <form method="post" action={url(id)} hx-post={url(id)} hx-target="#att-body" hx-swap="outerHTML" class="att-form">
          <fieldset class="att-fieldset">
            <legend>{v.mode === 'take' ? 'Tap each student who is here' : 'Students'}</legend>
            <ul class="att-list">{v.members.map((m) => <AttendanceRow v={v} m={m} />)}</ul>
          </fieldset>
          {v.mode === 'take' ? (
            <div class="att-actions">
              <button type="submit" class="secondary" formaction={url(id, '/all-present')} hx-post={url(id, '/all-present')} hx-target="#att-body" hx-swap="outerHTML">Mark all present</button>
              <button type="submit">Save attendance</button>
            </div>
          ) : ''}
        </form>
      )}
      {v.mode === 'take' && v.members.length ? <MeetUpload id={id} /> : ''}
      {v.office && v.head.cancelled ? (
        <form method="post" action={url(id, '/cancelled')} hx-post={url(id, '/cancelled')} hx-target="#att-body" hx-swap="outerHTML" class="att-cancelled">
          <p class="muted">This activity was cancelled. Students who did not choose another activity count as absent.</p>
          <button type="submit" class="danger">Take attendance for the cancelled activity (all absent)</button>
        </form>
      ) : ''}
    </div>
  )
}

export function AttendancePage({ v }: { v: RosterView }) {
  const h = v.head
  const rooms = h.rooms.map((r) => formattedRoomName(r.name)).join(', ')
  const sponsors = h.sponsors.map(sponsorName).join('; ')
  return (
    <section class="attendance" aria-labelledby="att-title">
      <p class="crumbs"><a href={`/eighth/attendance?block=${h.blockId}`} safe>{`← ${blockText(h)}`}</a></p>
      <h1 id="att-title" safe>{activityTitle(h)}</h1>
      <dl class="act-meta att-facts">
        <dt>Block</dt><dd safe>{blockText(h)}</dd>
        {rooms ? <><dt>Rooms</dt><dd safe>{rooms}</dd></> : ''}
        {sponsors ? <><dt>Sponsors</dt><dd safe>{sponsors}</dd></> : ''}
      </dl>
      <AttendanceBody v={v} />
      {v.mode !== 'readonly' ? <p class="att-links"><a href={`/eighth/admin/attendance/csv/${h.id}`} download="">Download the roster (CSV)</a></p> : ''}
    </section>
  )
}
