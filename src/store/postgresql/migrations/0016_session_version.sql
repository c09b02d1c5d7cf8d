-- 0016_session_version (PostgreSQL): beside the data version, the session
-- version (meta 'session_version', made by its first raise) is raised by
-- every change to a user and every removal of a session, so that a server
-- may keep a session it read for as long as the counter stands. A change of
-- either counter is announced on the channel zhaoshang_version
-- ("data_version 42"), delivered at its commit: servers listening (LISTEN)
-- learn of another process's write without asking.

CREATE FUNCTION zhaoshang_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('zhaoshang_version', NEW.key || ' ' || NEW.value);
	RETURN NULL;
END
$$;

CREATE TRIGGER meta_version_notify AFTER INSERT OR UPDATE ON meta FOR EACH ROW
	WHEN (NEW.key IN ('data_version', 'session_version'))
	EXECUTE FUNCTION zhaoshang_version_notify();
