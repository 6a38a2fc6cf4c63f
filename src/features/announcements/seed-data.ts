// A term of demo announcements, newest first. `daysAgo` places each one; `audience` picks its
// groups ('class:0' is this year's seniors, 'class:3' the freshmen); `club` makes a club post.

export type DemoPost = {
  title: string
  content: string
  daysAgo: number
  author?: string
  pinned?: boolean
  never?: boolean
  audience?: string[]
  club?: string
}

export const DEMO_POSTS: DemoPost[] = [
  { title: 'Welcome back: second quarter starts Monday', daysAgo: 2, pinned: true, never: true, author: 'Main Office',
    content: '<p>Second quarter begins Monday. Check your <strong>eighth-period signups</strong> for the week and your bus route in Preferences.</p><p>Questions? Email the main office at <a href="mailto:office@school.example">office@school.example</a>.</p>' },
  { title: 'Winter weather: how we announce closings', daysAgo: 5, pinned: true, never: true, author: 'Administration',
    content: '<p>On snow days the decision is posted here and on the district site by 5:30 AM.</p><ul><li>Closed: no school, no eighth period</li><li>Two-hour delay: eighth period is cancelled</li></ul><p>District updates: https://district.example/closings</p>' },
  { title: 'Senior portraits: last chance', daysAgo: 1, audience: ['class:0'], author: 'Yearbook',
    content: '<p>Seniors who missed portrait day can sit for photos in the library during eighth period on Thursday.</p>' },
  { title: 'Robotics build season kickoff', daysAgo: 3, club: 'Robotics Team',
    content: '<p>Kickoff is this Saturday at 10 AM in the engineering lab. Bring safety glasses.</p>' },
  { title: 'Library hours extended for exams', daysAgo: 4,
    content: '<p>The library stays open until 6 PM every day during exam weeks. Quiet study only on the second floor.</p>' },
  { title: 'Freshman class meeting', daysAgo: 6, audience: ['class:3'], author: 'Freshman class sponsors',
    content: '<p>All freshmen: class meeting in the auditorium during 8A on Wednesday. We will elect class officers.</p>' },
  { title: 'Staff meeting moved to the library', daysAgo: 7, audience: ['Teachers'], author: 'Principal',
    content: '<p>This week’s staff meeting is in the library at 3:15 PM.</p>' },
  { title: 'Science Olympiad tryouts', daysAgo: 8, club: 'Science Olympiad',
    content: '<p>Tryout tests are next Tuesday. Study guides are on the team page.</p>' },
  { title: 'Chess Club tournament results', daysAgo: 9, audience: ['Chess Club'],
    content: '<p>Congratulations to everyone who played at the regional scholastic tournament — we placed third!</p>' },
  { title: 'Counseling: course selection opens', daysAgo: 10,
    content: '<p>Course selection for next year opens on the 1st. Meet with your counselor before submitting.</p><blockquote>Plan for balance, not just rigor.</blockquote>' },
  { title: 'Rocketry launch day', daysAgo: 12, club: 'Rocketry Club',
    content: '<p>Launch day on the field Friday after school, weather permitting.</p>' },
  { title: 'Juniors: PSAT scores available', daysAgo: 14, audience: ['class:1'],
    content: '<p>PSAT score reports are available online. Bring questions to your counselor.</p>' },
  { title: 'Lost and found clears out Friday', daysAgo: 16,
    content: '<p>Unclaimed items go to charity on Friday. Check the bins by the main office.</p>' },
  { title: 'Varsity soccer playoff bus', daysAgo: 18, audience: ['Varsity Soccer'],
    content: '<p>The fan bus leaves at 4:30 PM from the bus loop. Sign up at the athletics office.</p>' },
  { title: 'Food drive: week two', daysAgo: 21,
    content: '<p>Canned goods go in the boxes outside each first-period classroom.</p>' },
  { title: 'Debate Team novice night', daysAgo: 24, audience: ['Debate Team'],
    content: '<p>New debaters: practice rounds Thursday evening. Parents welcome.</p>' },
  { title: 'Picture retake day', daysAgo: 28,
    content: '<p>Retakes are in the gym during lunch. Bring your picture envelope.</p>' },
  { title: 'Sophomore field trip forms due', daysAgo: 31, audience: ['class:2'],
    content: '<p>Permission slips for the museum trip are due to your English teacher by Friday.</p>' },
  { title: 'Homecoming week schedule', daysAgo: 35,
    content: '<p>Spirit days all week; the pep rally replaces eighth period on Friday.</p><ol><li>Monday: pajama day</li><li>Tuesday: decades day</li><li>Friday: school colors</li></ol>' },
  { title: 'Robotics fundraiser', daysAgo: 38, club: 'Robotics Team',
    content: '<p>Buy a pizza slice at lunch Wednesday to support the team.</p>' },
  { title: 'Flu shots in the clinic', daysAgo: 42,
    content: '<p>The health room offers flu shots Tuesday and Wednesday with a signed form.</p>' },
  { title: 'Math Team practice schedule', daysAgo: 45, audience: ['Math Team'],
    content: '<p>Practices are Mondays during 8B. Bring a calculator and a pencil.</p>' },
  { title: 'Back-to-school night recap', daysAgo: 50,
    content: '<p>Thank you to everyone who came. Slides from each department are on the school site.</p>' },
  { title: 'Club fair this Friday', daysAgo: 56,
    content: '<p>Over a hundred clubs will be in the cafeteria during both eighth-period blocks. Subscribe to clubs on their activity pages to get their announcements.</p>' },
  { title: 'First day reminders', daysAgo: 70,
    content: '<p>Welcome! Pick up your schedule in the main hall and sign up for eighth period by noon.</p>' },
]

/** Requests in each state, for the approval pages. */
export const DEMO_REQUESTS = [
  { title: 'Bake sale for the animal shelter', state: 'awaiting_teacher', content: '<p>Animal Rescue Club bake sale in the lobby on Friday morning.</p>', notes: 'For everyone, please.' },
  { title: 'Poetry slam open mic', state: 'awaiting_admin', content: '<p>Open mic in the library Thursday after school. All poets welcome.</p>', notes: '' },
  { title: 'Lost calculator', state: 'rejected', content: '<p>I lost my calculator in room 214.</p>', notes: 'Sorry if this is not the right place.' },
] as const
