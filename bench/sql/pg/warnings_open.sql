-- warnings_open.sql for PostgreSQL: the same warnings when D is today, read
-- through the partial index project_rules_open (see ../warnings_open.sql).
SELECT p.code, ru.key AS rule, pr.due,
       CASE WHEN pr.due < :'asof' THEN 'overdue' ELSE 'due_soon' END AS state,
       p.name, cr.name AS region, ru.name AS rule_name, pr.from_on,
       pr.due - DATE :'asof' AS days_left,
       p.responsible
FROM project_rules pr
JOIN projects p ON p.id = pr.project_id
JOIN rules ru ON ru.id = pr.rule_id
JOIN regions cr ON cr.id = p.county_id
WHERE pr.to_on IS NULL AND pr.to_na = 0 AND pr.due <= :'limit'
  AND (p.terminated_on IS NULL OR p.terminated_on > :'asof')
ORDER BY pr.due, p.code, ru.sort_order, ru.id;
