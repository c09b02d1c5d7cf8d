-- 0003_project_rules_late: the warnings scan on a past day also needs the
-- pairs finished after that day; this partial index finds them without
-- walking every pair (the never-finished ones use project_rules_open).
CREATE INDEX project_rules_late ON project_rules (to_on) WHERE to_on IS NOT NULL AND to_na = 0;
