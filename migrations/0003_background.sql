-- Background work (DESIGN.md §6): the mail outbox and the scheduled-job claims.

-- One row per SMTP message. A message to many recipients is split at enqueue time into one row
-- per BCC batch, each with its own Message-ID, so each batch is retried on its own.
-- Delivery is at-least-once: `idempotency_key` is the Message-ID header, unique.
CREATE TABLE mail_outbox (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.-]*$'),
  idempotency_key text NOT NULL UNIQUE CHECK (idempotency_key ~ '^<[^<>@\s]+@[^<>@\s]+>$'),
  -- Personal messages: to_addrs. Bulk messages: To is MAIL_FROM, recipients in bcc_addrs.
  to_addrs text[] NOT NULL DEFAULT '{}',
  bcc_addrs text[] NOT NULL DEFAULT '{}',
  subject text NOT NULL,
  html text NOT NULL,
  text text NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'discarded')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  -- A claim is a lease, not an open transaction: a killed worker's rows come back after it.
  locked_until timestamptz,
  sent_at timestamptz,
  last_error text,
  updated_at timestamptz NOT NULL,
  CHECK (cardinality(to_addrs) + cardinality(bcc_addrs) > 0),
  CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX mail_outbox_sent_idx ON mail_outbox (sent_at) WHERE state = 'sent';
CREATE INDEX mail_outbox_failed_idx ON mail_outbox (updated_at DESC) WHERE state = 'failed';

-- A scheduled run is claimed by inserting its (job, slot): the instance that inserted runs it.
-- Scheduled slots are the ISO time of the cron occurrence; manual runs are 'manual:<iso time>'.
CREATE TABLE job_runs (
  id bigserial PRIMARY KEY,
  job text NOT NULL,
  slot text NOT NULL,
  instance text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  outcome text CHECK (outcome IN ('ok', 'error')),
  detail text,
  error text,
  UNIQUE (job, slot),
  CHECK ((outcome IS NULL) = (finished_at IS NULL))
);
CREATE INDEX job_runs_job_started_idx ON job_runs (job, started_at DESC);
CREATE INDEX job_runs_started_idx ON job_runs (started_at);
