-- The monthly assessment's four inputs as the store asks them on the
-- reported basis (:verified = 0, the default): assess.sql with its third
-- statement (the overdue pairs) in two branches on the partial indexes, as
-- the warnings scan asks it (STMT_ASSESS_OVERDUE_OPEN). The other three
-- statements are those of assess.sql.

-- signed projects of 1 亿元 or more from outside the province, with the
-- referral share of each
SELECT p.county_id, p.code, p.amount_wan, r.kind, r.ref_id, r.share
FROM projects p LEFT JOIN project_referrals r ON r.project_id = p.id
WHERE p.signed_on >= :from AND p.signed_on <= :to AND p.amount_wan >= 10000
  AND p.investor_province <> :home
  AND (p.terminated_on IS NULL OR p.terminated_on > :eval) AND p.amount_pending = 0
ORDER BY p.code;

-- the rule pairs due in the month, reached or not
SELECT p.county_id, ru.key, pr.due,
       CASE WHEN :verified = 1 AND ((p.verified_mask | 1) & (CASE ru.to_milestone
            WHEN 'registered' THEN 2 WHEN 'started' THEN 4 WHEN 'included' THEN 8
            WHEN 'producing' THEN 16 ELSE 1 END)) = 0
       THEN NULL ELSE pr.to_on END, pr.to_na, p.code
FROM project_rules pr JOIN projects p ON p.id = pr.project_id
JOIN rules ru ON ru.id = pr.rule_id
WHERE pr.due >= :from AND pr.due <= :to AND pr.from_on <= :eval
  AND (p.terminated_on IS NULL OR p.terminated_on > :eval)
  AND (:verified = 0 OR ((p.verified_mask | 1) & (CASE ru.from_milestone
       WHEN 'registered' THEN 2 WHEN 'started' THEN 4 WHEN 'included' THEN 8
       WHEN 'producing' THEN 16 ELSE 1 END)) <> 0)
ORDER BY p.code, ru.sort_order;

-- every pair overdue on the evaluation day, in two branches, as the store
-- asks it on the reported basis (STMT_ASSESS_OVERDUE_OPEN): pairs never
-- finished through the partial index project_rules_open, pairs finished
-- after the evaluation day through project_rules_late (the fourth column
-- only sorts)
SELECT p.county_id, p.code, ru.key, ru.sort_order
FROM project_rules pr
JOIN projects p ON p.id = pr.project_id JOIN rules ru ON ru.id = pr.rule_id
WHERE pr.to_na = 0 AND pr.due < :eval AND pr.from_on <= :eval
  AND (p.terminated_on IS NULL OR p.terminated_on > :eval) AND pr.to_on IS NULL
UNION ALL
SELECT p.county_id, p.code, ru.key, ru.sort_order
FROM project_rules pr
JOIN projects p ON p.id = pr.project_id JOIN rules ru ON ru.id = pr.rule_id
WHERE pr.to_na = 0 AND +pr.due < :eval AND pr.from_on <= :eval
  AND (p.terminated_on IS NULL OR p.terminated_on > :eval) AND pr.to_on > :eval
ORDER BY 2, 4;

-- the month's reported investment of major projects
SELECT p.county_id, p.code, g.invested_wan FROM project_progress g
JOIN projects p ON p.id = g.project_id WHERE g.month = :month AND p.major = 1
  AND (p.terminated_on IS NULL OR p.terminated_on > :eval)
ORDER BY p.code;
