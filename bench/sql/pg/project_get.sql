-- project_get.sql for PostgreSQL (variable code); see ../project_get.sql.
SELECT p.id, p.code, p.name, co.name, co.credit_code, p.investor_province,
       p.investor_city, p.region_id, p.county_id, p.chain_id, p.amount_wan,
       p.channel_id, p.event_id, ev.name, p.foreign_oriented, p.major,
       p.responsible, p.signed_on, p.registered_on, p.registered_na, p.started_on,
       p.started_na, p.included_on, p.included_na, p.producing_on, p.producing_na,
       p.na_reason, p.terminated_on, p.terminated_reason, p.notes, p.version,
       p.created_at, p.updated_at
FROM projects p
JOIN companies co ON co.id = p.investor_id
LEFT JOIN events ev ON ev.id = p.event_id
WHERE p.code = :'code';
