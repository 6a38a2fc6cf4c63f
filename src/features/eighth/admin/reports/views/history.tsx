import { fmtDateTime } from '../../../../../platform/html/components.tsx'
import { queryString } from '../common.ts'
import { actionLabel, type HistoryEntry, type HistoryModel } from '../history.ts'

// /eighth/admin/history: the office's audit trail, newest first.

function targetHref(e: HistoryEntry): string | null {
  if (!e.targetId || !/^\d{1,9}$/.test(e.targetId)) return null
  if (e.targetType === 'scheduled_activity') return `/eighth/attendance/${e.targetId}`
  if (e.targetType === 'user') return `/eighth/profile/${e.targetId}`
  return null
}

function Entry({ e, tz }: { e: HistoryEntry; tz: string }) {
  const href = targetHref(e)
  const target = e.targetType ? `${e.targetType.replace(/_/g, ' ')} #${e.targetId ?? ''}` : ''
  return (
    <li class="card history-entry">
      <p class="history-head">
        <strong safe>{actionLabel(e.action)}</strong>
        <span class="muted" safe>{`${fmtDateTime(e.at, tz)} · ${e.actorName}`}</span>
      </p>
      {target ? <p class="history-target">{href ? <a href={href} safe>{target}</a> : <span safe>{target}</span>} <code safe>{e.action}</code></p> : <p><code safe>{e.action}</code></p>}
      {e.students.length ? (
        <p class="history-students">
          <span class="muted">Students: </span>
          {e.students.map((s, i) => <>{i ? ', ' : ''}<a href={`/eighth/profile/${s.id}`} safe>{s.name}</a></>)}
          {e.moreStudents ? <span safe>{` and ${e.moreStudents} more`}</span> : ''}
        </p>
      ) : ''}
      {e.facts.length ? <dl class="facts history-facts">{e.facts.map(([k, v]) => <><dt safe>{k}</dt><dd safe>{v}</dd></>)}</dl> : ''}
    </li>
  )
}

export function HistoryPage({ m, tz }: { m: HistoryModel; tz: string }) {
  const q = m.q
  const base = { action: q.action, actor: q.actor, student: q.student, from: q.from, to: q.to }
  return (
    <section class="report history" aria-labelledby="hi-title">
      <h1 id="hi-title">Eighth-period history</h1>
      <form method="get" action="/eighth/admin/history" class="report-filters card">
        <div class="field"><label for="f-action">Action starts with</label><input id="f-action" type="text" name="action" value={q.action} maxlength={60} placeholder="attendance" /></div>
        <div class="field"><label for="f-actor">Done by (username)</label><input id="f-actor" type="text" name="actor" value={q.actor} maxlength={60} /></div>
        <div class="field"><label for="f-student">Affected student (username or id)</label><input id="f-student" type="text" name="student" value={q.student} maxlength={60} /></div>
        <div class="field"><label for="f-from">From</label><input id="f-from" type="date" name="from" value={q.from ?? undefined} /></div>
        <div class="field"><label for="f-to">To</label><input id="f-to" type="date" name="to" value={q.to ?? undefined} /></div>
        <button type="submit">Filter</button>
      </form>
      {m.unknown !== null ? <p class="alert warn" role="status" safe>{`Nobody is called "${m.unknown}".`}</p> : ''}
      {m.entries.length ? <ol class="history-list">{m.entries.map((e) => <Entry e={e} tz={tz} />)}</ol> : m.unknown === null ? <p class="muted">Nothing matches.</p> : ''}
      <nav class="actions pager" aria-label="Pages">
        {q.page > 1 ? <a href={`/eighth/admin/history${queryString({ ...base, page: q.page - 1 })}`} rel="prev">Newer</a> : ''}
        <span safe>{`Page ${q.page}`}</span>
        {m.hasNext ? <a href={`/eighth/admin/history${queryString({ ...base, page: q.page + 1 })}`} rel="next">Older</a> : ''}
      </nav>
    </section>
  )
}
