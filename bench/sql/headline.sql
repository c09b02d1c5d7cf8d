-- The headline figures of `report headline --year Y --as-of D` as raw SQL:
-- its three questions (亿元以上省外 by county-level unit, event signings,
-- foreign-oriented), each over the year's signings that are neither
-- terminated by D nor waiting for their amount's confirmation. bench/run
-- checks that they give the CLI's figures. Parameters (set by bench/run):
-- :from = Y-01-01, :to = min(D, Y-12-31), :asof = D, :home = 湖北省.
SELECT county_id, count(*), sum(amount_wan),
       sum(CASE WHEN started_on <= :asof THEN 1 ELSE 0 END)
FROM projects
WHERE signed_on >= :from AND signed_on <= :to AND amount_wan >= 10000
  AND investor_province <> :home
  AND (terminated_on IS NULL OR terminated_on > :asof) AND amount_pending = 0
GROUP BY county_id;
SELECT count(*), coalesce(sum(amount_wan), 0) FROM projects
WHERE signed_on >= :from AND signed_on <= :to AND event_id IS NOT NULL
  AND (terminated_on IS NULL OR terminated_on > :asof) AND amount_pending = 0;
SELECT count(*) FROM projects
WHERE signed_on >= :from AND signed_on <= :to AND foreign_oriented = 1
  AND amount_wan >= 10000 AND (terminated_on IS NULL OR terminated_on > :asof)
  AND amount_pending = 0;
