-- Ion's EventUserMap.users_hidden: the viewer collapsed this event's card in the dashboard feed
-- (POST /events/hide and /events/show), as announcement_hidden does for announcements.

CREATE TABLE event_hidden (
  event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, event_id)
);
CREATE INDEX event_hidden_event_idx ON event_hidden (event_id);
