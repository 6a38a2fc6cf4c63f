// The first-login pages (ion-apps.md §17): what the intranet is for, for a student or a teacher,
// ending with one button that records it was seen.

function Done({ label }: { label: string }) {
  return (
    <form method="post" action="/welcome/done" class="actions">
      <button type="submit" safe>{label}</button>
    </form>
  )
}

export function StudentWelcome({ name, schoolName }: { name: string; schoolName: string }) {
  return (
    <section class="card welcome" aria-labelledby="welcome-h">
      <h1 id="welcome-h" safe>{`Welcome to the ${schoolName} intranet, ${name}!`}</h1>
      <p>A few things to know before you start:</p>
      <ol class="stack-list">
        <li><strong>Eighth period.</strong> Sign up for an activity for every eighth-period block under <a href="/eighth/signup">Eighth</a>. If you do not sign up, the office places you, and you may be marked absent if you are not where you signed up.</li>
        <li><strong>The dashboard</strong> shows announcements and events for you, your next eighth-period blocks and today’s bell schedule.</li>
        <li><strong>Events</strong> lists what is happening this week and month. You can say you are going, and add <a href="/events/ical">your calendar feed</a> (events and eighth-period signups) to your phone.</li>
        <li><strong>Privacy.</strong> Other students cannot see your eighth-period signups, schedule or photo unless you and a parent allow it in <a href="/preferences">Preferences</a>.</li>
        <li><strong>Polls and elections</strong> open under Polls when you can vote.</li>
      </ol>
      <p>By signing up for eighth-period activities you agree to attend the activity you chose, or to change your signup before the block locks.</p>
      <Done label="I understand — go to the dashboard" />
    </section>
  )
}

export function TeacherWelcome({ name, schoolName }: { name: string; schoolName: string }) {
  return (
    <section class="card welcome" aria-labelledby="welcome-h">
      <h1 id="welcome-h" safe>{`Welcome to the ${schoolName} intranet, ${name}!`}</h1>
      <ol class="stack-list">
        <li><strong>Attendance.</strong> Take eighth-period attendance for the activities you sponsor from the dashboard or <a href="/eighth/attendance">Attendance</a>.</li>
        <li><strong>Announcement requests.</strong> Students may ask you to approve an announcement; you get an email and approve it on the intranet before an administrator posts it.</li>
        <li><strong>Events.</strong> Request an event for the school calendar under <a href="/events/request">Events</a>; an administrator approves it.</li>
        <li><strong>The directory</strong> finds students and staff; you see students’ schedules and eighth-period signups.</li>
      </ol>
      <Done label="Go to the dashboard" />
    </section>
  )
}
