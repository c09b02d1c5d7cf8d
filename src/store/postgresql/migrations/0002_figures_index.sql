-- 0002_figures_index (PostgreSQL): one covering index for every headline
-- figure, as in the SQLite migration of this number.
DROP INDEX projects_signed;
CREATE INDEX projects_figures ON projects (signed_on, county_id, amount_wan, started_on,
	investor_province, terminated_on, event_id, foreign_oriented);
