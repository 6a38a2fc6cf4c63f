-- Eighth-period office reports (issue 7): indexes for the audit trail page and the absence email job.

-- /eighth/admin/history reads only the office's actions, newest first, a page at a time.
CREATE INDEX audit_log_eighth_idx ON audit_log (at DESC, id DESC) WHERE action LIKE 'eighth.%';

-- The 16:05 absence email job looks for absences not yet handled.
CREATE INDEX eighth_signups_absence_unsent_idx ON eighth_signups (scheduled_activity_id) WHERE was_absent AND NOT absence_emailed;
