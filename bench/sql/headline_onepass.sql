-- The same headline figures in one pass over the year's signings: one
-- statement with conditional aggregates instead of the three range
-- scans (headline.sql). The city totals are the sums of the per-unit rows
-- (the application sums them the same way). Parameters as in headline.sql.
SELECT county_id,
       sum(amount_wan >= 10000 AND investor_province <> :home) AS out_count,
       sum(CASE WHEN amount_wan >= 10000 AND investor_province <> :home
                THEN amount_wan ELSE 0 END) AS out_amount_wan,
       sum(amount_wan >= 10000 AND investor_province <> :home
           AND started_on <= :asof) AS out_started,
       sum(event_id IS NOT NULL) AS event_count,
       sum(CASE WHEN event_id IS NOT NULL THEN amount_wan ELSE 0 END) AS event_amount_wan,
       sum(foreign_oriented = 1 AND amount_wan >= 10000) AS foreign_count
FROM projects
WHERE signed_on >= :from AND signed_on <= :to
  AND (terminated_on IS NULL OR terminated_on > :asof) AND amount_pending = 0
GROUP BY county_id;
