import { json } from '../../platform/api.ts'
import type { Deps } from '../../platform/http.ts'
import { isEighthAdmin, isStudent, type Viewer } from '../../platform/viewer.ts'
import { activityDetail } from './api.sql.ts'
import { signupTarget } from './api-signups.sql.ts'
import { boolField, fail, intField, jsonRaw, OBJECT_MISSING, urls, type Field } from './api-common.ts'
import { activityPayload } from './api-payloads.ts'
import { signupMessages } from './errors.ts'
import { signUp, type Requester } from './signup.ts'
import { notifySeats } from './live-seats.tsx'

// POST /api/signups/user[/<uid>]: Ion's EighthUserSignupListAdd.create, in its order —
// field types and ids (400), "scheduled_activity, or block and activity" (400), force from a
// non-admin (400 {"error"}), then add_user; success is 201 with the activity detail.

export const requesterOf = (v: Viewer): Requester => ({ id: v.id, isEighthAdmin: isEighthAdmin(v), isStudent: isStudent(v) })

const EITHER = 'Either scheduled_activity, or block and activity must exist. use_scheduled_activity must be false to use block and activity.'
const invalidPk = (id: number) => `Invalid pk "${id}" - object does not exist.`

export async function apiSignup(deps: Deps, viewer: Viewer, userId: number, body: Record<string, unknown>): Promise<Response> {
  const block = intField(body, 'block')
  const activity = intField(body, 'activity')
  const scheduled = intField(body, 'scheduled_activity')
  const use = boolField(body, 'use_scheduled_activity')
  const force = boolField(body, 'force')
  const bad = ([block, activity, scheduled, use, force] as Field<unknown>[]).flatMap((f) => (f.ok ? [] : [f.message]))
  if (bad.length) return fail(400, ...bad)
  const v = { block: block.ok ? block.value : null, activity: activity.ok ? activity.value : null, scheduled: scheduled.ok ? scheduled.value : null }
  const useScheduled = use.ok && use.value === true
  const forced = force.ok && force.value === true

  const t = await signupTarget(deps.sql, v)
  const missing = [
    v.block !== null && !t.blockExists ? invalidPk(v.block) : null,
    v.activity !== null && !t.activityExists ? invalidPk(v.activity) : null,
    v.scheduled !== null && !t.scheduledExists ? invalidPk(v.scheduled) : null,
  ].filter((m): m is string => m !== null)
  if (missing.length) return fail(400, ...missing)
  const byPair = v.block !== null && v.activity !== null && !useScheduled
  if (v.scheduled === null && !byPair) return fail(400, EITHER)
  if (forced && !isEighthAdmin(viewer)) return json({ error: 'You are not an administrator.' }, 400)

  const scheduledId = byPair ? t.pairScheduledId : v.scheduled
  const activityId = byPair ? t.pairActivityId : t.scheduledActivityId
  if (scheduledId === null || activityId === null) return fail(404, OBJECT_MISSING)

  const outcome = await signUp(deps.sql, deps.clock, { tz: deps.config.schoolTz, turnoverMonth: deps.config.yearTurnoverMonth }, {
    userId, scheduledId, requester: requesterOf(viewer), force: forced,
  })
  if (!outcome.ok) {
    if (outcome.status === 404) return fail(404, OBJECT_MISSING)
    // The API reports the student texts (Ion's SignupException → {"details": [...]}).
    return fail(400, ...signupMessages(outcome.errors, false))
  }
  // The same live seat update the signup page sends.
  notifySeats(deps, outcome.blockIds, outcome.scheduledIds)
  const a = await activityDetail(deps.sql, activityId)
  return jsonRaw(activityPayload(a!, urls(deps.config)), 201)
}
