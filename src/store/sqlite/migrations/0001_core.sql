-- 0001_core: reference data, companies, events, projects and their rule dues.
--
-- Dates are TEXT 'YYYY-MM-DD' (they compare as dates); money is INTEGER 万元;
-- timestamps are TEXT 'YYYY-MM-DDTHH:MM:SSZ' in UTC, written by the program.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE regions (
	id         INTEGER PRIMARY KEY,
	parent_id  INTEGER REFERENCES regions(id),
	name       TEXT NOT NULL,
	code       TEXT UNIQUE,
	level      TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'sub')),
	county_id  INTEGER REFERENCES regions(id),
	assessed   INTEGER NOT NULL DEFAULT 1 CHECK (assessed IN (0, 1)),
	sort_order INTEGER NOT NULL,
	UNIQUE (parent_id, name)
);

CREATE TABLE departments (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	sort_order INTEGER NOT NULL
);

CREATE TABLE chains (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	category   TEXT NOT NULL,
	leader     TEXT,
	task_force TEXT,
	sort_order INTEGER NOT NULL
);

CREATE TABLE channels (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	sort_order INTEGER NOT NULL
);

CREATE TABLE rules (
	id             INTEGER PRIMARY KEY,
	key            TEXT NOT NULL UNIQUE,
	name           TEXT NOT NULL,
	from_milestone TEXT NOT NULL,
	to_milestone   TEXT NOT NULL,
	months         INTEGER NOT NULL CHECK (months >= 0),
	sort_order     INTEGER NOT NULL
);

CREATE TABLE companies (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	credit_code TEXT UNIQUE,
	province    TEXT,
	city        TEXT,
	created_at  TEXT NOT NULL
);

CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	type       TEXT,
	city       TEXT,
	held_on    TEXT,
	created_at TEXT NOT NULL
);

CREATE TABLE projects (
	id                  INTEGER PRIMARY KEY,
	code                TEXT NOT NULL UNIQUE,
	name                TEXT NOT NULL,
	investor_id         INTEGER NOT NULL REFERENCES companies(id),
	investor_province   TEXT NOT NULL,
	investor_city       TEXT,
	region_id           INTEGER NOT NULL REFERENCES regions(id),
	county_id           INTEGER NOT NULL REFERENCES regions(id),
	chain_id            INTEGER REFERENCES chains(id),
	amount_wan          INTEGER NOT NULL CHECK (amount_wan >= 0),
	channel_id          INTEGER REFERENCES channels(id),
	event_id            INTEGER REFERENCES events(id),
	foreign_oriented    INTEGER NOT NULL DEFAULT 0 CHECK (foreign_oriented IN (0, 1)),
	major               INTEGER NOT NULL DEFAULT 0 CHECK (major IN (0, 1)),
	responsible         TEXT,
	signed_on           TEXT NOT NULL,
	registered_on       TEXT,
	registered_na       INTEGER NOT NULL DEFAULT 0,
	started_on          TEXT,
	started_na          INTEGER NOT NULL DEFAULT 0,
	included_on         TEXT,
	included_na         INTEGER NOT NULL DEFAULT 0,
	producing_on        TEXT,
	producing_na        INTEGER NOT NULL DEFAULT 0,
	na_reason           TEXT,
	terminated_on       TEXT,
	terminated_reason   TEXT,
	stage               TEXT NOT NULL,
	notes               TEXT,
	version             INTEGER NOT NULL DEFAULT 1,
	created_at          TEXT NOT NULL,
	updated_at          TEXT NOT NULL
);

-- The headline report: a covering index over the year's signings.
CREATE INDEX projects_signed ON projects (signed_on, county_id, amount_wan, started_on);
-- Keyset pagination for each sort order, and region pages.
CREATE INDEX projects_signed_id ON projects (signed_on, id);
CREATE INDEX projects_amount_id ON projects (amount_wan, id);
CREATE INDEX projects_updated_id ON projects (updated_at, id);
CREATE INDEX projects_county_signed ON projects (county_id, signed_on, id);
CREATE INDEX projects_region ON projects (region_id);
CREATE INDEX projects_chain_signed ON projects (chain_id, signed_on, id);
CREATE INDEX projects_investor ON projects (investor_id);
CREATE INDEX projects_event ON projects (event_id);

-- One row per project and rule whose from-milestone has a date: the due day
-- is fixed by the project's data, so it is kept here; the state depends on
-- the day asked about and is computed when read.
CREATE TABLE project_rules (
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	rule_id    INTEGER NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
	from_on    TEXT NOT NULL,
	due        TEXT NOT NULL,
	to_on      TEXT,
	to_na      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (project_id, rule_id)
);
CREATE INDEX project_rules_due ON project_rules (due, project_id, rule_id);
-- The warnings scan: unfinished pairs by due day.
CREATE INDEX project_rules_open ON project_rules (due) WHERE to_on IS NULL AND to_na = 0;
