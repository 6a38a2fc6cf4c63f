-- Announcements (ion-apps.md §8): posts with target groups, club posts (an eighth activity),
-- per-user hiding, and requests that teachers then an announcements admin approve.
-- `content` is rich text already sanitized on save (src/platform/richtext.ts).

CREATE TABLE announcements (
  id serial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 127 AND title !~ '[\r\n]'),
  content text NOT NULL CHECK (length(content) <= 200000),
  author text NOT NULL DEFAULT '' CHECK (length(author) <= 63),
  user_id integer REFERENCES users (id) ON DELETE SET NULL,
  activity_id integer REFERENCES eighth_activities (id) ON DELETE CASCADE,
  -- A club post of a restricted activity made visible to everyone.
  public boolean NOT NULL DEFAULT false,
  expiration_date timestamptz NOT NULL DEFAULT '3000-01-01 00:00:00+00',
  notify_post boolean NOT NULL DEFAULT true,
  notify_email_all boolean NOT NULL DEFAULT false,
  pinned boolean NOT NULL DEFAULT false,
  added timestamptz NOT NULL,
  updated timestamptz NOT NULL,
  -- Club posts are not pinned and not sent to everyone (only admins pin; clubs mail subscribers).
  CHECK (activity_id IS NULL OR NOT (pinned OR notify_email_all))
);
CREATE INDEX announcements_feed_idx ON announcements (pinned DESC, added DESC, id DESC);
CREATE INDEX announcements_expiry_idx ON announcements (expiration_date);
CREATE INDEX announcements_activity_idx ON announcements (activity_id) WHERE activity_id IS NOT NULL;
CREATE INDEX announcements_user_idx ON announcements (user_id);

CREATE TABLE announcement_groups (
  announcement_id integer NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
  group_id integer NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (announcement_id, group_id)
);
CREATE INDEX announcement_groups_group_idx ON announcement_groups (group_id);

-- Ion's AnnouncementUserMap.users_hidden: the viewer collapsed this post.
CREATE TABLE announcement_hidden (
  announcement_id integer NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, announcement_id)
);
CREATE INDEX announcement_hidden_announcement_idx ON announcement_hidden (announcement_id);

CREATE TABLE announcement_requests (
  id serial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 127 AND title !~ '[\r\n]'),
  content text NOT NULL CHECK (length(content) <= 200000),
  author text NOT NULL DEFAULT '' CHECK (length(author) <= 63),
  expiration_date timestamptz NOT NULL DEFAULT '3000-01-01 00:00:00+00',
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  user_id integer REFERENCES users (id) ON DELETE SET NULL,
  posted_id integer UNIQUE REFERENCES announcements (id) ON DELETE SET NULL,
  posted_by integer REFERENCES users (id) ON DELETE SET NULL,
  rejected boolean NOT NULL DEFAULT false,
  rejected_by integer REFERENCES users (id) ON DELETE SET NULL,
  admin_email_sent boolean NOT NULL DEFAULT false,
  added timestamptz NOT NULL,
  updated timestamptz NOT NULL,
  CHECK (NOT (rejected AND posted_id IS NOT NULL))
);
CREATE INDEX announcement_requests_added_idx ON announcement_requests (added DESC);
CREATE INDEX announcement_requests_user_idx ON announcement_requests (user_id);

-- The one or two teachers a requester names (slot 1 or 2: at most two, by the schema), and what
-- each decided.
CREATE TABLE announcement_request_teachers (
  request_id integer NOT NULL REFERENCES announcement_requests (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  slot smallint NOT NULL CHECK (slot IN (1, 2)),
  state text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'approved', 'rejected')),
  decided_at timestamptz,
  PRIMARY KEY (request_id, user_id),
  UNIQUE (request_id, slot),
  CHECK ((state = 'requested') = (decided_at IS NULL))
);
CREATE INDEX announcement_request_teachers_user_idx ON announcement_request_teachers (user_id, state);
