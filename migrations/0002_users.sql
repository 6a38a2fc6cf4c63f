-- Users, their email addresses, groups (permission groups are named admin_*), one-time password
-- links and personal API tokens.
CREATE TABLE users (
  id serial PRIMARY KEY,
  username text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
  user_type text NOT NULL CHECK (user_type IN ('student', 'teacher', 'counselor', 'user', 'simple_user', 'alum', 'service')),
  first_name text NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),
  middle_name text NOT NULL DEFAULT '' CHECK (length(middle_name) <= 100),
  last_name text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
  nickname text NOT NULL DEFAULT '' CHECK (length(nickname) <= 100),
  title text NOT NULL DEFAULT '' CHECK (length(title) <= 50),
  gender text CHECK (gender IN ('male', 'female', 'non-binary')),
  graduation_year integer CHECK (graduation_year BETWEEN 1900 AND 2200),
  student_id text CHECK (student_id ~ '^[A-Za-z0-9]{1,20}$'),
  counselor_id integer REFERENCES users (id) ON DELETE SET NULL,
  password_hash text,
  locked boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  is_superuser boolean NOT NULL DEFAULT false,
  oauth_and_api_access boolean NOT NULL DEFAULT true,
  receive_news_emails boolean NOT NULL DEFAULT true,
  receive_eighth_emails boolean NOT NULL DEFAULT true,
  dark_mode boolean NOT NULL DEFAULT false,
  self_show_pictures boolean NOT NULL DEFAULT false,
  parent_show_pictures boolean NOT NULL DEFAULT false,
  self_show_eighth boolean NOT NULL DEFAULT false,
  parent_show_eighth boolean NOT NULL DEFAULT false,
  self_show_schedule boolean NOT NULL DEFAULT false,
  parent_show_schedule boolean NOT NULL DEFAULT false,
  totp_key bytea,
  totp_enabled boolean NOT NULL DEFAULT false CHECK (NOT totp_enabled OR totp_key IS NOT NULL),
  admin_comments text NOT NULL DEFAULT '',
  seen_welcome boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_login timestamptz
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_student_id_key ON users (student_id);
CREATE INDEX users_type_idx ON users (user_type, graduation_year);
CREATE INDEX users_counselor_idx ON users (counselor_id);

CREATE TABLE emails (
  id bigserial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  address text NOT NULL CHECK (address ~ '^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$' AND length(address) <= 254),
  is_primary boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX emails_user_address_key ON emails (user_id, lower(address));
CREATE UNIQUE INDEX emails_one_primary ON emails (user_id) WHERE is_primary;

CREATE TABLE groups (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (name ~ '^\S.{0,99}$'),
  student_visible boolean NOT NULL DEFAULT false,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX groups_name_key ON groups (lower(name));

CREATE TABLE user_groups (
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  group_id integer NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, group_id)
);
CREATE INDEX user_groups_group_idx ON user_groups (group_id);

CREATE TABLE password_links (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  purpose text NOT NULL CHECK (purpose IN ('admin', 'forgot')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX password_links_user_idx ON password_links (user_id);
CREATE INDEX password_links_expiry_idx ON password_links (expires_at);

CREATE TABLE api_tokens (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- The permission groups Ion knows (admin_all implies every admin_x).
INSERT INTO groups (name, description) VALUES
  ('admin_all', 'Every administrative permission'),
  ('admin_eighth', 'Eighth-period office'),
  ('admin_announcements', 'Announcements'),
  ('admin_events', 'Events'),
  ('admin_polls', 'Polls'),
  ('admin_schedule', 'Bell schedule'),
  ('admin_bus', 'Bus board'),
  ('admin_groups', 'Groups'),
  ('admin_preferences', 'Preferences and privacy'),
  ('admin_notifications', 'Notifications');
