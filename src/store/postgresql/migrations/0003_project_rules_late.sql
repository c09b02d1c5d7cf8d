-- 0003_project_rules_late (PostgreSQL): the pairs finished after a past day,
-- for the warnings scan on that day.
CREATE INDEX project_rules_late ON project_rules (to_on) WHERE to_on IS NOT NULL AND to_na = 0;
