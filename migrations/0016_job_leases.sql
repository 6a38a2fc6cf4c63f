-- A job run is a lease: the instance running it moves heartbeat_at forward while the body runs.
-- A run whose heartbeat stopped (its process was killed) is marked 'abandoned' by the next
-- scheduler that looks (JOB_LEASE_SECONDS), instead of showing "running" forever. Its slot row
-- stays, so the slot is never run a second time; the job's next slot runs as usual.
-- NULL (rows from before this migration) counts as started_at.
ALTER TABLE job_runs ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE job_runs DROP CONSTRAINT job_runs_outcome_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_outcome_check CHECK (outcome IN ('ok', 'error', 'abandoned'));
-- The sweep looks only at unfinished runs: a handful at any time.
CREATE INDEX job_runs_unfinished_idx ON job_runs (job) WHERE finished_at IS NULL;
