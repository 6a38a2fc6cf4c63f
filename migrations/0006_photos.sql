-- Photos: one per person per grade (9–12, 13 = staff), stored in PostgreSQL; the bytes' SHA-256
-- is the ETag. A user's preferred photo must be one of their own photos (composite foreign key);
-- deleting the photo clears the choice.
CREATE TABLE photos (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  grade_number integer NOT NULL CHECK (grade_number BETWEEN 9 AND 13),
  bytes bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 2097152),
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/svg+xml')),
  etag text NOT NULL CHECK (etag ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL,
  UNIQUE (user_id, grade_number),
  UNIQUE (id, user_id)
);

ALTER TABLE users ADD COLUMN preferred_photo_id integer;
ALTER TABLE users ADD CONSTRAINT users_preferred_photo_fkey
  FOREIGN KEY (preferred_photo_id, id) REFERENCES photos (id, user_id) ON DELETE SET NULL (preferred_photo_id);
