-- 0014_verification: the verification gate. A milestone reported by its
-- region becomes verified when the city bureau confirms it against evidence
-- (注册: the new company's credit code and licence; 开工: a permit or dated
-- photos; 入库: the statistics department's confirmation with the national
-- investment project code). projects.verified_mask holds the milestones
-- verified for their current dates (bit 1 << milestone: 2 registered,
-- 4 started, 8 included, 16 producing); a changed date clears its bit. The
-- verifications themselves are kept, withdrawn ones included.
ALTER TABLE projects ADD COLUMN verified_mask INTEGER NOT NULL DEFAULT 0;

CREATE TABLE milestone_verifications (
	id           INTEGER PRIMARY KEY,
	project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	milestone    TEXT NOT NULL CHECK (milestone IN ('registered', 'started', 'included', 'producing')),
	on_date      TEXT NOT NULL,
	reference    TEXT,
	evidence_id  INTEGER REFERENCES evidence(id),
	note         TEXT,
	verified_by  TEXT NOT NULL,
	verified_at  TEXT NOT NULL,
	withdrawn_by TEXT,
	withdrawn_at TEXT
);
CREATE INDEX milestone_verifications_project ON milestone_verifications (project_id, milestone, id);
