-- Where each centre's own log ended when it last told the hub (how far behind the hub
-- is), and browser sessions for analysts and admins: each session's CSRF token and its
-- last use (a session ends after its idle time as well as its lifetime). Sessions
-- opened before this version held neither: they end, and their users sign in again.
ALTER TABLE centres ADD COLUMN log_end bigint;

DELETE FROM sessions;
ALTER TABLE sessions
    ADD COLUMN csrf_token text NOT NULL,
    ADD COLUMN last_seen_at timestamptz NOT NULL;
