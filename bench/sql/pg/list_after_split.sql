-- list_after_split.sql for PostgreSQL: the deep page as two exact index
-- ranges (see ../list_after_split.sql). PostgreSQL already seeks the row
-- value of list_after.sql on both columns; this form is kept for comparison.
SELECT p.id, p.code, p.name, co.name, co.credit_code, p.investor_province,
       p.investor_city, p.region_id, p.county_id, p.chain_id, p.amount_wan,
       p.channel_id, p.event_id, ev.name, p.foreign_oriented, p.major,
       p.responsible, p.signed_on, p.registered_on, p.registered_na, p.started_on,
       p.started_na, p.included_on, p.included_na, p.producing_on, p.producing_na,
       p.na_reason, p.terminated_on, p.terminated_reason, p.notes, p.version,
       p.created_at, p.updated_at
FROM (SELECT id FROM (SELECT id FROM projects WHERE signed_on = :'k' AND id < :ki
                      ORDER BY id DESC LIMIT 51) AS same_day
      UNION ALL
      SELECT id FROM (SELECT id FROM projects WHERE signed_on < :'k'
                      ORDER BY signed_on DESC, id DESC LIMIT 51) AS earlier
      LIMIT 51) AS page
JOIN projects p ON p.id = page.id
JOIN companies co ON co.id = p.investor_id
LEFT JOIN events ev ON ev.id = p.event_id
ORDER BY p.signed_on DESC, p.id DESC;
