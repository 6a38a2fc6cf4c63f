// Two shortcuts of the take-attendance page: the Google Meet upload (a file or pasted text) and
// "Accept all passes". Both are plain forms (multipart for the upload) that htmx enhances; the
// answer replaces #att-body, so the upload form comes back empty.

const url = (id: number, tail: string) => `/eighth/attendance/${id}${tail}`

export function MeetUpload({ id }: { id: number }) {
  return (
    <details class="card att-meet">
      <summary>Take attendance from a Google Meet file</summary>
      <form
        method="post" action={url(id, '/meet')} enctype="multipart/form-data" class="stack"
        hx-post={url(id, '/meet')} hx-target="#att-body" hx-swap="outerHTML"
      >
        <p class="muted">
          Students in the file are marked present, everyone else absent. An address counts for a student when the part
          before the @ is their student ID or username.
        </p>
        <div class="field">
          <label for="meet-file">Attendance CSV (at most 5 MB)</label>
          <input id="meet-file" type="file" name="file" accept=".csv,.txt,text/csv" />
        </div>
        <div class="field">
          <label for="meet-csv">…or paste it</label>
          <textarea id="meet-csv" name="csv" rows="4" spellcheck="false"></textarea>
        </div>
        <div class="actions"><button type="submit">Take attendance from the file</button></div>
      </form>
    </details>
  )
}

export function AcceptAllPasses({ id, count }: { id: number; count: number }) {
  return (
    <form method="post" action={url(id, '/accept-all-passes')} hx-post={url(id, '/accept-all-passes')} hx-target="#att-body" hx-swap="outerHTML" class="att-accept-all">
      <button type="submit" safe>{`Accept all ${count} passes`}</button>
    </form>
  )
}
