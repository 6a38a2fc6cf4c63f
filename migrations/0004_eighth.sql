-- Eighth period: sponsors, rooms, activities, blocks, scheduled activities and signups.
-- One signup per student per block is UNIQUE (user_id, block_id); a signup's block always equals
-- its scheduled activity's block (composite foreign key).

CREATE TABLE eighth_sponsors (
  id serial PRIMARY KEY,
  first_name text NOT NULL DEFAULT '' CHECK (length(first_name) <= 50),
  last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 50),
  user_id integer UNIQUE REFERENCES users (id) ON DELETE SET NULL,
  department text NOT NULL DEFAULT 'general'
    CHECK (department IN ('general', 'math_cs', 'english', 'social_studies', 'fine_arts', 'health_pe', 'scitech')),
  full_time boolean NOT NULL DEFAULT true,
  online_attendance boolean NOT NULL DEFAULT true,
  contracted_eighth boolean NOT NULL DEFAULT true,
  show_full_name boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE eighth_rooms (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  capacity integer NOT NULL DEFAULT 28 CHECK (capacity >= -1),
  available_for_eighth boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE eighth_activities (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  default_capacity integer CHECK (default_capacity >= -1),
  presign boolean NOT NULL DEFAULT false,
  one_a_day boolean NOT NULL DEFAULT false,
  both_blocks boolean NOT NULL DEFAULT false,
  sticky boolean NOT NULL DEFAULT false,
  special boolean NOT NULL DEFAULT false,
  administrative boolean NOT NULL DEFAULT false,
  restricted boolean NOT NULL DEFAULT false,
  finance text NOT NULL DEFAULT '' CHECK (length(finance) <= 100),
  freshmen_allowed boolean NOT NULL DEFAULT false,
  sophomores_allowed boolean NOT NULL DEFAULT false,
  juniors_allowed boolean NOT NULL DEFAULT false,
  seniors_allowed boolean NOT NULL DEFAULT false,
  wed_a boolean NOT NULL DEFAULT false,
  wed_b boolean NOT NULL DEFAULT false,
  fri_a boolean NOT NULL DEFAULT false,
  fri_b boolean NOT NULL DEFAULT false,
  subscriptions_enabled boolean NOT NULL DEFAULT false,
  admin_comments text NOT NULL DEFAULT '' CHECK (length(admin_comments) <= 1000),
  deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX eighth_activities_name_idx ON eighth_activities (lower(name)) WHERE NOT deleted;

CREATE TABLE eighth_activity_sponsors (
  activity_id integer NOT NULL REFERENCES eighth_activities (id) ON DELETE CASCADE,
  sponsor_id integer NOT NULL REFERENCES eighth_sponsors (id) ON DELETE CASCADE,
  PRIMARY KEY (activity_id, sponsor_id)
);
CREATE INDEX eighth_activity_sponsors_sponsor_idx ON eighth_activity_sponsors (sponsor_id);
CREATE TABLE eighth_activity_rooms (
  activity_id integer NOT NULL REFERENCES eighth_activities (id) ON DELETE CASCADE,
  room_id integer NOT NULL REFERENCES eighth_rooms (id) ON DELETE CASCADE,
  PRIMARY KEY (activity_id, room_id)
);
CREATE INDEX eighth_activity_rooms_room_idx ON eighth_activity_rooms (room_id);

-- Per-activity user lists: allowed (restricted), blacklisted, favorites, club subscribers,
-- officers (students) and club sponsors (teachers).
CREATE TABLE eighth_activity_users (
  activity_id integer NOT NULL REFERENCES eighth_activities (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('allowed', 'blacklisted', 'favorite', 'subscriber', 'officer', 'club_sponsor')),
  PRIMARY KEY (activity_id, role, user_id)
);
CREATE INDEX eighth_activity_users_user_idx ON eighth_activity_users (user_id, role);

CREATE TABLE eighth_activity_groups_allowed (
  activity_id integer NOT NULL REFERENCES eighth_activities (id) ON DELETE CASCADE,
  group_id integer NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (activity_id, group_id)
);
CREATE INDEX eighth_activity_groups_allowed_group_idx ON eighth_activity_groups_allowed (group_id);

CREATE TABLE eighth_blocks (
  id serial PRIMARY KEY,
  date date NOT NULL,
  block_letter text NOT NULL CHECK (block_letter ~ '^[A-Za-z0-9 _-]{1,10}$'),
  signup_time time NOT NULL DEFAULT '12:40',
  locked boolean NOT NULL DEFAULT false,
  comments text NOT NULL DEFAULT '' CHECK (length(comments) <= 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (date, block_letter)
);

CREATE TABLE eighth_scheduled_activities (
  id serial PRIMARY KEY,
  block_id integer NOT NULL REFERENCES eighth_blocks (id) ON DELETE CASCADE,
  activity_id integer NOT NULL REFERENCES eighth_activities (id) ON DELETE CASCADE,
  title text NOT NULL DEFAULT '' CHECK (length(title) <= 1000),
  comments text NOT NULL DEFAULT '' CHECK (length(comments) <= 1000),
  admin_comments text NOT NULL DEFAULT '' CHECK (length(admin_comments) <= 1000),
  capacity integer CHECK (capacity >= -1),
  both_blocks boolean NOT NULL DEFAULT false,
  special boolean NOT NULL DEFAULT false,
  administrative boolean NOT NULL DEFAULT false,
  restricted boolean NOT NULL DEFAULT false,
  sticky boolean NOT NULL DEFAULT false,
  attendance_taken boolean NOT NULL DEFAULT false,
  cancelled boolean NOT NULL DEFAULT false,
  archived_member_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (block_id, activity_id),
  UNIQUE (id, block_id)
);
CREATE INDEX eighth_scheduled_activities_activity_idx ON eighth_scheduled_activities (activity_id);

CREATE TABLE eighth_scheduled_activity_sponsors (
  scheduled_activity_id integer NOT NULL REFERENCES eighth_scheduled_activities (id) ON DELETE CASCADE,
  sponsor_id integer NOT NULL REFERENCES eighth_sponsors (id) ON DELETE CASCADE,
  PRIMARY KEY (scheduled_activity_id, sponsor_id)
);
CREATE INDEX eighth_sa_sponsors_sponsor_idx ON eighth_scheduled_activity_sponsors (sponsor_id);
CREATE TABLE eighth_scheduled_activity_rooms (
  scheduled_activity_id integer NOT NULL REFERENCES eighth_scheduled_activities (id) ON DELETE CASCADE,
  room_id integer NOT NULL REFERENCES eighth_rooms (id) ON DELETE CASCADE,
  PRIMARY KEY (scheduled_activity_id, room_id)
);
CREATE INDEX eighth_sa_rooms_room_idx ON eighth_scheduled_activity_rooms (room_id);
CREATE TABLE eighth_sticky_students (
  scheduled_activity_id integer NOT NULL REFERENCES eighth_scheduled_activities (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (scheduled_activity_id, user_id)
);
CREATE INDEX eighth_sticky_students_user_idx ON eighth_sticky_students (user_id);

CREATE TABLE eighth_signups (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  block_id integer NOT NULL,
  scheduled_activity_id integer NOT NULL,
  time timestamptz NOT NULL,
  after_deadline boolean NOT NULL DEFAULT false,
  own_signup boolean NOT NULL DEFAULT true,
  was_absent boolean NOT NULL DEFAULT false,
  pass_accepted boolean NOT NULL DEFAULT false,
  absence_acknowledged boolean NOT NULL DEFAULT false,
  absence_emailed boolean NOT NULL DEFAULT false,
  archived_was_absent boolean NOT NULL DEFAULT false,
  previous_activity_name text CHECK (length(previous_activity_name) <= 200),
  previous_activity_sponsors text CHECK (length(previous_activity_sponsors) <= 10000),
  FOREIGN KEY (scheduled_activity_id, block_id) REFERENCES eighth_scheduled_activities (id, block_id) ON DELETE CASCADE,
  UNIQUE (user_id, block_id)
);
CREATE INDEX eighth_signups_sa_idx ON eighth_signups (scheduled_activity_id);
CREATE INDEX eighth_signups_block_idx ON eighth_signups (block_id);
CREATE INDEX eighth_signups_absent_idx ON eighth_signups (user_id) WHERE was_absent;
