import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { makeUser } from '../helpers/factories.ts'
import { applyPlan, planCsv, type AnyPlan, type ImportKind } from '../../src/features/imports/service.ts'
import type { UserImportPlan } from '../../src/features/imports/users-plan.ts'
import type { GroupImportPlan } from '../../src/features/imports/groups.ts'
import { lettersOnly, nextUsername, studentUsernameBase, UsernameAllocator } from '../../src/features/users/usernames.ts'
import { toCsv } from '../../src/platform/csv.ts'

// The clock says 2026-11-30: this school year's seniors graduate in 2027 (grades 9–12 = 2027–2030).
let env: TestEnv
beforeAll(async () => { env = await testEnv() })
afterAll(async () => { await env.close() })

const planOf = (kind: ImportKind, text: string, deactivateMissing = false) =>
  planCsv(env.sql, kind, text, { today: env.clock.today(), turnoverMonth: env.config.yearTurnoverMonth, deactivateMissing })
const users = async (text: string, deactivateMissing = false) => (await planOf('users', text, deactivateMissing)) as UserImportPlan
const groups = async (text: string) => (await planOf('groups', text)) as GroupImportPlan
const apply = (plan: AnyPlan, validOnly = false) =>
  applyPlan(env.sql, plan, { validOnly, now: env.clock.now(), audit: { actorId: null, source: 'cli', file: 'test.csv' } })
const count = async (where = 'true') => (await env.sql.unsafe(`SELECT count(*)::int AS n FROM users WHERE ${where}`))[0]!.n as number
const userBy = async (username: string) =>
  (await env.sql`SELECT u.*, (SELECT address FROM emails WHERE user_id = u.id AND is_primary) AS email,
                        (SELECT username FROM users c WHERE c.id = u.counselor_id) AS counselor
                 FROM users u WHERE lower(username) = lower(${username})`)[0]
const audits = async (action: string) => env.sql`SELECT details FROM audit_log WHERE action = ${action} ORDER BY id`

describe('usernames (Ion rule)', () => {
  test('<gradyear><first initial><last name letters only, cut to 7>, lower-case', () => {
    expect(studentUsernameBase(2023, 'John', 'Doe')).toBe('2023jdoe')
    expect(studentUsernameBase(2023, 'Alexander', 'Longestname')).toBe('2023alongest')
    expect(studentUsernameBase(2023, 'Jane', "Doe-Something")).toBe('2023jdoesome')
    expect(studentUsernameBase(2023, 'José', "Núñez O'Brien")).toBe('2023jnunezob')
    expect(studentUsernameBase(2023, '  émile', 'Zola')).toBe('2023ezola')
    expect(studentUsernameBase(2023, '李', 'Wang')).toBeNull()
    expect(lettersOnly("D'Angelo-Smith Jr.")).toBe('dangelosmithjr')
  })

  test('a collision increments the trailing digit or appends 1', () => {
    expect(nextUsername('2021ttest')).toBe('2021ttest1')
    expect(nextUsername('2021ttest1')).toBe('2021ttest2')
    expect(nextUsername('2021ttest9')).toBe('2021ttest10')
    const a = new UsernameAllocator(['2021ttest', '2021TTEST1'])
    expect(a.allocate('2021ttest')).toBe('2021ttest2')
    expect(a.allocate('2021ttest')).toBe('2021ttest3')
    expect(a.allocate('2021other')).toBe('2021other')
  })
})

