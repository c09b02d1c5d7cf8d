-- 0015_attribution (PostgreSQL): no double counting. A project is counted by its one
-- landing region; a referring unit (引荐单位: another county, a city
-- department or a chain task force) may hold a recorded share (whole percent)
-- of its contract investment in the assessment's amount indicator. An amount
-- above the configured threshold, or far above the investor's other
-- projects, waits for a second person's confirmation before it counts
-- (amount_pending).
CREATE TABLE project_referrals (
	project_id  BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
	kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('region', 'department', 'chain')),
	ref_id      BIGINT NOT NULL,
	share       INTEGER NOT NULL CHECK (share BETWEEN 1 AND 100),
	recorded_by TEXT COLLATE "C" NOT NULL,
	recorded_at TEXT COLLATE "C" NOT NULL
);

ALTER TABLE projects ADD COLUMN amount_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN amount_entered_by TEXT COLLATE "C";
ALTER TABLE projects ADD COLUMN amount_confirmed_by TEXT COLLATE "C";
CREATE INDEX projects_amount_pending ON projects (id) WHERE amount_pending = 1;
-- The headline's covering index gains the flag it now filters on.
DROP INDEX projects_figures;
CREATE INDEX projects_figures ON projects (signed_on, county_id, amount_wan, started_on,
	investor_province, terminated_on, event_id, foreign_oriented, amount_pending);
