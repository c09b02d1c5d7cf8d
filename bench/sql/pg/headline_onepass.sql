-- headline_onepass.sql for PostgreSQL: the same figures in one pass over the
-- year's signings, with FILTER clauses instead of SQLite's sums of booleans.
-- The statement the store asks on PostgreSQL (STMT_HEADLINE_ONEPASS).
SELECT county_id,
       count(*) FILTER (WHERE amount_wan >= 10000 AND investor_province <> :'home') AS out_count,
       coalesce(sum(amount_wan) FILTER (WHERE amount_wan >= 10000
                                        AND investor_province <> :'home'), 0) AS out_amount_wan,
       count(*) FILTER (WHERE amount_wan >= 10000 AND investor_province <> :'home'
                        AND started_on <= :'asof') AS out_started,
       count(*) FILTER (WHERE event_id IS NOT NULL) AS event_count,
       coalesce(sum(amount_wan) FILTER (WHERE event_id IS NOT NULL), 0) AS event_amount_wan,
       count(*) FILTER (WHERE foreign_oriented = 1 AND amount_wan >= 10000) AS foreign_count
FROM projects
WHERE signed_on >= :'from' AND signed_on <= :'to'
  AND (terminated_on IS NULL OR terminated_on > :'asof') AND amount_pending = 0
GROUP BY county_id;
