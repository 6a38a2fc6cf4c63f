-- Bell schedule: day types with their blocks, and the day type of each calendar date.
-- A block's start and end are plain `time` columns (Ion's separate Time table is not needed);
-- an end after its start and one position per day type are schema constraints.

CREATE TABLE schedule_day_types (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  special boolean NOT NULL DEFAULT false,
  -- Aliases (Ion's CodeName); kept, unused in the UI.
  codenames text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The default fill finds "Anchor Day", "Blue Day" and "Red Day" by name: names are unique, ignoring case.
CREATE UNIQUE INDEX schedule_day_types_name_key ON schedule_day_types (lower(name));

CREATE TABLE schedule_blocks (
  id serial PRIMARY KEY,
  day_type_id integer NOT NULL REFERENCES schedule_day_types (id) ON DELETE CASCADE,
  sort_order smallint NOT NULL CHECK (sort_order BETWEEN 1 AND 99),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  start_time time(0) NOT NULL,
  end_time time(0) NOT NULL,
  CHECK (end_time > start_time),
  UNIQUE (day_type_id, sort_order)
);

CREATE TABLE schedule_days (
  date date PRIMARY KEY,
  day_type_id integer NOT NULL REFERENCES schedule_day_types (id) ON DELETE CASCADE,
  comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedule_days_day_type_idx ON schedule_days (day_type_id);
