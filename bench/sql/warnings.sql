-- The 26211 warnings of `warnings --as-of D` as raw SQL: every unfinished
-- rule pair due on or before D + 15 days, with its state (overdue when the
-- due day is before D, else due_soon), in the order of the list (due, code,
-- rule order). Same semantics as the application for any D (a milestone
-- dated after D has not happened yet). Parameters: :asof = D,
-- :limit = D + 15 days.
SELECT p.code, ru.key AS rule, pr.due,
       CASE WHEN pr.due < :asof THEN 'overdue' ELSE 'due_soon' END AS state,
       p.name, cr.name AS region, ru.name AS rule_name, pr.from_on,
       CAST(julianday(pr.due) - julianday(:asof) AS INTEGER) AS days_left,
       p.responsible
FROM project_rules pr
JOIN projects p ON p.id = pr.project_id
JOIN rules ru ON ru.id = pr.rule_id
JOIN regions cr ON cr.id = p.county_id
WHERE pr.due <= :limit AND pr.from_on <= :asof AND pr.to_na = 0
  AND (pr.to_on IS NULL OR pr.to_on > :asof)
  AND (p.terminated_on IS NULL OR p.terminated_on > :asof)
ORDER BY pr.due, p.code, ru.sort_order, ru.id;
