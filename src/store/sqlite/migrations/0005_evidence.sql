-- 0005_evidence: the evidence files of milestones (licence, permit,
-- photos, the statistics office's confirmation). The bytes live in the
-- evidence folder under stored_name (random, never the uploaded name); a
-- file is on disk, synced, before its row commits, and files without a row
-- are collected.
CREATE TABLE evidence (
	id           INTEGER PRIMARY KEY,
	project_id   INTEGER NOT NULL REFERENCES projects(id),
	milestone    TEXT NOT NULL,
	kind         TEXT NOT NULL CHECK (kind IN ('licence', 'permit', 'photo', 'statistics', 'other')),
	file_name    TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	stored_name  TEXT NOT NULL UNIQUE,
	uploaded_by  TEXT NOT NULL,
	uploaded_at  TEXT NOT NULL
);
CREATE INDEX evidence_project ON evidence (project_id, id);
