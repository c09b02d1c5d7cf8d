-- headline.sql for PostgreSQL: the three statements of the question, with
-- psql variables (bench/run passes -v from=... to=... asof=... home=...).
SELECT county_id, count(*), sum(amount_wan),
       sum(CASE WHEN started_on <= :'asof' THEN 1 ELSE 0 END)
FROM projects
WHERE signed_on >= :'from' AND signed_on <= :'to' AND amount_wan >= 10000
  AND investor_province <> :'home'
  AND (terminated_on IS NULL OR terminated_on > :'asof') AND amount_pending = 0
GROUP BY county_id;
SELECT count(*), coalesce(sum(amount_wan), 0) FROM projects
WHERE signed_on >= :'from' AND signed_on <= :'to' AND event_id IS NOT NULL
  AND (terminated_on IS NULL OR terminated_on > :'asof') AND amount_pending = 0;
SELECT count(*) FROM projects
WHERE signed_on >= :'from' AND signed_on <= :'to' AND foreign_oriented = 1
  AND amount_wan >= 10000 AND (terminated_on IS NULL OR terminated_on > :'asof') AND amount_pending = 0;
