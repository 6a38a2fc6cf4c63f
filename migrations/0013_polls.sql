-- Polls (ion-apps.md §10): a poll with a voting window and eligible groups, ordered questions of
-- eight types, ordered choices, and one answer per person per question. The rules live here:
--   * one answer per (question, person): the PRIMARY KEY of poll_answers;
--   * an answer's choices belong to its question: composite foreign keys;
--   * a ranked answer never gives two candidates the same rank: UNIQUE (question, person, rank);
--   * every submission of one person to one poll first upserts their poll_voters row, so two
--     submissions at once run one after the other and never mix two answer sets.

CREATE TABLE polls (
  id serial PRIMARY KEY,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  -- Sanitized rich text (or plain text), shown above the questions.
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 60000),
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  visible boolean NOT NULL DEFAULT true,
  -- Secret: nobody (admins included) sees who answered what, and every CSV export is refused.
  is_secret boolean NOT NULL DEFAULT false,
  -- Anonymous: the individual-answers CSV carries no names.
  is_anonymous boolean NOT NULL DEFAULT false,
  is_election boolean NOT NULL DEFAULT false,
  -- Who besides polls admins sees results: nobody, eligible voters once the poll closed, or always.
  results_visibility text NOT NULL DEFAULT 'admins' CHECK (results_visibility IN ('admins', 'after_close', 'live')),
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (end_time > start_time)
);
CREATE INDEX polls_open_idx ON polls (end_time, start_time) WHERE visible;

-- No rows: every member may vote. Otherwise members of at least one of these groups.
CREATE TABLE poll_groups (
  poll_id integer NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
  group_id integer NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (poll_id, group_id)
);
CREATE INDEX poll_groups_group_idx ON poll_groups (group_id);

CREATE TABLE poll_questions (
  id serial PRIMARY KEY,
  poll_id integer NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
  num integer NOT NULL CHECK (num >= 1),
  question text NOT NULL CHECK (length(btrim(question)) BETWEEN 1 AND 2000),
  -- STD standard, ELC election, STO standard + other, APP approval, SAP split approval,
  -- RAN ranked, FRE free response, SRE short response.
  type text NOT NULL CHECK (type IN ('STD', 'ELC', 'STO', 'APP', 'SAP', 'RAN', 'FRE', 'SRE')),
  max_choices integer NOT NULL DEFAULT 1 CHECK (max_choices BETWEEN 1 AND 100),
  CHECK (type IN ('APP', 'SAP', 'RAN') OR max_choices = 1),
  -- Deferrable so that a reorder (swap, renumber) is one statement.
  CONSTRAINT poll_questions_num_key UNIQUE (poll_id, num) DEFERRABLE INITIALLY IMMEDIATE,
  UNIQUE (id, poll_id)
);

CREATE TABLE poll_choices (
  id serial PRIMARY KEY,
  question_id integer NOT NULL REFERENCES poll_questions (id) ON DELETE CASCADE,
  num integer NOT NULL CHECK (num >= 1),
  -- Text before a '|' is the display name ("Alice Chen | Every voice heard").
  info text NOT NULL CHECK (length(btrim(info)) BETWEEN 1 AND 500),
  CONSTRAINT poll_choices_num_key UNIQUE (question_id, num) DEFERRABLE INITIALLY IMMEDIATE,
  UNIQUE (id, question_id)
);

-- One row per person who has an answer in a poll: the lock a submission takes first, the
-- participation count, and the nav badge's "has not voted yet".
CREATE TABLE poll_voters (
  poll_id integer NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  first_voted_at timestamptz NOT NULL,
  last_voted_at timestamptz NOT NULL,
  PRIMARY KEY (poll_id, user_id)
);
CREATE INDEX poll_voters_user_idx ON poll_voters (user_id);

CREATE TABLE poll_answers (
  question_id integer NOT NULL,
  poll_id integer NOT NULL,
  user_id integer NOT NULL,
  -- "Clear": an explicit abstention that replaces the person's choices.
  cleared boolean NOT NULL DEFAULT false,
  other_text text CHECK (length(other_text) BETWEEN 1 AND 500),
  response text CHECK (length(response) BETWEEN 1 AND 5000),
  answered_at timestamptz NOT NULL,
  PRIMARY KEY (question_id, user_id),
  FOREIGN KEY (question_id, poll_id) REFERENCES poll_questions (id, poll_id) ON DELETE CASCADE,
  FOREIGN KEY (poll_id, user_id) REFERENCES poll_voters (poll_id, user_id) ON DELETE CASCADE,
  CHECK (num_nonnulls(other_text, response) + cleared::int <= 1)
);
CREATE INDEX poll_answers_poll_idx ON poll_answers (poll_id);

CREATE TABLE poll_answer_choices (
  question_id integer NOT NULL,
  user_id integer NOT NULL,
  choice_id integer NOT NULL,
  -- Ranked questions only: 1 is the first preference.
  rank integer CHECK (rank >= 1),
  PRIMARY KEY (question_id, user_id, choice_id),
  UNIQUE (question_id, user_id, rank),
  FOREIGN KEY (question_id, user_id) REFERENCES poll_answers (question_id, user_id) ON DELETE CASCADE,
  FOREIGN KEY (choice_id, question_id) REFERENCES poll_choices (id, question_id) ON DELETE CASCADE
);
CREATE INDEX poll_answer_choices_choice_idx ON poll_answer_choices (choice_id);
