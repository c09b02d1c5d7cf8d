-- warnings.sql for PostgreSQL: every unfinished rule pair due on or before
-- D + 15 days, in the list's order (see ../warnings.sql). Variables: asof = D,
-- limit = D + 15 days. Dates are DATE columns, so days_left is a subtraction.
SELECT p.code, ru.key AS rule, pr.due,
       CASE WHEN pr.due < :'asof' THEN 'overdue' ELSE 'due_soon' END AS state,
       p.name, cr.name AS region, ru.name AS rule_name, pr.from_on,
       pr.due - DATE :'asof' AS days_left,
       p.responsible
FROM project_rules pr
JOIN projects p ON p.id = pr.project_id
JOIN rules ru ON ru.id = pr.rule_id
JOIN regions cr ON cr.id = p.county_id
WHERE pr.due <= :'limit' AND pr.from_on <= :'asof' AND pr.to_na = 0
  AND (pr.to_on IS NULL OR pr.to_on > :'asof')
  AND (p.terminated_on IS NULL OR p.terminated_on > :'asof')
ORDER BY pr.due, p.code, ru.sort_order, ru.id;