describe('import users: happy path', () => {
  const file = toCsv([
    ['Student ID', 'First Name', 'Last Name', 'Middle Name', 'Nick Name', 'Grad Year', 'Type', 'Email', 'Counselor', 'Username', 'Gender'],
    ['2000001', 'Jane', 'Doe', 'Q', '', '2027', '', 'jane@example.org', 'Smithers', '', 'F'],
    ['2000002', 'John', 'Doe', '', 'Jack', '2028', 'student', '', 'csmithers', '', 'm'],
    ['2000003', 'Ann', 'Lee', '', '', '2030', '', '', '', 'annlee', ''],
    ['', 'Terry', 'Tutor', '', '', '', 'teacher', 'tt@example.org', '', 'ttutor', ''],
    ['', 'Cora', 'Counsel', '', '', '', 'counselor', '', '', 'ccounsel', ''],
    ['2000004', 'Kim', 'Park', '', '', '2029', '', '', 'Counsel', '', ''],
  ])

  beforeAll(async () => {
    await makeUser(env.sql, { username: 'csmithers', type: 'counselor', lastName: 'Smithers' })
  })

  test('plans creates with generated usernames, resolved counselors and no errors', async () => {
    const plan = await users(file)
    expect(plan.errors).toEqual([])
    expect(plan.fatal).toBe(false)
    expect(plan.creates.map((c) => [c.line, c.user.username, c.user.userType])).toEqual([
      [2, '2027jdoe', 'student'], [3, '2028jdoe', 'student'], [4, 'annlee', 'student'],
      [5, 'ttutor', 'teacher'], [6, 'ccounsel', 'counselor'], [7, '2029kpark', 'student'],
    ])
    expect(plan.creates[0]!.counselor?.username).toBe('csmithers')
    expect(plan.creates[1]!.counselor?.username).toBe('csmithers')
    expect(plan.creates[5]!.counselor).toEqual({ id: null, username: 'ccounsel' })
    expect(plan.updates).toEqual([])
  })

  test('applies in one go: accounts, primary emails, counselors (incl. one made by the same file), an audit row', async () => {
    const r = await apply(await users(file))
    expect(r).toEqual({ ok: true, value: { kind: 'users', created: 6, updated: 0, unchanged: 0, deactivated: 0, skipped: 0 } })
    const jane = await userBy('2027jdoe')
    expect(jane).toMatchObject({ firstName: 'Jane', middleName: 'Q', studentId: '2000001', graduationYear: 2027, userType: 'student', gender: 'female', email: 'jane@example.org', counselor: 'csmithers', active: true })
    expect(await userBy('2028jdoe')).toMatchObject({ nickname: 'Jack', gender: 'male', email: null })
    expect(await userBy('ttutor')).toMatchObject({ userType: 'teacher', studentId: null, graduationYear: null, email: 'tt@example.org' })
    expect(await userBy('2029kpark')).toMatchObject({ counselor: 'ccounsel' })
    const [a] = await audits('import.users')
    expect(a!.details).toMatchObject({ created: 6, updated: 0, deactivated: 0, source: 'cli', file: 'test.csv', rows: 6 })
  })

  test('the same file again changes nothing', async () => {
    const plan = await users(file)
    expect(plan.creates).toEqual([])
    expect(plan.updates).toEqual([])
    expect(plan.unchanged).toBe(6)
  })

  test('updates are keyed by student ID (students) and username (staff); only changed fields count', async () => {
    const plan = await users(toCsv([
      ['student_id', 'first_name', 'last_name', 'graduation_year', 'email', 'username', 'user_type'],
      ['2000001', 'Jane', 'Doe-Ray', '2028', 'jdr@example.org', '', ''],
      ['2000002', 'John', 'Doe', '2028', '', '', ''],
      ['', 'Terry', 'Tutor', '', 'terry@example.org', 'TTutor', 'counselor'],
    ]))
    expect(plan.errors).toEqual([])
    expect(plan.creates).toEqual([])
    expect(plan.unchanged).toBe(1)
    expect(plan.updates.map((u) => [u.line, u.was, u.key])).toEqual([[2, '2027jdoe', 'student ID'], [4, 'ttutor', 'username']])
    expect(plan.updates[0]!.changes).toEqual([
      { field: 'last name', from: 'Doe', to: 'Doe-Ray' },
      { field: 'grad year', from: '2027', to: '2028' },
      { field: 'email', from: 'jane@example.org', to: 'jdr@example.org' },
    ])
    expect(plan.updates[1]!.changes.map((c) => c.field)).toEqual(['type', 'email'])
    const r = await apply(plan)
    expect(r.ok && r.value).toMatchObject({ created: 0, updated: 2, unchanged: 1 })
    // The username stays (Ion keeps it when the class changes); middle name untouched (no column).
    expect(await userBy('2027jdoe')).toMatchObject({ lastName: 'Doe-Ray', graduationYear: 2028, middleName: 'Q', email: 'jdr@example.org' })
    const emails = await env.sql`SELECT address, is_primary FROM emails e JOIN users u ON u.id = e.user_id WHERE u.username = '2027jdoe' ORDER BY e.id`
    expect(emails.map((e) => [e.address, e.isPrimary])).toEqual([['jane@example.org', false], ['jdr@example.org', true]])
    expect(await userBy('ttutor')).toMatchObject({ userType: 'counselor', email: 'terry@example.org' })
  })

  test('header aliases are case-insensitive; unknown columns are noted, not fatal', async () => {
    const plan = await users('STUDENT ID,FIRST NAME,last name,Grad Year,Homeroom\n2000003,Ann,Lee,2030,101\n')
    expect(plan.errors).toEqual([])
    expect(plan.unchanged).toBe(1)
    expect(plan.notes.join(' ')).toContain('Homeroom')
  })
})

