-- Events (ion-apps.md §9): requested by anyone, approved by an events admin, with target groups
-- (Ion's group rule), RSVPs, and the per-user iCalendar feed token. Warning announcements
-- (§14/§7: login, dashboard, every page) for the emergency banner feature.
-- `description` is rich text already sanitized on save (src/platform/richtext.ts).

CREATE TABLE events (
  id serial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 127 AND title !~ '[\r\n]'),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 200000),
  location text NOT NULL DEFAULT '' CHECK (length(location) <= 127 AND location !~ '[\r\n]'),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz CHECK (ends_at > starts_at),
  user_id integer REFERENCES users (id) ON DELETE SET NULL,
  -- Ion's show_attending: people may RSVP ("join") and the roster is shown.
  show_attending boolean NOT NULL DEFAULT false,
  show_on_dashboard boolean NOT NULL DEFAULT true,
  -- "Show on the login page" (and in the public iCalendar feed).
  public boolean NOT NULL DEFAULT false,
  category text NOT NULL DEFAULT 'school' CHECK (category IN ('school', 'sports')),
  open_to text NOT NULL DEFAULT 'everyone' CHECK (open_to IN ('everyone', 'students', 'parents')),
  approved boolean NOT NULL DEFAULT false,
  approved_by integer REFERENCES users (id) ON DELETE SET NULL,
  rejected boolean NOT NULL DEFAULT false,
  rejected_by integer REFERENCES users (id) ON DELETE SET NULL,
  added timestamptz NOT NULL,
  updated timestamptz NOT NULL,
  CHECK (NOT (approved AND rejected))
);
CREATE INDEX events_time_idx ON events (starts_at) WHERE approved;
CREATE INDEX events_pending_idx ON events (added) WHERE NOT approved AND NOT rejected;
CREATE INDEX events_user_idx ON events (user_id);

CREATE TABLE event_groups (
  event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  group_id integer NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, group_id)
);
CREATE INDEX event_groups_group_idx ON event_groups (group_id);

CREATE TABLE event_attendees (
  event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_attendees_user_idx ON event_attendees (user_id);

-- The private calendar feed: one live token per user, stored as its SHA-256 (hex); "reset link"
-- replaces it, so the old URL stops working at once.
CREATE TABLE event_ical_tokens (
  user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL
);

-- Ion's WarningAnnouncement: plain text (escaped when shown), where it shows, and when.
CREATE TABLE warning_announcements (
  id serial PRIMARY KEY,
  title text NOT NULL DEFAULT '' CHECK (length(title) <= 127 AND title !~ '[\r\n]'),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  placement text NOT NULL CHECK (placement IN ('login', 'dashboard', 'dashboard_login', 'global')),
  active boolean NOT NULL DEFAULT true,
  starts_at timestamptz,
  ends_at timestamptz,
  user_id integer REFERENCES users (id) ON DELETE SET NULL,
  added timestamptz NOT NULL,
  updated timestamptz NOT NULL,
  CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);
