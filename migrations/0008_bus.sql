-- The bus board (issue 9; ion-apps.md §12): routes with their live status and space in the lot,
-- the board's singleton (the bus announcement and when the routes were last reset), and each
-- user's own route. A parked route is an arrived one, and one space holds one bus: both are
-- constraints, so no writer can break them.

CREATE TABLE bus_routes (
  id serial PRIMARY KEY,
  -- Ion: up to 30 characters, unique (here regardless of case: "JT-24" and "jt-24" are one route).
  route_name text NOT NULL CHECK (route_name ~ '^\S(.{0,28}\S)?$' AND route_name !~ '[[:cntrl:]]'),
  bus_number text NOT NULL DEFAULT '' CHECK (bus_number ~ '^(\S(.{0,3}\S)?)?$' AND bus_number !~ '[[:cntrl:]]'),
  -- The id of a space shape on the lot map (_1 … _45), or '' when not parked.
  space text NOT NULL DEFAULT '' CHECK (space = '' OR space ~ '^_[1-9][0-9]{0,2}$'),
  -- a: arrived (in the lot), o: on time (expected; the default), d: delayed.
  status text NOT NULL DEFAULT 'o' CHECK (status IN ('a', 'o', 'd')),
  updated_at timestamptz NOT NULL,
  CHECK (space = '' OR status = 'a')
);
CREATE UNIQUE INDEX bus_routes_name_key ON bus_routes (lower(route_name));
CREATE UNIQUE INDEX bus_routes_space_key ON bus_routes (space) WHERE space <> '';

CREATE TABLE bus_board (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  announcement text NOT NULL DEFAULT '' CHECK (length(announcement) <= 2000),
  -- The reset jobs reset only when a reset boundary (00:00, the changeover) has passed since.
  reset_at timestamptz NOT NULL DEFAULT '-infinity',
  updated_at timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO bus_board (id) VALUES (1);

ALTER TABLE users ADD COLUMN bus_route_id integer REFERENCES bus_routes (id) ON DELETE SET NULL;
CREATE INDEX users_bus_route_idx ON users (bus_route_id) WHERE bus_route_id IS NOT NULL;
