-- 0013_duplicates: one project, one identity. Suspected duplicate pairs of
-- projects (the same project claimed twice, signed again, renamed, its
-- investor written differently), decided by the bureau: marked distinct, or
-- merged into one record whose history keeps both.
--
-- companies.name_key is the company name reduced for comparison (legal form,
-- province prefix, punctuation and spaces removed; see dupes.c); the program
-- fills it where it is NULL, so a rename sets it back to NULL.
ALTER TABLE companies ADD COLUMN name_key TEXT;
CREATE INDEX companies_by_key ON companies (name_key);
CREATE INDEX companies_no_key ON companies (id) WHERE name_key IS NULL;

-- A pair is stored once, the lower project id first. score: hundredths.
-- reasons: comma-separated reason keys (dupes.c). A pair marked distinct
-- stays so: a later check does not reopen it.
CREATE TABLE duplicate_pairs (
	a_id       INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	b_id       INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
	reasons    TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'distinct')),
	found_at   TEXT NOT NULL,
	decided_by TEXT,
	decided_at TEXT,
	PRIMARY KEY (a_id, b_id),
	CHECK (a_id < b_id)
);
CREATE INDEX duplicate_pairs_b ON duplicate_pairs (b_id);
CREATE INDEX duplicate_pairs_open ON duplicate_pairs (status, a_id);

-- A project merged into another: its record as it was (interchange JSON),
-- kept with the surviving project; its code leads there.
CREATE TABLE project_merges (
	id          INTEGER PRIMARY KEY,
	kept_id     INTEGER NOT NULL REFERENCES projects(id),
	merged_code TEXT NOT NULL UNIQUE,
	snapshot    TEXT NOT NULL,
	merged_by   TEXT NOT NULL,
	merged_at   TEXT NOT NULL
);
CREATE INDEX project_merges_kept ON project_merges (kept_id);