describe('import users: bad rows', () => {
  const bad = toCsv([
    ['Student ID', 'First Name', 'Last Name', 'Grad Year', 'Type', 'Email', 'Counselor', 'Username', 'Gender'],
    ['3000001', 'Good', 'Row', '2027', '', '', '', '', ''],
    ['30-01', '', 'Row', '1999', '', 'not-an-email', '', '', ''],
    ['3000002', 'Bad', 'Type', '2027', 'wizard', '', '', '', 'robot'],
    ['3000001', 'Dup', 'Id', '2027', '', '', '', '', ''],
    ['3000003', 'No', 'Counselor', '2027', '', '', 'Nobody', '', ''],
    ['', 'Staff', 'NoName', '', 'teacher', '', '', '', ''],
    ['3000004', 'Also', 'Good', '2030', '', '', '', 'goodname', ''],
    ['3000005', 'Dup', 'Name', '2030', '', '', '', 'GOODNAME', ''],
    ['', 'Stu', 'Dent', '2029', 'student', '', '', 'stu', ''],
  ])

  test('every problem is reported with its line; the later duplicate is the error', async () => {
    const plan = await users(bad)
    const lines = (l: number) => plan.errors.filter((e) => e.line === l).map((e) => e.message)
    expect(new Set(plan.errors.map((e) => e.line))).toEqual(new Set([3, 4, 5, 6, 7, 9, 10]))
    expect(lines(3).join(' | ')).toContain('First name is required.')
    expect(lines(3).join(' | ')).toContain('Student ID "30-01"')
    expect(lines(3).join(' | ')).toContain('Grad year 1999 is outside 2017–2040.')
    expect(lines(3).join(' | ')).toContain('Email "not-an-email" is not a valid address.')
    expect(lines(4).join(' | ')).toContain('Type "wizard"')
    expect(lines(4).join(' | ')).toContain('Gender "robot"')
    expect(lines(5)).toEqual(['Student ID 3000001 is also on line 2.'])
    expect(lines(6)).toEqual(['Counselor "Nobody" is not a counselor\'s username or last name.'])
    expect(lines(7)).toEqual(['Username is required for teacher accounts.'])
    expect(lines(9)).toEqual(['Username goodname is also on line 8.'])
    expect(lines(10)).toEqual(['Student ID is required for students.'])
    expect(plan.creates.map((c) => c.line)).toEqual([2, 8])
  })

  test('nothing is written while any row is invalid', async () => {
    const before = await count()
    const auditsBefore = (await audits('import.users')).length
    const r = await apply(await users(bad))
    expect(r.ok).toBe(false)
    expect(!r.ok && r.errors[0]).toContain('7 row(s) have errors, so nothing was imported')
    expect(await count()).toBe(before)
    expect((await audits('import.users')).length).toBe(auditsBefore)
  })

  test('"import the valid rows" writes the valid ones and reports the skipped', async () => {
    const r = await apply(await users(bad), true)
    expect(r.ok && r.value).toMatchObject({ created: 2, skipped: 7 })
    expect(await userBy('2027grow')).toMatchObject({ studentId: '3000001', firstName: 'Good' })
    expect(await userBy('goodname')).toMatchObject({ studentId: '3000004' })
    expect(await count(`student_id = '3000002'`)).toBe(0)
  })

  test('a bad header, an empty file and broken CSV are fatal (even for valid rows only)', async () => {
    const noCols = await users('Name,Grade\nJo,9\n')
    expect(noCols.fatal).toBe(true)
    expect(noCols.errors[0]).toMatchObject({ line: 1 })
    expect(noCols.errors[0]!.message).toContain('First Name, Last Name, Student ID or Username')
    const empty = await users('')
    expect(empty.errors).toEqual([{ line: 1, message: 'The file is empty.' }])
    const headerOnly = await users('Student ID,First Name,Last Name\n')
    expect(headerOnly.errors[0]!.message).toContain('no rows')
    const broken = await users('Student ID,First Name,Last Name\n1,"open,x\n')
    expect(broken.errors).toEqual([{ line: 2, message: 'The file is not valid CSV: a quoted field is never closed.' }])
    const r = await apply(noCols, true)
    expect(r.ok).toBe(false)
  })

  test('a username that belongs to another account is an error; a staff username of a student is an error', async () => {
    await makeUser(env.sql, { username: 'takenname', type: 'student', studentId: '3999999' })
    const student = await users('Student ID,First Name,Last Name,Grad Year,Username\n3100000,New,Kid,2030,takenname\n')
    expect(student.errors).toEqual([{ line: 2, message: 'Username takenname belongs to another account (student ID 3999999).' }])
    const staff = await users('First Name,Last Name,Username,Type\nNot,Staff,takenname,teacher\n')
    expect(staff.errors).toEqual([{ line: 2, message: 'takenname is a student account (student ID 3999999): students are matched by student ID.' }])
  })
})

