-- 0012_reminders: reminders of due-soon and overdue deadlines and of
-- escalated problems: the in-app inbox of the responsible users, and
-- deliveries to configured targets (WeCom and DingTalk group robots, other
-- webhooks, e-mail). An item is a thing in a state ("warn:CODE:RULE:STATE",
-- "problem:ID:GRADE"); the unique keys make each item reach each user and
-- each target once, however many servers run.
CREATE TABLE notifications (
	id         INTEGER PRIMARY KEY,
	username   TEXT NOT NULL,
	item       TEXT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	read_at    TEXT,
	UNIQUE (username, item)
);
CREATE INDEX notifications_user ON notifications (username, id);

CREATE TABLE reminder_targets (
	id      INTEGER PRIMARY KEY,
	kind    TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'webhook', 'email')),
	target  TEXT NOT NULL,
	name    TEXT,
	enabled INTEGER NOT NULL DEFAULT 1,
	UNIQUE (kind, target)
);

CREATE TABLE deliveries (
	id          INTEGER PRIMARY KEY,
	target_id   INTEGER NOT NULL REFERENCES reminder_targets(id),
	item        TEXT NOT NULL,
	payload     TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT,
	next_at     INTEGER NOT NULL,
	sent_at     TEXT,
	created_at  TEXT NOT NULL,
	UNIQUE (target_id, item)
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);
