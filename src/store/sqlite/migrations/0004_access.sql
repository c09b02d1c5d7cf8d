-- 0004_access: users with roles and scopes, server-side sessions, and the
-- audit trail.
--
-- audit_log is append-only: the triggers below refuse UPDATE and DELETE,
-- and each row carries the SHA-256 of its content chained to the previous
-- row's hash (`zhaoshang audit verify`). meta 'audit_head' holds the last
-- id and hash, so that removing rows from the end is detected too.

CREATE TABLE users (
	id                  INTEGER PRIMARY KEY,
	username            TEXT NOT NULL UNIQUE,
	display_name        TEXT,
	role                TEXT NOT NULL CHECK (role IN ('system', 'admin', 'auditor', 'bureau',
	                    'region', 'chain', 'supervisor', 'leader')),
	region_id           INTEGER REFERENCES regions(id),
	chain_id            INTEGER REFERENCES chains(id),
	password_hash       TEXT,
	password_changed_at TEXT,
	disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	failed_logins       INTEGER NOT NULL DEFAULT 0,
	locked_until        TEXT,
	created_at          TEXT NOT NULL,
	CHECK (role <> 'region' OR region_id IS NOT NULL),
	CHECK (role <> 'chain' OR chain_id IS NOT NULL)
);


CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL, -- Unix seconds
	last_seen  INTEGER NOT NULL,
	address    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
	id         INTEGER PRIMARY KEY,
	at         TEXT NOT NULL,
	username   TEXT NOT NULL,
	address    TEXT,
	action     TEXT NOT NULL,
	entity     TEXT,
	entity_key TEXT,
	old_value  TEXT,
	new_value  TEXT,
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_key, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
