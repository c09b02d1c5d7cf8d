-- 0011_problems: problems 问题/困难 raised on projects, graded by the
-- level that must solve them (县级 → 市直部门 → 市领导 → 省级), with an owner and
-- a deadline; past the deadline an unsolved problem escalates one grade and
-- the log says so. Dispatch meetings 调度会 record decisions on problems.
CREATE TABLE dispatch_meetings (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	held_on    TEXT NOT NULL,
	chaired_by TEXT,
	created_at TEXT NOT NULL
);

CREATE TABLE problems (
	id                  INTEGER PRIMARY KEY,
	project_id          INTEGER NOT NULL REFERENCES projects(id),
	category            TEXT NOT NULL CHECK (category IN ('land', 'funding', 'approval', 'utilities',
	                    'labour', 'supporting', 'other')),
	grade               TEXT NOT NULL CHECK (grade IN ('county', 'department', 'city_leader', 'province')),
	title               TEXT NOT NULL,
	description         TEXT,
	owner_department_id INTEGER REFERENCES departments(id),
	owner_person        TEXT,
	deadline            TEXT NOT NULL,
	status              TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'solved', 'confirmed')),
	raised_by           TEXT NOT NULL,
	raised_on           TEXT NOT NULL,
	solved_on           TEXT,
	escalations         INTEGER NOT NULL DEFAULT 0,
	created_at          TEXT NOT NULL,
	updated_at          TEXT NOT NULL
);
CREATE INDEX problems_open ON problems (status, deadline);
CREATE INDEX problems_project ON problems (project_id);

CREATE TABLE problem_events (
	id         INTEGER PRIMARY KEY,
	problem_id INTEGER NOT NULL REFERENCES problems(id),
	on_date    TEXT NOT NULL,
	username   TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('raised', 'status', 'escalated', 'decision', 'note')),
	text       TEXT NOT NULL,
	meeting_id INTEGER REFERENCES dispatch_meetings(id)
);
CREATE INDEX problem_events_problem ON problem_events (problem_id, id);