describe('import users: generated usernames are unique against the database and the file', () => {
  test('2027ttest and 2027ttest2 taken → 2027ttest1, 2027ttest3; a username given in the file is reserved', async () => {
    await makeUser(env.sql, { username: '2027ttest', type: 'student', studentId: '4000000' })
    await makeUser(env.sql, { username: '2027ttest2', type: 'student', studentId: '4000009' })
    const plan = await users(toCsv([
      ['Student ID', 'First Name', 'Last Name', 'Grad Year', 'Username'],
      ['4000001', 'Tom', 'Test', '2027', ''],
      ['4000002', 'Tina', 'Tést', '2027', ''],
      ['4000003', 'Ted', 'Test', '2027', '2027ttest4'],
      ['4000004', 'Tara', 'Test', '2027', ''],
    ]))
    expect(plan.errors).toEqual([])
    expect(plan.creates.map((c) => c.user.username)).toEqual(['2027ttest1', '2027ttest3', '2027ttest4', '2027ttest5'])
    const r = await apply(plan)
    expect(r.ok).toBe(true)
  })
})

describe('import users: the database changed after the plan', () => {
  test('a username taken meanwhile: the whole import rolls back with a clear message', async () => {
    const plan = await users('Student ID,First Name,Last Name,Grad Year\n4500001,Rae,Race,2028\n4500002,Ray,Racer,2028\n')
    expect(plan.creates.map((c) => c.user.username)).toEqual(['2028rrace', '2028rracer'])
    await makeUser(env.sql, { username: '2028rracer', type: 'student', studentId: '4599999' })
    const before = await count()
    const r = await apply(plan)
    expect(r).toEqual({ ok: false, errors: [expect.stringContaining('changed while the file was being checked')] })
    expect(await count()).toBe(before)
    // Planned again, the next free username is used.
    const again = await users('Student ID,First Name,Last Name,Grad Year\n4500001,Rae,Race,2028\n4500002,Ray,Racer,2028\n')
    expect(again.creates.map((c) => c.user.username)).toEqual(['2028rrace', '2028rracer1'])
  })
})

describe('import users: withdrawn students', () => {
  test('--deactivate-missing deactivates active students not in the file, only for a file of students', async () => {
    const ids = ['5000001', '5000002', '5000003']
    for (const [i, sid] of ids.entries()) await makeUser(env.sql, { username: `wd${i}`, type: 'student', studentId: sid, firstName: 'W', lastName: `D${i}` })
    const teacher = await makeUser(env.sql, { username: 'wdteacher', type: 'teacher' })
    const activeStudents = await count(`user_type = 'student' AND active`)

    const staffOnly = await users('Username,First Name,Last Name,Type\nwdteacher,Test,Teacher,teacher\n', true)
    expect(staffOnly.deactivations).toEqual([])
    expect(staffOnly.notes.join(' ')).toContain('no students')

    const plan = await users('Student ID,First Name,Last Name,Grad Year\n5000001,W,D0,2027\n', true)
    expect(plan.deactivations.length).toBe(activeStudents - 1)
    expect(plan.deactivations.map((d) => d.studentId)).toContain('5000002')
    const r = await apply(plan)
    expect(r.ok && r.value.kind === 'users' && r.value.deactivated).toBe(activeStudents - 1)
    expect(await count(`user_type = 'student' AND active`)).toBe(1)
    expect((await userBy('wdteacher'))!.active).toBe(true)
    expect((await userBy(teacher.username))!.active).toBe(true)

    // Without the option nobody is deactivated; a withdrawn student back in the file is active again.
    const back = await users('Student ID,First Name,Last Name,Grad Year\n5000002,W,D1,2027\n')
    expect(back.deactivations).toEqual([])
    expect(back.updates[0]!.changes).toEqual([{ field: 'active', from: 'no', to: 'yes' }])
    expect((await apply(back)).ok).toBe(true)
    expect((await userBy('wd1'))!.active).toBe(true)
  })
})

