-- bare_insert.sql for PostgreSQL: the same CSV loaded by psql into the same
-- tables and indexes (a fresh `zhaoshang init` database) in one transaction
-- on the cluster's durable settings: COPY into a temporary table, then one
-- INSERT ... SELECT per table. The shortcuts of ../bare_insert.sql apply (no
-- NFKC, no checks beyond the schema's, provinces as written); amounts go
-- through NUMERIC, dues through date + interval (end of month clamped).
-- bench/run replaces @CSV@ with the file and, for the "indexes built once"
-- variant, the two @...@ lines with DROP INDEX / CREATE INDEX statements for
-- every secondary index of projects and project_rules and ALTER TABLE
-- statements dropping and adding their foreign keys, as `zhaoshang import`
-- does for a large file.
\set ON_ERROR_STOP 1
SET temp_buffers = '256MB';
BEGIN;
-- @DROP_INDEXES@
CREATE TEMP TABLE csv (
	code text, name text, investor text, investor_credit_code text,
	investor_province text, investor_city text, region text, chain text,
	amount_yi text, channel text, event text, foreign_oriented text, major text,
	responsible text, signed_on text, registered_on text, started_on text,
	included_on text, producing_on text, terminated_on text,
	terminated_reason text, na_reason text,
	n bigint GENERATED ALWAYS AS IDENTITY);
\copy csv (code, name, investor, investor_credit_code, investor_province, investor_city, region, chain, amount_yi, channel, event, foreign_oriented, major, responsible, signed_on, registered_on, started_on, included_on, producing_on, terminated_on, terminated_reason, na_reason) FROM '@CSV@' WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (code, name, investor, investor_credit_code, investor_province, investor_city, region, chain, amount_yi, channel, event, foreign_oriented, major, responsible, signed_on, registered_on, started_on, included_on, producing_on, terminated_on, terminated_reason, na_reason))
INSERT INTO events (name, created_at)
	SELECT DISTINCT event, '2025-12-31T00:00:00Z' FROM csv WHERE event <> '';
INSERT INTO companies (name, credit_code, province, city, created_at)
	SELECT investor, max(nullif(investor_credit_code, '')), max(investor_province),
	       max(nullif(investor_city, '')), '2025-12-31T00:00:00Z'
	FROM csv GROUP BY investor;
INSERT INTO projects (code, name, investor_id, investor_province, investor_city,
	region_id, county_id, chain_id, amount_wan, channel_id, event_id, foreign_oriented,
	major, responsible, signed_on, registered_on, registered_na, started_on, started_na,
	included_on, included_na, producing_on, producing_na, na_reason, terminated_on,
	terminated_reason, stage, created_at, updated_at)
SELECT c.code, c.name, co.id, c.investor_province, nullif(c.investor_city, ''),
	r.id, r.county_id, ch.id, round(c.amount_yi::numeric * 10000)::bigint,
	cn.id, ev.id, (c.foreign_oriented = '是')::int, (c.major = '是')::int,
	nullif(c.responsible, ''), c.signed_on::date,
	nullif(nullif(c.registered_on, '不适用'), '')::date, (c.registered_on = '不适用')::int,
	nullif(nullif(c.started_on, '不适用'), '')::date, (c.started_on = '不适用')::int,
	nullif(nullif(c.included_on, '不适用'), '')::date, (c.included_on = '不适用')::int,
	nullif(nullif(c.producing_on, '不适用'), '')::date, (c.producing_on = '不适用')::int,
	nullif(c.na_reason, ''), nullif(c.terminated_on, '')::date, nullif(c.terminated_reason, ''),
	CASE WHEN c.terminated_on <> '' THEN 'terminated'
	     WHEN c.producing_on NOT IN ('', '不适用') THEN 'producing'
	     WHEN c.included_on NOT IN ('', '不适用') THEN 'included'
	     WHEN c.started_on NOT IN ('', '不适用') THEN 'started'
	     WHEN c.registered_on NOT IN ('', '不适用') THEN 'registered'
	     ELSE 'signed' END,
	'2025-12-31T00:00:00Z', '2025-12-31T00:00:00Z'
FROM csv c
JOIN companies co ON co.name = c.investor
JOIN regions r ON r.name = c.region
LEFT JOIN chains ch ON ch.name = c.chain
LEFT JOIN channels cn ON cn.name = c.channel
LEFT JOIN events ev ON ev.name = c.event
ORDER BY c.n;
-- One row per project and rule whose from-milestone has a date.
INSERT INTO project_rules (project_id, rule_id, from_on, due, to_on, to_na)
SELECT id, rule_id, from_on, (from_on + make_interval(months => months))::date, to_on, to_na
FROM (
	SELECT p.id, ru.id AS rule_id, ru.months,
	       CASE ru.from_milestone WHEN 'signed' THEN p.signed_on
	            WHEN 'registered' THEN p.registered_on WHEN 'started' THEN p.started_on
	            WHEN 'included' THEN p.included_on ELSE p.producing_on END AS from_on,
	       CASE ru.to_milestone WHEN 'signed' THEN p.signed_on
	            WHEN 'registered' THEN p.registered_on WHEN 'started' THEN p.started_on
	            WHEN 'included' THEN p.included_on ELSE p.producing_on END AS to_on,
	       CASE ru.to_milestone WHEN 'registered' THEN p.registered_na
	            WHEN 'started' THEN p.started_na WHEN 'included' THEN p.included_na
	            WHEN 'producing' THEN p.producing_na ELSE 0 END AS to_na
	FROM projects p CROSS JOIN rules ru ORDER BY p.id, ru.sort_order) AS pairs
WHERE from_on IS NOT NULL;
-- @CREATE_INDEXES@
COMMIT;
