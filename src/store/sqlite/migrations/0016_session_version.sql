-- 0016_session_version (SQLite): nothing to change. The session version
-- (meta 'session_version', raised by every change to a user and every
-- removal of a session) is made by its first raise; PostgreSQL's 0016 adds
-- the notification of both versions, which one machine does not need.
SELECT 1;