describe('import groups', () => {
  beforeAll(async () => {
    await makeUser(env.sql, { username: 'gmember1', type: 'student' })
    await makeUser(env.sql, { username: 'gmember2', type: 'student' })
    await makeUser(env.sql, { username: 'gmember3', type: 'teacher', groups: ['Chess Club'] })
  })
  const file = toCsv([
    ['Group', 'Username'],
    ['Robotics', 'gmember1'],
    ['robotics', 'GMember2'],
    ['Chess Club', 'gmember3'],
    ['Chess Club', 'gmember1'],
    ['admin_all', 'gmember1'],
    ['Robotics', 'nosuchuser'],
    ['Robotics', 'gmember1'],
    ['', 'gmember2'],
  ])

  test('plans new groups and memberships; admin_* rows, unknown users and duplicates are errors', async () => {
    const plan = await groups(file)
    expect(plan.newGroups).toEqual(['Robotics'])
    expect(plan.adds.map((a) => [a.line, a.group, a.username])).toEqual([[2, 'Robotics', 'gmember1'], [3, 'robotics', 'gmember2'], [5, 'Chess Club', 'gmember1']])
    expect(plan.already).toBe(1)
    expect(plan.errors.map((e) => e.line)).toEqual([6, 7, 8, 9])
    expect(plan.errors[0]!.message).toContain('permission group')
    expect(plan.errors[1]!.message).toContain('No account has the username nosuchuser')
    expect(plan.errors[2]!.message).toContain('also on line 2')
    expect(plan.errors[3]!.message).toBe('Group is required.')
  })

  test('all or nothing; then the valid rows only, never touching admin_all', async () => {
    const adminAllBefore = (await env.sql`SELECT count(*)::int AS n FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE g.name = 'admin_all'`)[0]!.n
    const refused = await apply(await groups(file))
    expect(refused.ok).toBe(false)
    expect(await env.sql`SELECT 1 FROM groups WHERE lower(name) = 'robotics'`).toHaveLength(0)
    const r = await apply(await groups(file), true)
    expect(r.ok && r.value).toEqual({ kind: 'groups', groupsCreated: 1, added: 3, already: 1, skipped: 4 })
    const members = await env.sql`SELECT u.username FROM user_groups ug JOIN users u ON u.id = ug.user_id JOIN groups g ON g.id = ug.group_id WHERE g.name = 'Robotics' ORDER BY 1`
    expect(members.map((m) => m.username)).toEqual(['gmember1', 'gmember2'])
    const adminAll = (await env.sql`SELECT count(*)::int AS n FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE g.name = 'admin_all'`)[0]!.n
    expect(adminAll).toBe(adminAllBefore)
    expect((await audits('import.groups')).at(-1)!.details).toMatchObject({ groupsCreated: 1, added: 3, skipped: 4, validOnly: true })
  })

  test('an admin_ group name in any case is refused', async () => {
    const plan = await groups('group,username\nADMIN_Eighth,gmember1\n')
    expect(plan.errors[0]!.message).toContain('permission group')
    expect(plan.adds).toEqual([])
  })
})

describe('import users: 2,000 rows', () => {
  test('plans and applies in batches in a few seconds (creates, then all-unchanged, then updates)', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [String(7_000_000 + i), `First${String.fromCharCode(97 + (i % 26))}`, `Last${i % 50 === 0 ? '' : 'name'}x`, String(2027 + (i % 4)), `s${i}@example.org`, 'F'])
    const header = ['Student ID', 'First Name', 'Last Name', 'Grad Year', 'Email', 'Gender']
    let t = performance.now()
    const plan = await users(toCsv([header, ...rows]))
    const planMs = performance.now() - t
    expect(plan.errors).toEqual([])
    expect(plan.creates.length).toBe(2000)
    t = performance.now()
    const r = await apply(plan)
    const applyMs = performance.now() - t
    expect(r.ok && r.value).toMatchObject({ created: 2000 })
    expect(new Set(plan.creates.map((c) => c.user.username)).size).toBe(2000)

    t = performance.now()
    const again = await users(toCsv([header, ...rows]))
    const againMs = performance.now() - t
    expect(again.unchanged).toBe(2000)

    t = performance.now()
    const renamed = await users(toCsv([header, ...rows.map((r) => [r[0], r[1], r[2] + 'y', r[3], r[4], r[5]])]))
    const r2 = await apply(renamed)
    const updateMs = performance.now() - t
    expect(r2.ok && r2.value).toMatchObject({ updated: 2000 })
    console.log(`import 2,000 new rows: plan ${planMs.toFixed(0)} ms + apply ${applyMs.toFixed(0)} ms; re-check unchanged ${againMs.toFixed(0)} ms; 2,000 updates ${updateMs.toFixed(0)} ms`)
    expect(planMs + applyMs).toBeLessThan(5000)
    expect(updateMs).toBeLessThan(5000)
  })
})
