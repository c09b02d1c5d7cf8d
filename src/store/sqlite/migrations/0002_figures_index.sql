-- 0002_figures_index: one covering index for every headline figure.
--
-- The headline (亿元以上省外, 平台活动, 外向型) is read in one pass over the
-- period's signings; with every column it needs in the index, that pass never
-- touches the table.
DROP INDEX projects_signed;
CREATE INDEX projects_figures ON projects (signed_on, county_id, amount_wan, started_on,
	investor_province, terminated_on, event_id, foreign_oriented);
