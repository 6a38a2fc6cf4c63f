-- Directory search: trigram indexes so a case-insensitive "contains" match
-- (lower(col) LIKE lower('%word%')) is an index scan instead of a scan of every user.
-- pg_trgm ships with PostgreSQL itself (Debian's postgresql-15, the postgres:15 image) and is a
-- trusted extension: the database owner may create it.
-- fastupdate = off: users change rarely, and a GIN pending list (filled by an import, emptied only
-- by the next vacuum) is scanned linearly on every search — 20× slower until then.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX users_first_name_trgm ON users USING gin (lower(first_name) gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX users_last_name_trgm ON users USING gin (lower(last_name) gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX users_nickname_trgm ON users USING gin (lower(nickname) gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX users_username_trgm ON users USING gin (lower(username) gin_trgm_ops) WITH (fastupdate = off);


-- email:<part> looks for the part in any of a person's addresses.
CREATE INDEX emails_address_trgm ON emails USING gin (lower(address) gin_trgm_ops) WITH (fastupdate = off);
