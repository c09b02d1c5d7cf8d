-- 0010_supervision: the major-project list's plans (倒排工期) and
-- monthly progress entries; the monthly assessment's published snapshots
-- (frozen: inputs, weights, scores) and the regions' objections.
CREATE TABLE major_plans (
	project_id           INTEGER PRIMARY KEY REFERENCES projects(id),
	planned_start_on     TEXT,
	planned_producing_on TEXT,
	planned_total_wan    INTEGER CHECK (planned_total_wan >= 0),
	updated_at           TEXT NOT NULL
);

CREATE TABLE project_progress (
	id             INTEGER PRIMARY KEY,
	project_id     INTEGER NOT NULL REFERENCES projects(id),
	month          TEXT NOT NULL,
	invested_wan   INTEGER NOT NULL CHECK (invested_wan >= 0),
	cumulative_wan INTEGER NOT NULL CHECK (cumulative_wan >= 0),
	note           TEXT,
	entered_by     TEXT NOT NULL,
	entered_on     TEXT NOT NULL,
	UNIQUE (project_id, month)
);
CREATE INDEX project_progress_month ON project_progress (month, project_id);

CREATE TABLE assessments (
	month        TEXT PRIMARY KEY,
	published_at TEXT NOT NULL,
	published_by TEXT NOT NULL,
	snapshot     TEXT NOT NULL
);

CREATE TABLE assessment_objections (
	id          INTEGER PRIMARY KEY,
	month       TEXT NOT NULL,
	region_id   INTEGER NOT NULL REFERENCES regions(id),
	text        TEXT NOT NULL,
	raised_by   TEXT NOT NULL,
	raised_at   TEXT NOT NULL,
	answer      TEXT,
	answered_by TEXT,
	answered_at TEXT
);
CREATE INDEX assessment_objections_month ON assessment_objections (month, id);
