-- A version per block of its static activity list (issue 10): what every student sees the same
-- way (names, titles, descriptions, flags, rooms, sponsors, capacities, cancellations), not the
-- seat counts or anyone's own signup. The signup page and GET /api/blocks/<id> cache that list
-- per (block, list_version); these triggers bump the version in the same transaction as every
-- change to a table the list is read from, so no writer can forget to, and every instance sharing
-- the database sees the bump with its next read. Statement-level: a bulk change bumps once.

ALTER TABLE eighth_blocks ADD COLUMN list_version bigint NOT NULL DEFAULT 0;

-- Row locks in id order, so two concurrent bumps of the same blocks cannot deadlock.
CREATE FUNCTION eighth_bump_list_version(block_ids integer[]) RETURNS void LANGUAGE sql AS $$
  UPDATE eighth_blocks SET list_version = list_version + 1
  WHERE id IN (SELECT id FROM eighth_blocks WHERE id = ANY (block_ids) ORDER BY id FOR NO KEY UPDATE)
$$;

-- The blocks an activity, a room or a sponsor appears in (directly or through the activity's defaults).
CREATE FUNCTION eighth_blocks_of_activities(activity_ids integer[]) RETURNS integer[] LANGUAGE sql STABLE AS $$
  SELECT COALESCE(array_agg(DISTINCT block_id), '{}') FROM eighth_scheduled_activities WHERE activity_id = ANY (activity_ids)
$$;

CREATE FUNCTION eighth_scheduled_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT block_id) INTO ids FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT block_id) INTO ids FROM old_rows;
  ELSE
    -- Only the columns the list shows: attendance, archived counts and admin comments do not move it.
    SELECT array_agg(DISTINCT b) INTO ids FROM (
      SELECT unnest(ARRAY[o.block_id, n.block_id]) AS b FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.block_id, o.activity_id, o.title, o.comments, o.capacity, o.both_blocks, o.special, o.administrative, o.restricted, o.sticky, o.cancelled)
            IS DISTINCT FROM
            (n.block_id, n.activity_id, n.title, n.comments, n.capacity, n.both_blocks, n.special, n.administrative, n.restricted, n.sticky, n.cancelled)
    ) x;
  END IF;
  IF ids IS NOT NULL THEN PERFORM eighth_bump_list_version(ids); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER eighth_scheduled_bump_ins AFTER INSERT ON eighth_scheduled_activities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION eighth_scheduled_bump();
CREATE TRIGGER eighth_scheduled_bump_upd AFTER UPDATE ON eighth_scheduled_activities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION eighth_scheduled_bump();
CREATE TRIGGER eighth_scheduled_bump_del AFTER DELETE ON eighth_scheduled_activities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION eighth_scheduled_bump();

-- Override rooms and sponsors of a scheduled activity.
CREATE FUNCTION eighth_scheduled_link_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT sa.block_id) INTO ids FROM eighth_scheduled_activities sa WHERE sa.id IN (SELECT scheduled_activity_id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT sa.block_id) INTO ids FROM eighth_scheduled_activities sa WHERE sa.id IN (SELECT scheduled_activity_id FROM old_rows);
  ELSE
    SELECT array_agg(DISTINCT sa.block_id) INTO ids FROM eighth_scheduled_activities sa
    WHERE sa.id IN (SELECT scheduled_activity_id FROM old_rows UNION SELECT scheduled_activity_id FROM new_rows);
  END IF;
  IF ids IS NOT NULL THEN PERFORM eighth_bump_list_version(ids); END IF;
  RETURN NULL;
END $$;

-- Default rooms and sponsors of an activity.
CREATE FUNCTION eighth_activity_link_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE aids integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT activity_id) INTO aids FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT activity_id) INTO aids FROM old_rows;
  ELSE
    SELECT array_agg(DISTINCT activity_id) INTO aids FROM (SELECT activity_id FROM old_rows UNION SELECT activity_id FROM new_rows) x;
  END IF;
  IF aids IS NOT NULL THEN PERFORM eighth_bump_list_version(eighth_blocks_of_activities(aids)); END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE t text; f text;
BEGIN
  FOREACH t IN ARRAY ARRAY['eighth_scheduled_activity_rooms', 'eighth_scheduled_activity_sponsors', 'eighth_activity_rooms', 'eighth_activity_sponsors'] LOOP
    f := CASE WHEN t LIKE 'eighth_scheduled%' THEN 'eighth_scheduled_link_bump' ELSE 'eighth_activity_link_bump' END;
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_bump_ins', t, f);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_bump_upd', t, f);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_bump_del', t, f);
  END LOOP;
END $$;

-- The activity itself: the columns the list shows (a deleted activity leaves the list).
CREATE FUNCTION eighth_activity_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE aids integer[];
BEGIN
  SELECT array_agg(n.id) INTO aids FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE (o.name, o.description, o.default_capacity, o.presign, o.one_a_day, o.both_blocks, o.sticky, o.special, o.administrative,
         o.restricted, o.freshmen_allowed, o.sophomores_allowed, o.juniors_allowed, o.seniors_allowed, o.subscriptions_enabled, o.deleted)
        IS DISTINCT FROM
        (n.name, n.description, n.default_capacity, n.presign, n.one_a_day, n.both_blocks, n.sticky, n.special, n.administrative,
         n.restricted, n.freshmen_allowed, n.sophomores_allowed, n.juniors_allowed, n.seniors_allowed, n.subscriptions_enabled, n.deleted);
  IF aids IS NOT NULL THEN PERFORM eighth_bump_list_version(eighth_blocks_of_activities(aids)); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER eighth_activity_bump_upd AFTER UPDATE ON eighth_activities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION eighth_activity_bump();

-- A room's name or capacity, a sponsor's name: every block where they are shown.
CREATE FUNCTION eighth_room_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE rids integer[];
BEGIN
  SELECT array_agg(n.id) INTO rids FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE (o.name, o.capacity) IS DISTINCT FROM (n.name, n.capacity);
  IF rids IS NOT NULL THEN
    PERFORM eighth_bump_list_version(ARRAY(
      SELECT sa.block_id FROM eighth_scheduled_activity_rooms x JOIN eighth_scheduled_activities sa ON sa.id = x.scheduled_activity_id WHERE x.room_id = ANY (rids)
      UNION
      SELECT unnest(eighth_blocks_of_activities(ARRAY(SELECT activity_id FROM eighth_activity_rooms WHERE room_id = ANY (rids))))));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER eighth_room_bump_upd AFTER UPDATE ON eighth_rooms
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION eighth_room_bump();

CREATE FUNCTION eighth_sponsor_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE sids integer[];
BEGIN
  SELECT array_agg(n.id) INTO sids FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE (o.first_name, o.last_name, o.show_full_name) IS DISTINCT FROM (n.first_name, n.last_name, n.show_full_name);
  IF sids IS NOT NULL THEN
    PERFORM eighth_bump_list_version(ARRAY(
      SELECT sa.block_id FROM eighth_scheduled_activity_sponsors x JOIN eighth_scheduled_activities sa ON sa.id = x.scheduled_activity_id WHERE x.sponsor_id = ANY (sids)
      UNION
      SELECT unnest(eighth_blocks_of_activities(ARRAY(SELECT activity_id FROM eighth_activity_sponsors WHERE sponsor_id = ANY (sids))))));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER eighth_sponsor_bump_upd AFTER UPDATE ON eighth_sponsors
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION eighth_sponsor_bump();
