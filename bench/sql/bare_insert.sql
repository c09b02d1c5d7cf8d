-- The bare-insert ceiling of `zhaoshang import`: the same CSV written by the
-- sqlite3 CLI into the same tables and indexes (a fresh `zhaoshang init`
-- database), in one transaction, with the connection settings of the
-- application's large import from the command line (the database taken
-- alone through a rollback journal, synchronous=FULL, 64 MiB cache; WAL
-- mode again after the commit, as zhaoshang leaves it). bench/run replaces
-- @CSV@ with the file. Shortcuts against the real import (so this is a
-- ceiling, not an equivalent): no NFKC, no validation beyond the schema's
-- CHECKs, provinces stored as written, amounts converted through REAL, and
-- dues from SQLite's date(+N months), which differs from the domain rule on
-- month ends.
--
-- Two variants are run: as written (every index maintained row by row), and
-- "indexes built once", where bench/run replaces the two @...@ lines with
-- DROP INDEX / CREATE INDEX statements for every explicit index of projects
-- and project_rules (from sqlite_master), as `zhaoshang import` does for a
-- large file.
PRAGMA locking_mode=EXCLUSIVE;
PRAGMA journal_mode=DELETE;
PRAGMA synchronous=FULL;
PRAGMA cache_size=-65536;
PRAGMA temp_store=MEMORY;
BEGIN IMMEDIATE;
-- @DROP_INDEXES@
CREATE TEMP TABLE csv (
	code, name, investor, investor_credit_code, investor_province, investor_city,
	region, chain, amount_yi, channel, event, foreign_oriented, major, responsible,
	signed_on, registered_on, started_on, included_on, producing_on, terminated_on,
	terminated_reason, na_reason);
.import --csv --skip 1 @CSV@ csv
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
	r.id, r.county_id, ch.id, CAST(round(CAST(c.amount_yi AS REAL) * 10000) AS INTEGER),
	cn.id, ev.id, c.foreign_oriented = '是', c.major = '是', nullif(c.responsible, ''),
	c.signed_on,
	nullif(nullif(c.registered_on, '不适用'), ''), c.registered_on = '不适用',
	nullif(nullif(c.started_on, '不适用'), ''), c.started_on = '不适用',
	nullif(nullif(c.included_on, '不适用'), ''), c.included_on = '不适用',
	nullif(nullif(c.producing_on, '不适用'), ''), c.producing_on = '不适用',
	nullif(c.na_reason, ''), nullif(c.terminated_on, ''), nullif(c.terminated_reason, ''),
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
ORDER BY c.rowid;
-- One row per project and rule whose from-milestone has a date.
INSERT INTO project_rules (project_id, rule_id, from_on, due, to_on, to_na)
SELECT id, rule_id, from_on, date(from_on, '+' || months || ' months'), to_on, to_na FROM (
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
	FROM projects p CROSS JOIN rules ru ORDER BY p.id, ru.sort_order)
WHERE from_on IS NOT NULL;
-- @CREATE_INDEXES@
COMMIT;
PRAGMA locking_mode=NORMAL;
PRAGMA journal_mode=WAL;
