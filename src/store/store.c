/*
 * store: the store API's logic, shared by every backend (see store/store.h
 * for the API, store/backend.h for the drivers' contract).
 *
 * Every statement is here, in SQL both SQLite and PostgreSQL understand
 * (a driver may replace one where the dialects differ: dialect_sql). Fixed
 * statements are numbered (enum stmt) so that a driver prepares each once
 * per connection; the project list, whose WHERE clause depends on the
 * filters, is assembled from constant fragments with every user value bound.
 */
#include "store/backend.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/date.h"
#include "util/embedded.h"
#include "util/xalloc.h"

/* The columns of a project row, in the order project_from_row() reads. */
#define PROJECT_COLUMNS                                                              \
	"p.id, p.code, p.name, co.name, co.credit_code, p.investor_province, "        \
	"p.investor_city, p.region_id, NULL, p.county_id, NULL, p.chain_id, "         \
	"NULL, p.amount_wan, p.channel_id, NULL, p.event_id, ev.name, "               \
	"p.foreign_oriented, p.major, p.responsible, p.signed_on, p.registered_on, "  \
	"p.registered_na, p.started_on, p.started_na, p.included_on, p.included_na, " \
	"p.producing_on, p.producing_na, p.na_reason, p.terminated_on, "              \
	"p.terminated_reason, p.notes, p.version, p.created_at, p.updated_at, p.verified_mask,"   \
	" p.amount_pending"

/* Region, chain and channel names are not joined: the reference data is in
 * memory (refdata_project_names()). */
#define PROJECT_FROM                                          \
	" FROM projects p"                                    \
	" JOIN companies co ON co.id = p.investor_id"         \
	" LEFT JOIN events ev ON ev.id = p.event_id"

/* A problem with its project's code, name and scope, as problem_row() reads. */
#define PROBLEM_COLUMNS                                                                  \
	"SELECT q.id, q.project_id, p.code, p.name, p.region_id, p.chain_id, q.category, q.grade," \
	" q.title, q.description, q.owner_department_id, q.owner_person, q.deadline, q.status,"   \
	" q.raised_by, q.raised_on, q.solved_on, q.escalations, q.created_at, q.updated_at"        \
	" FROM problems q JOIN projects p ON p.id = q.project_id"

/* The verified_mask bit of a milestone named by a column (1 << milestone). */
#define MS_BIT(col)                                                                   \
	"(CASE " col " WHEN 'registered' THEN 2 WHEN 'started' THEN 4 WHEN 'included' THEN 8" \
	" WHEN 'producing' THEN 16 ELSE 1 END)"

/* A project as the duplicate check compares it (see store_dup_candidates()). */
#define DUP_COLUMNS                                                                      \
	"p.id, p.code, p.name, p.investor_id, co.name, co.name_key, p.amount_wan, p.county_id," \
	" p.signed_on, p.event_id, p.region_id, p.chain_id"

/* A project's insert: its columns and their values (?1..?28). */
#define PROJECT_INSERT_COLUMNS                                                                  \
	"code, name, investor_id, investor_province, investor_city, region_id, county_id,"     \
	" chain_id, amount_wan, channel_id, event_id, foreign_oriented, major, responsible,"     \
	" signed_on, registered_on, registered_na, started_on, started_na, included_on,"         \
	" included_na, producing_on, producing_na, na_reason, terminated_on, terminated_reason," \
	" stage, notes, version, created_at, updated_at"
#define PROJECT_INSERT_VALUES                                                                 \
	"?1, ?2, ?3, ?4, ?5, ?6, (SELECT CASE WHEN level = 'county' THEN id ELSE county_id END" \
	" FROM regions WHERE id = ?6), ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18," \
	" ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, 1, ?28, ?28"

const char *const store_sql[STMT__MAX] = {
	[STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[STMT_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
			  " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[STMT_VERSION_BUMP] = "INSERT INTO meta (key, value) VALUES ('data_version', '1')"
			      " ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)"
			      " RETURNING CAST(value AS BIGINT)",
	[STMT_SESSION_VERSION_BUMP] = "INSERT INTO meta (key, value) VALUES ('session_version', '1')"
				      " ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)"
				      " RETURNING CAST(value AS BIGINT)",
	[STMT_VERSIONS] = "SELECT (SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'data_version'),"
			  " (SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'session_version')",
	/* Tree order and paths are worked out in memory (regions_tree()). */
	[STMT_REGIONS] = "SELECT id, parent_id, name, code, level, county_id, assessed, sort_order"
			 " FROM regions ORDER BY sort_order, id",
	[STMT_DEPARTMENTS] = "SELECT id, name, NULL, NULL, sort_order FROM departments ORDER BY sort_order, id",
	[STMT_CHAINS] = "SELECT id, name, category, leader, sort_order FROM chains ORDER BY sort_order, id",
	[STMT_CHANNELS] = "SELECT id, name, NULL, NULL, sort_order FROM channels ORDER BY sort_order, id",
	[STMT_RULES] = "SELECT id, key, name, from_milestone, to_milestone, months FROM rules"
		       " ORDER BY sort_order, id",
	[STMT_REGION_ADD] = "INSERT INTO regions (parent_id, name, code, level, county_id, assessed, sort_order)"
			    " VALUES (?1, ?2, ?3, ?4, (SELECT CASE WHEN p.level = 'county' THEN p.id"
			    " ELSE p.county_id END FROM regions p WHERE p.id = ?1), ?5, ?6) RETURNING id",
	[STMT_REGION_COUNTY_SELF] = "UPDATE regions SET county_id = id WHERE id = ?1",
	[STMT_DEPARTMENT_ADD] = "INSERT INTO departments (name, sort_order) VALUES (?1, ?2)",
	[STMT_CHAIN_ADD] = "INSERT INTO chains (name, category, leader, task_force, sort_order)"
			   " VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_CHANNEL_ADD] = "INSERT INTO channels (name, sort_order) VALUES (?1, ?2)",
	[STMT_RULE_ADD] = "INSERT INTO rules (key, name, from_milestone, to_milestone, months, sort_order)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_EVENT_FIND] = "SELECT id FROM events WHERE name = ?1",
	[STMT_EVENT_ADD] = "INSERT INTO events (name, type, city, held_on, created_at)"
			   " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
	[STMT_EVENT_ADD_ID] = "INSERT INTO events (id, name, type, city, held_on, created_at)"
			      " VALUES (?6, ?1, ?2, ?3, ?4, ?5)",
	[STMT_EVENTS_MIRROR] = "SELECT id, name FROM events",
	[STMT_COMPANY_FIND_NAME] = "SELECT id, CASE WHEN credit_code IS NULL OR province IS NULL"
				   " OR city IS NULL THEN 1 ELSE 0 END FROM companies WHERE name = ?1",
	[STMT_COMPANY_FIND_CODE] = "SELECT id, CASE WHEN credit_code IS NULL OR province IS NULL"
				   " OR city IS NULL THEN 1 ELSE 0 END FROM companies WHERE credit_code = ?1",
	/* ?6: the name key, or NULL for the duplicate check to fill in. */
	[STMT_COMPANY_ADD] = "INSERT INTO companies (name, credit_code, province, city, created_at,"
			     " updated_at, name_key) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6) RETURNING id",
	[STMT_COMPANY_ADD_ID] = "INSERT INTO companies (id, name, credit_code, province, city,"
				" created_at, updated_at, name_key) VALUES (?6, ?1, ?2, ?3, ?4, ?5, ?5, ?7)",
	[STMT_COMPANIES_MIRROR] = "SELECT id, name, credit_code, CASE WHEN province IS NULL THEN 0"
				  " ELSE 1 END, CASE WHEN city IS NULL THEN 0 ELSE 1 END FROM companies"
				  " ORDER BY id",
	[STMT_COMPANY_FILL] = "UPDATE companies SET credit_code = COALESCE(credit_code, ?2),"
			      " province = COALESCE(province, ?3), city = COALESCE(city, ?4) WHERE id = ?1",
	[STMT_PROJECT_GET] = "SELECT " PROJECT_COLUMNS PROJECT_FROM " WHERE p.code = ?1",
	[STMT_PROJECT_INSERT] = "INSERT INTO projects (" PROJECT_INSERT_COLUMNS ") VALUES ("
				PROJECT_INSERT_VALUES ") RETURNING id",
	[STMT_PROJECT_INSERT_ID] = "INSERT INTO projects (id, " PROJECT_INSERT_COLUMNS ") VALUES (?29, "
				   PROJECT_INSERT_VALUES ")",
	[STMT_PROJECT_UPDATE] =
		"UPDATE projects SET code = ?1, name = ?2, investor_id = ?3, investor_province = ?4,"
		" investor_city = ?5, region_id = ?6, county_id = (SELECT CASE WHEN level = 'county'"
		" THEN id ELSE county_id END FROM regions WHERE id = ?6), chain_id = ?7, amount_wan = ?8,"
		" channel_id = ?9, event_id = ?10, foreign_oriented = ?11, major = ?12, responsible = ?13,"
		" signed_on = ?14, registered_on = ?15, registered_na = ?16, started_on = ?17,"
		" started_na = ?18, included_on = ?19, included_na = ?20, producing_on = ?21,"
		" producing_na = ?22, na_reason = ?23, terminated_on = ?24, terminated_reason = ?25,"
		" stage = ?26, notes = ?27, version = version + 1, updated_at = ?28,"
		/* A milestone whose date changes is no longer verified. */
		" verified_mask = verified_mask - (verified_mask & ("
		"(CASE WHEN registered_on IS DISTINCT FROM ?15 THEN 2 ELSE 0 END) +"
		" (CASE WHEN started_on IS DISTINCT FROM ?17 THEN 4 ELSE 0 END) +"
		" (CASE WHEN included_on IS DISTINCT FROM ?19 THEN 8 ELSE 0 END) +"
		" (CASE WHEN producing_on IS DISTINCT FROM ?21 THEN 16 ELSE 0 END)))"
		" WHERE id = ?29",
	[STMT_PROJECT_RULES_DELETE] = "DELETE FROM project_rules WHERE project_id = ?1",
	[STMT_PROJECT_RULE_INSERT] = "INSERT INTO project_rules (project_id, rule_id, from_on, due, to_on, to_na)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_PROJECT_COUNT] = "SELECT count(*) FROM projects",
	[STMT_PROJECT_CODES] = "SELECT code FROM projects",
	/* The year's rows that count for any of the three figures, in one range
	 * scan of the covering index projects_figures; the store sums them
	 * (store_headline). Measured faster than the three GROUP BY and count
	 * statements of bench/sql/headline.sql, each a scan of the same range,
	 * and than one pass with conditional sums, whose GROUP BY sorter
	 * dominated. */
	[STMT_HEADLINE_ROWS] = "SELECT county_id, amount_wan, started_on <= ?3, investor_province <> ?4,"
			       " event_id IS NOT NULL, foreign_oriented = 1"
			       " FROM projects WHERE signed_on >= ?1 AND signed_on <= ?2"
			       " AND (terminated_on IS NULL OR terminated_on > ?3) AND amount_pending = 0"
			       " AND (amount_wan >= 10000 OR event_id IS NOT NULL)",
	[STMT_BD_CHAIN] = STORE_BD_SELECT("chain_id, NULL") " GROUP BY chain_id",
	[STMT_BD_CHANNEL] = STORE_BD_SELECT("channel_id, NULL") " GROUP BY channel_id",
	[STMT_BD_EVENT] = STORE_BD_SELECT("event_id, (SELECT name FROM events WHERE id = event_id)")
	" GROUP BY event_id",
	[STMT_BD_MONTH] = STORE_BD_SELECT("0, substr(signed_on, 1, 7)") " GROUP BY substr(signed_on, 1, 7)",
	[STMT_BD_PROVINCE] = STORE_BD_SELECT("0, investor_province") " GROUP BY investor_province",
	/* Unfinished on as_of: never finished (the partial index project_rules_open)
	 * or finished after as_of (project_rules_late); two branches, so that each
	 * uses its index ("+pr.due" keeps SQLite's planner off project_rules_due
	 * in the second). */
	[STMT_PAIRS_OPEN] = STORE_PAIR_SELECT
	" WHERE pr.to_on IS NULL AND pr.to_na = 0 AND pr.due <= ?2 AND pr.from_on <= ?1"
	" AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
	" UNION ALL " STORE_PAIR_SELECT
	" WHERE pr.to_on > ?1 AND pr.to_na = 0 AND +pr.due <= ?2 AND pr.from_on <= ?1"
	" AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
	" ORDER BY 6, 1, 10, 11",
	[STMT_PAIRS_ALL] = STORE_PAIR_SELECT
	" WHERE pr.from_on <= ?1 AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
	" ORDER BY pr.due, p.code, ru.sort_order, ru.id",
#define USER_COLUMNS                                                                  \
	"SELECT id, username, display_name, role, region_id, chain_id, password_hash,"     \
	" password_changed_at, disabled, failed_logins, locked_until, created_at FROM users"
	[STMT_USER_GET] = USER_COLUMNS " WHERE username = ?1",
	[STMT_USER_GET_ID] = USER_COLUMNS " WHERE id = ?1",
	[STMT_USERS] = USER_COLUMNS " ORDER BY username",
	[STMT_USER_INSERT] = "INSERT INTO users (username, display_name, role, region_id, chain_id,"
			     " password_hash, password_changed_at, disabled, failed_logins,"
			     " locked_until, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			     " ?10, ?11) RETURNING id",
	[STMT_USER_UPDATE] = "UPDATE users SET display_name = ?2, role = ?3, region_id = ?4,"
			     " chain_id = ?5, password_hash = ?6, password_changed_at = ?7,"
			     " disabled = ?8, failed_logins = ?9, locked_until = ?10 WHERE id = ?1",
	[STMT_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen,"
				" address) VALUES (?1, ?2, ?3, ?4, ?5)",
	/* The data version and the session with its user, in one lookup per
	 * request (one row, the session's columns NULL when there is none). */
	[STMT_SESSION_GET] = "SELECT (SELECT value FROM meta WHERE key = 'data_version'),"
			     " s.created_at, s.last_seen, u.id, u.username, u.display_name, u.role,"
			     " u.region_id, u.chain_id, u.disabled, u.password_changed_at"
			     " FROM (SELECT 1 AS one) o LEFT JOIN sessions s ON s.token_hash = ?1"
			     " LEFT JOIN users u ON u.id = s.user_id",
	[STMT_SESSION_TOUCH] = "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
	[STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[STMT_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1",
	[STMT_SESSION_PURGE] = "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2",
	[STMT_AUDIT_LAST] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
	[STMT_AUDIT_INSERT] = "INSERT INTO audit_log (id, at, username, address, action, entity,"
			      " entity_key, old_value, new_value, prev_hash, hash)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[STMT_LOGIN_FAILURES] = "SELECT count(*) FROM audit_log WHERE at >= ?2 AND address = ?1"
				" AND action = 'login_failed'",
#define EVIDENCE_COLUMNS                                                              \
	"SELECT e.id, e.project_id, p.code, e.milestone, e.kind, e.file_name, e.content_type," \
	" e.size, e.sha256, e.stored_name, e.uploaded_by, e.uploaded_at"                  \
	" FROM evidence e JOIN projects p ON p.id = e.project_id"
	[STMT_EVIDENCE_INSERT] = "INSERT INTO evidence (project_id, milestone, kind, file_name,"
				 " content_type, size, sha256, stored_name, uploaded_by, uploaded_at)"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
	[STMT_EVIDENCE_GET] = EVIDENCE_COLUMNS " WHERE e.id = ?1",
	[STMT_EVIDENCE_LIST] = EVIDENCE_COLUMNS " WHERE e.project_id = ?1 ORDER BY e.id",
	[STMT_EVIDENCE_NAMED] = "SELECT count(*) FROM evidence WHERE stored_name = ?1",
	/* Every signing of the period (no threshold), by where the investor
	 * comes from. */
#define COMPANY_COLUMNS                                                            \
	"SELECT c.id, c.name, c.credit_code, c.province, c.city, c.industry, c.tags, c.notes," \
	" c.created_at, c.updated_at, c.version,"                                        \
	" (SELECT count(*) FROM projects p WHERE p.investor_id = c.id) FROM companies c"
	[STMT_COMPANY_GET] = COMPANY_COLUMNS " WHERE c.id = ?1",
	[STMT_COMPANY_INSERT] = "INSERT INTO companies (name, credit_code, province, city, industry,"
				" tags, notes, created_at, updated_at, version)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, 1) RETURNING id",
	/* A rename clears the comparison key (dupes.c fills it again). */
	[STMT_COMPANY_UPDATE] = "UPDATE companies SET name_key = CASE WHEN name = ?2 THEN name_key END,"
				" name = ?2, credit_code = ?3, province = ?4,"
				" city = ?5, industry = ?6, tags = ?7, notes = ?8, updated_at = ?9,"
				" version = version + 1 WHERE id = ?1",
	[STMT_CONTACTS] = "SELECT id, company_id, name, title, phone, email, created_at"
			  " FROM company_contacts WHERE company_id = ?1 ORDER BY id",
	[STMT_CONTACT_ADD] = "INSERT INTO company_contacts (company_id, name, title, phone, email,"
			     " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
	[STMT_CONTACT_DELETE] = "DELETE FROM company_contacts WHERE id = ?1 AND company_id = ?2"
				" RETURNING id",
#define LEAD_COLUMNS                                                                    \
	"SELECT l.id, l.company_id, c.name, l.title, l.source_kind, l.source_name, l.channel_id," \
	" l.chain_id, l.region_id, l.county_id, l.amount_wan, l.stage, l.lost_reason,"        \
	" l.project_id, pr.code, l.reported_by, l.reported_on, l.last_activity, l.created_at," \
	" l.updated_at, l.version FROM leads l JOIN companies c ON c.id = l.company_id"        \
	" LEFT JOIN projects pr ON pr.id = l.project_id"
	[STMT_LEAD_GET] = LEAD_COLUMNS " WHERE l.id = ?1",
	[STMT_LEAD_INSERT] = "INSERT INTO leads (company_id, title, source_kind, source_name,"
			     " channel_id, chain_id, region_id, county_id, amount_wan, stage, lost_reason,"
			     " project_id, reported_by, reported_on, last_activity, created_at, updated_at,"
			     " version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT CASE WHEN level ="
			     " 'county' THEN id ELSE county_id END FROM regions WHERE id = ?7), ?8, ?9,"
			     " ?10, ?11, ?12, ?13, ?14, ?15, ?15, 1) RETURNING id",
	[STMT_LEAD_UPDATE] = "UPDATE leads SET company_id = ?2, title = ?3, source_kind = ?4,"
			     " source_name = ?5, channel_id = ?6, chain_id = ?7, region_id = ?8,"
			     " county_id = (SELECT CASE WHEN level = 'county' THEN id ELSE county_id END"
			     " FROM regions WHERE id = ?8), amount_wan = ?9, stage = ?10,"
			     " lost_reason = ?11, project_id = ?12, reported_on = ?13,"
			     " last_activity = ?14, updated_at = ?15, version = version + 1 WHERE id = ?1",
	[STMT_FOLLOW_UPS] = "SELECT id, lead_id, on_date, username, note, stage, created_at"
			    " FROM lead_follow_ups WHERE lead_id = ?1 ORDER BY on_date DESC, id DESC",
	[STMT_FOLLOW_UP_ADD] = "INSERT INTO lead_follow_ups (lead_id, on_date, username, note, stage,"
			       " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
#define FUNNEL_SELECT(key)                                                              \
	"SELECT " key ", stage, count(*) FROM leads WHERE reported_on >= ?1"               \
	" AND reported_on <= ?2 GROUP BY " key ", stage"
	[STMT_FUNNEL_SOURCE] = FUNNEL_SELECT("source_kind"),
	[STMT_FUNNEL_TEAM] = FUNNEL_SELECT("source_name"),
	[STMT_FUNNEL_CHAIN] = FUNNEL_SELECT("chain_id"),
	[STMT_CAMPAIGN_INSERT] = "INSERT INTO campaigns (name, theme, starts_on, ends_on, created_at)"
				 " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
	[STMT_CAMPAIGNS] = "SELECT c.id, c.name, c.theme, c.starts_on, c.ends_on,"
			   " (SELECT count(*) FROM events e WHERE e.campaign_id = c.id),"
			   " (SELECT count(*) FROM trips t WHERE t.campaign_id = c.id)"
			   " FROM campaigns c ORDER BY c.starts_on DESC, c.id DESC",
	[STMT_CAMPAIGN_FIND] = "SELECT id FROM campaigns WHERE name = ?1",
	[STMT_EVENT_CREATE] = "INSERT INTO events (name, type, city, held_on, theme, organiser,"
			      " campaign_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
	[STMT_EVENT_GET] = "SELECT e.id, e.name, e.type, e.city, e.held_on, e.theme, e.organiser,"
			   " c.name FROM events e LEFT JOIN campaigns c ON c.id = e.campaign_id"
			   " WHERE e.id = ?1",
	[STMT_EVENT_UPDATE] = "UPDATE events SET name = ?2, type = ?3, city = ?4, held_on = ?5,"
			      " theme = ?6, organiser = ?7, campaign_id = ?8 WHERE id = ?1",
	/* An event's signings with what they became. */
	[STMT_EVENT_PROJECTS] = "SELECT p.code, p.name, co.name, p.county_id, p.amount_wan,"
				" p.signed_on, p.registered_on, p.started_on, p.included_on,"
				" p.producing_on, p.terminated_on, p.region_id, p.chain_id"
				" FROM projects p JOIN companies co ON co.id = p.investor_id"
				" WHERE p.event_id = ?1 ORDER BY p.signed_on, p.code",
	/* Signings of this event whose investor signed a project of the same
	 * chain at another event: the same project signed again? */
	[STMT_EVENT_REPEATS] = "SELECT p.code, q.code, e2.name FROM projects p"
			       " JOIN projects q ON q.investor_id = p.investor_id AND q.id <> p.id"
			       " AND q.event_id IS NOT NULL AND q.event_id <> p.event_id"
			       " AND coalesce(q.chain_id, 0) = coalesce(p.chain_id, 0)"
			       " JOIN events e2 ON e2.id = q.event_id"
			       " WHERE p.event_id = ?1 ORDER BY p.code, q.code",
	[STMT_EVENTS_FULL] = "SELECT e.id, e.name, e.type, e.city, e.held_on, e.theme, e.organiser,"
			     " c.name, (SELECT count(*) FROM projects p WHERE p.event_id = e.id),"
			     " (SELECT coalesce(sum(amount_wan), 0) FROM projects p WHERE p.event_id = e.id)"
			     " FROM events e LEFT JOIN campaigns c ON c.id = e.campaign_id"
			     " WHERE e.held_on IS NULL OR (e.held_on >= ?1 AND e.held_on <= ?2)"
			     " ORDER BY e.held_on IS NOT NULL, e.held_on, e.name",
	[STMT_TRIP_INSERT] = "INSERT INTO trips (leader_level, leader, region_id, campaign_id,"
			     " starts_on, ends_on, days, cities, purpose, created_by, created_at)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
#define TRIP_COLUMNS                                                                    \
	"SELECT t.id, t.leader_level, t.leader, t.region_id, c.name, t.starts_on, t.ends_on,"  \
	" t.days, t.cities, t.purpose, t.created_by,"                                          \
	" (SELECT count(*) FROM trip_visits v WHERE v.trip_id = t.id)"                          \
	" FROM trips t LEFT JOIN campaigns c ON c.id = t.campaign_id"
	[STMT_TRIP_GET] = TRIP_COLUMNS " WHERE t.id = ?1",
	[STMT_TRIPS] = TRIP_COLUMNS " WHERE t.starts_on >= ?1 AND t.starts_on <= ?2"
		       " AND (CAST(?3 AS TEXT) IS NULL OR t.leader_level = ?3)"
		       " ORDER BY t.starts_on DESC, t.id DESC",
	[STMT_VISIT_INSERT] = "INSERT INTO trip_visits (trip_id, company_id, visited_on, outcome,"
			      " lead_id, project_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
	[STMT_VISITS] = "SELECT v.id, v.company_id, co.name, v.visited_on, v.outcome, v.lead_id,"
			" p.code FROM trip_visits v JOIN companies co ON co.id = v.company_id"
			" LEFT JOIN projects p ON p.id = v.project_id WHERE v.trip_id = ?1 ORDER BY v.id",
	[STMT_TEAM_INSERT] = "INSERT INTO stationed_teams (name, city, region_id, leader, members,"
			     " starts_on, ends_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
			     " RETURNING id",
#define TEAM_COLUMNS                                                                    \
	"SELECT t.id, t.name, t.city, t.region_id, t.leader, t.members, t.starts_on, t.ends_on," \
	" (SELECT count(*) FROM leads l WHERE l.team_id = t.id),"                                \
	" (SELECT count(*) FROM leads l WHERE l.team_id = t.id AND l.stage = 'signed')"         \
	" FROM stationed_teams t"
	[STMT_TEAM_GET] = TEAM_COLUMNS " WHERE t.id = ?1",
	[STMT_TEAMS] = TEAM_COLUMNS " ORDER BY t.name",
	[STMT_TEAM_FIND] = "SELECT id FROM stationed_teams WHERE name = ?1",
	[STMT_LEAD_SET_TEAM] = "UPDATE leads SET team_id = ?2 WHERE id = ?1",
	/* The effort figures of a year: ?1..?2 the year. */
	[STMT_EFFORT_TRIPS] = "SELECT count(*), coalesce(sum(days), 0),"
			      " (SELECT count(DISTINCT v.company_id) FROM trip_visits v JOIN trips u"
			      " ON u.id = v.trip_id WHERE u.leader_level = ?3 AND u.starts_on >= ?1"
			      " AND u.starts_on <= ?2)"
			      " FROM trips WHERE leader_level = ?3 AND starts_on >= ?1 AND starts_on <= ?2",
	/* Major projects signed through county leaders' trips (a visit that
	 * led to the project). */
	[STMT_EFFORT_MAJOR] = "SELECT count(DISTINCT p.id) FROM trip_visits v"
			      " JOIN trips t ON t.id = v.trip_id JOIN projects p ON p.id = v.project_id"
			      " WHERE t.leader_level = 'county_main' AND p.major = 1"
			      " AND p.signed_on >= ?1 AND p.signed_on <= ?2",
	[STMT_EFFORT_TEAMS] = "SELECT count(*), coalesce(sum(members), 0) FROM stationed_teams"
			      " WHERE starts_on <= ?2 AND (ends_on IS NULL OR ends_on >= ?1)",
	[STMT_EFFORT_INTENTIONS] = "SELECT count(*) FROM leads WHERE source_kind = 'stationed_team'"
				   " AND reported_on >= ?1 AND reported_on <= ?2",
	[STMT_EFFORT_EVENTS] = "SELECT count(*) FROM events WHERE held_on >= ?1 AND held_on <= ?2",
	[STMT_EFFORT_CAMPAIGNS] = "SELECT count(*) FROM campaigns WHERE starts_on >= ?1"
				  " AND starts_on <= ?2",
	[STMT_EFFORT_TARGETED] = "SELECT count(*) FROM leads l JOIN channels c ON c.id = l.channel_id"
				 " WHERE c.name = '点题招商' AND l.reported_on >= ?1 AND l.reported_on <= ?2",
	[STMT_NODE_ADD] = "INSERT INTO chain_nodes (chain_id, segment, name, sort_order) VALUES (?1, ?2,"
			  " ?3, (SELECT coalesce(max(sort_order), 0) + 1 FROM chain_nodes WHERE chain_id = ?1))"
			  " RETURNING id",
	[STMT_NODES] = "SELECT id, segment, name FROM chain_nodes WHERE chain_id = ?1"
		       " ORDER BY sort_order, id",
	[STMT_NODE_GET] = "SELECT chain_id FROM chain_nodes WHERE id = ?1",
	[STMT_NODE_COMPANIES] = "SELECT n.id, c.id, c.name, c.province, c.city, nc.role, nc.note"
				" FROM chain_node_companies nc JOIN chain_nodes n ON n.id = nc.node_id"
				" JOIN companies c ON c.id = nc.company_id WHERE n.chain_id = ?1"
				" ORDER BY n.id, nc.role, c.name",
	[STMT_NODE_COMPANY_ADD] = "INSERT INTO chain_node_companies (node_id, company_id, role, note)"
				  " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (node_id, company_id)"
				  " DO UPDATE SET role = excluded.role, note = excluded.note",
	[STMT_NODE_COMPANY_DELETE] = "DELETE FROM chain_node_companies WHERE node_id = ?1"
				     " AND company_id = ?2 RETURNING node_id",
	[STMT_CHAIN_LEAD_STAGES] = "SELECT stage, count(*) FROM leads WHERE chain_id = ?1 GROUP BY stage",
	[STMT_CHAIN_PROJECTS] = "SELECT count(*), coalesce(sum(amount_wan), 0),"
				" sum(CASE WHEN started_on <= ?3 THEN 1 ELSE 0 END) FROM projects"
				" WHERE chain_id = ?1 AND signed_on >= ?2 AND signed_on <= ?3"
				" AND (terminated_on IS NULL OR terminated_on > ?3) AND amount_pending = 0",
	/* The heat map's other layers: the companies of the period's leads,
	 * and the target companies on the chain maps. */
	[STMT_ORIGIN_LEADS_PROVINCE] = "SELECT 0, c.province, count(*), coalesce(sum(l.amount_wan), 0), 0"
				       " FROM leads l JOIN companies c ON c.id = l.company_id"
				       " WHERE l.reported_on >= ?1 AND l.reported_on <= ?2 GROUP BY c.province",
	[STMT_ORIGIN_LEADS_CITY] = "SELECT 0, c.city, count(*), coalesce(sum(l.amount_wan), 0), 0"
				   " FROM leads l JOIN companies c ON c.id = l.company_id"
				   " WHERE l.reported_on >= ?1 AND l.reported_on <= ?2 AND c.province = ?3"
				   " GROUP BY c.city",
	[STMT_ORIGIN_TARGETS_PROVINCE] = "SELECT 0, c.province, count(DISTINCT c.id), 0, 0"
					 " FROM chain_node_companies nc JOIN companies c ON c.id = nc.company_id"
					 " WHERE nc.role = 'target' GROUP BY c.province",
	[STMT_ORIGIN_TARGETS_CITY] = "SELECT 0, c.city, count(DISTINCT c.id), 0, 0"
				     " FROM chain_node_companies nc JOIN companies c ON c.id = nc.company_id"
				     " WHERE nc.role = 'target' AND c.province = ?1 GROUP BY c.city",
	[STMT_COMPANY_LEADS] = "SELECT l.id, l.title, l.stage, l.reported_on, l.region_id, l.chain_id"
			       " FROM leads l WHERE l.company_id = ?1 ORDER BY l.id DESC",
	[STMT_COMPANY_VISITS] = "SELECT v.visited_on, t.leader_level, t.leader, v.outcome, t.region_id"
				" FROM trip_visits v JOIN trips t ON t.id = v.trip_id WHERE v.company_id = ?1"
				" ORDER BY v.visited_on DESC, v.id DESC",
	/* County leaders' trips of a year by county. */
	[STMT_EFFORT_BY_REGION] = "SELECT r.county_id, count(DISTINCT t.id), coalesce(sum(t.days), 0)"
				  " FROM trips t JOIN regions r ON r.id = t.region_id"
				  " WHERE t.leader_level = 'county_main' AND t.starts_on >= ?1"
				  " AND t.starts_on <= ?2 GROUP BY r.county_id",
	/* The monthly assessment's inputs: ?1..?2 the month (or up to today),
	 * ?3 the evaluation day, ?4 the home province. */
	/* With the referral share of each (assess.c divides the amount). */
	[STMT_ASSESS_SIGNED] = "SELECT p.county_id, p.code, p.amount_wan, r.kind, r.ref_id, r.share"
			       " FROM projects p LEFT JOIN project_referrals r ON r.project_id = p.id"
			       " WHERE p.signed_on >= ?1 AND p.signed_on <= ?2 AND p.amount_wan >= 10000"
			       " AND p.investor_province <> ?4"
			       " AND (p.terminated_on IS NULL OR p.terminated_on > ?3) AND p.amount_pending = 0"
			       " ORDER BY p.code",
	/* ?4 (?2 for the overdue pairs) 1: the verified basis: a pair starts
	 * when its from-milestone is verified, and its to-milestone counts as
	 * reached only when verified. */
	[STMT_ASSESS_PAIRS] = "SELECT p.county_id, ru.key, pr.due,"
			      " CASE WHEN ?4 = 1 AND ((p.verified_mask | 1) & " MS_BIT("ru.to_milestone") ") = 0"
			      " THEN NULL ELSE pr.to_on END, pr.to_na, p.code"
			      " FROM project_rules pr JOIN projects p ON p.id = pr.project_id"
			      " JOIN rules ru ON ru.id = pr.rule_id"
			      " WHERE pr.due >= ?1 AND pr.due <= ?2 AND pr.from_on <= ?3"
			      " AND (p.terminated_on IS NULL OR p.terminated_on > ?3)"
			      " AND (?4 = 0 OR ((p.verified_mask | 1) & " MS_BIT("ru.from_milestone") ") <> 0)"
			      " ORDER BY p.code, ru.sort_order",
	[STMT_ASSESS_OVERDUE] = "SELECT p.county_id, p.code, ru.key FROM project_rules pr"
				" JOIN projects p ON p.id = pr.project_id JOIN rules ru ON ru.id = pr.rule_id"
				" WHERE pr.to_na = 0 AND (pr.to_on IS NULL OR pr.to_on > ?1"
				" OR (?2 = 1 AND ((p.verified_mask | 1) & " MS_BIT("ru.to_milestone") ") = 0))"
				" AND pr.due < ?1 AND pr.from_on <= ?1"
				" AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
				" AND (?2 = 0 OR ((p.verified_mask | 1) & " MS_BIT("ru.from_milestone") ") <> 0)"
				" ORDER BY p.code, ru.sort_order",
	/* The overdue pairs on the reported basis (see STORE_ASSESS_OVERDUE_OPEN);
	 * "+pr.due" keeps SQLite's planner off project_rules_due in the second. */
	[STMT_ASSESS_OVERDUE_OPEN] = STORE_ASSESS_OVERDUE_OPEN("+pr.due"),
	[STMT_ASSESS_INVESTED] = "SELECT p.county_id, p.code, g.invested_wan FROM project_progress g"
				 " JOIN projects p ON p.id = g.project_id WHERE g.month = ?1 AND p.major = 1"
				 " AND (p.terminated_on IS NULL OR p.terminated_on > ?2) ORDER BY p.code",
	[STMT_ASSESSMENT_GET] = "SELECT snapshot, published_at, published_by FROM assessments WHERE month = ?1",
	[STMT_ASSESSMENT_PUT] = "INSERT INTO assessments (month, published_at, published_by, snapshot)"
				" VALUES (?1, ?2, ?3, ?4)",
	[STMT_OBJECTION_ADD] = "INSERT INTO assessment_objections (month, region_id, text, raised_by,"
			       " raised_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
	[STMT_OBJECTIONS] = "SELECT id, region_id, text, raised_by, raised_at, answer, answered_by,"
			    " answered_at FROM assessment_objections WHERE month = ?1 ORDER BY id",
	[STMT_OBJECTION_ANSWER] = "UPDATE assessment_objections SET answer = ?3, answered_by = ?4,"
				  " answered_at = ?5 WHERE id = ?1 AND month = ?2 RETURNING id",
	[STMT_PROGRESS_PUT] = "INSERT INTO project_progress (project_id, month, invested_wan,"
			      " cumulative_wan, note, entered_by, entered_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
			      " ON CONFLICT (project_id, month) DO UPDATE SET invested_wan = excluded.invested_wan,"
			      " cumulative_wan = excluded.cumulative_wan, note = excluded.note,"
			      " entered_by = excluded.entered_by, entered_on = excluded.entered_on",
	[STMT_PROGRESS_LIST] = "SELECT month, invested_wan, cumulative_wan, note, entered_by, entered_on"
			       " FROM project_progress WHERE project_id = ?1 ORDER BY month",
	[STMT_PLAN_PUT] = "INSERT INTO major_plans (project_id, planned_start_on, planned_producing_on,"
			  " planned_total_wan, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			  " ON CONFLICT (project_id) DO UPDATE SET planned_start_on = excluded.planned_start_on,"
			  " planned_producing_on = excluded.planned_producing_on,"
			  " planned_total_wan = excluded.planned_total_wan, updated_at = excluded.updated_at",
	/* The major projects with their plan and the month's entry. */
	[STMT_MAJOR_LIST] = "SELECT p.code, p.name, p.region_id, p.chain_id, p.amount_wan, p.stage,"
			    " p.started_on, p.producing_on, mp.planned_start_on, mp.planned_producing_on,"
			    " mp.planned_total_wan, g.invested_wan, g.cumulative_wan, g.entered_on"
			    " FROM projects p LEFT JOIN major_plans mp ON mp.project_id = p.id"
			    " LEFT JOIN project_progress g ON g.project_id = p.id AND g.month = ?1"
			    " WHERE p.major = 1 AND (p.terminated_on IS NULL OR p.terminated_on > ?2)"
			    " ORDER BY p.code",
	[STMT_PROBLEM_INSERT] = "INSERT INTO problems (project_id, category, grade, title, description,"
				" owner_department_id, owner_person, deadline, status, raised_by, raised_on,"
				" escalations, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
				" 'open', ?9, ?10, 0, ?11, ?11) RETURNING id",
	[STMT_PROBLEM_GET] = PROBLEM_COLUMNS " WHERE q.id = ?1",
	[STMT_PROBLEM_UPDATE] = "UPDATE problems SET grade = ?2, owner_department_id = ?3,"
				" owner_person = ?4, deadline = ?5, status = ?6, solved_on = ?7,"
				" escalations = ?8, updated_at = ?9 WHERE id = ?1",
	[STMT_PROBLEM_EVENT_ADD] = "INSERT INTO problem_events (problem_id, on_date, username, kind, text,"
				   " meeting_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_PROBLEM_EVENTS] = "SELECT e.on_date, e.username, e.kind, e.text, m.name FROM problem_events e"
				" LEFT JOIN dispatch_meetings m ON m.id = e.meeting_id WHERE e.problem_id = ?1"
				" ORDER BY e.id",
	[STMT_PROBLEMS_PAST_DEADLINE] = "SELECT id FROM problems WHERE status IN ('open', 'in_progress')"
					" AND deadline < ?1 AND grade <> 'province' ORDER BY id",
	[STMT_MEETING_ADD] = "INSERT INTO dispatch_meetings (name, held_on, chaired_by, created_at)"
			     " VALUES (?1, ?2, ?3, ?4) RETURNING id",
	[STMT_MEETINGS] = "SELECT m.id, m.name, m.held_on, m.chaired_by,"
			  " (SELECT count(*) FROM problem_events e WHERE e.meeting_id = m.id)"
			  " FROM dispatch_meetings m ORDER BY m.held_on DESC, m.id DESC",
	[STMT_MEETING_GET] = "SELECT m.id, m.name, m.held_on, m.chaired_by,"
			     " (SELECT count(*) FROM problem_events e WHERE e.meeting_id = m.id)"
			     " FROM dispatch_meetings m WHERE m.id = ?1",
	[STMT_MEETING_DECISIONS] = "SELECT e.problem_id, q.title, p.code, p.region_id, p.chain_id, e.text,"
				   " q.grade, q.status FROM problem_events e JOIN problems q ON q.id = e.problem_id"
				   " JOIN projects p ON p.id = q.project_id WHERE e.meeting_id = ?1 ORDER BY e.id",
	[STMT_NOTIFY] = "INSERT INTO notifications (username, item, title, body, created_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (username, item) DO NOTHING",
	[STMT_INBOX] = "SELECT id, item, title, body, created_at, read_at FROM notifications"
		       " WHERE username = ?1 ORDER BY id DESC LIMIT ?2",
	[STMT_INBOX_READ] = "UPDATE notifications SET read_at = ?3 WHERE id = ?1 AND username = ?2"
			    " RETURNING id",
	[STMT_INBOX_UNREAD] = "SELECT count(*) FROM notifications WHERE username = ?1 AND read_at IS NULL",
	[STMT_INBOX_READ_ALL] = "UPDATE notifications SET read_at = ?2 WHERE username = ?1 AND read_at IS NULL",
	[STMT_TARGET_ADD] = "INSERT INTO reminder_targets (kind, target, name) VALUES (?1, ?2, ?3)"
			    " RETURNING id",
	[STMT_TARGETS] = "SELECT id, kind, target, name, enabled FROM reminder_targets ORDER BY id",
	[STMT_DELIVERY_ADD] = "INSERT INTO deliveries (target_id, item, payload, status, next_at, created_at)"
			      " VALUES (?1, ?2, ?3, 'pending', ?4, ?5) ON CONFLICT (target_id, item) DO NOTHING",
	/* Pending and due, or claimed long ago by a server that never finished. */
	[STMT_DELIVERIES_DUE] = "SELECT d.id, t.kind, t.target, d.payload, d.attempts FROM deliveries d"
				" JOIN reminder_targets t ON t.id = d.target_id"
				" WHERE d.status IN ('pending', 'sending') AND d.next_at <= ?1 AND t.enabled = 1"
				" ORDER BY d.id LIMIT 200",
	[STMT_DELIVERY_CLAIM] = "UPDATE deliveries SET status = 'sending', next_at = ?3"
				" WHERE id = ?1 AND status IN ('pending', 'sending') AND next_at <= ?2 RETURNING id",
	[STMT_DELIVERY_DONE] = "UPDATE deliveries SET status = ?2, attempts = ?3, last_error = ?4,"
			       " next_at = ?5, sent_at = ?6 WHERE id = ?1",
	[STMT_DELIVERIES] = "SELECT d.id, t.kind, t.target, d.item, d.status, d.attempts, d.last_error,"
			    " d.sent_at, d.created_at FROM deliveries d JOIN reminder_targets t"
			    " ON t.id = d.target_id WHERE (CAST(?1 AS TEXT) IS NULL OR d.status = ?1)"
			    " ORDER BY d.id DESC LIMIT 500",
	[STMT_REGION_OPERATORS] = "SELECT username, region_id FROM users WHERE role = 'region'"
				  " AND disabled = 0 ORDER BY username",
	[STMT_ASSESSMENTS] = "SELECT month, published_at, published_by FROM assessments ORDER BY month DESC",
	[STMT_ORIGIN_PROVINCE] = "SELECT 0, investor_province, count(*), sum(amount_wan), 0"
				 " FROM projects WHERE signed_on >= ?1 AND signed_on <= ?2"
				 " AND (terminated_on IS NULL OR terminated_on > ?3) AND amount_pending = 0"
				 " GROUP BY investor_province",
	[STMT_ORIGIN_CITY] = "SELECT 0, investor_city, count(*), sum(amount_wan), 0"
			     " FROM projects WHERE signed_on >= ?1 AND signed_on <= ?2"
			     " AND (terminated_on IS NULL OR terminated_on > ?3) AND amount_pending = 0 AND investor_province = ?4"
			     " GROUP BY investor_city",
	[STMT_COMPANY_KEYS_MISSING] = "SELECT id, name FROM companies WHERE name_key IS NULL ORDER BY id",
	[STMT_COMPANY_KEY_SET] = "UPDATE companies SET name_key = ?2 WHERE id = ?1",
	[STMT_DUP_CANDIDATES] = "SELECT " DUP_COLUMNS " FROM companies co JOIN projects p"
				" ON p.investor_id = co.id WHERE co.name_key >= ?1 AND co.name_key < ?2"
				" AND p.id <> ?3 AND p.terminated_on IS NULL ORDER BY co.name_key, p.id"
				" LIMIT ?4",
	[STMT_DUP_ALL] = "SELECT " DUP_COLUMNS " FROM companies co JOIN projects p"
			 " ON p.investor_id = co.id WHERE co.name_key IS NOT NULL"
			 " AND p.terminated_on IS NULL ORDER BY co.name_key, p.id",
	[STMT_DUP_PAIR_PUT] = "INSERT INTO duplicate_pairs (a_id, b_id, score, reasons, found_at)"
			      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (a_id, b_id) DO UPDATE"
			      " SET score = excluded.score, reasons = excluded.reasons"
			      " WHERE duplicate_pairs.status = 'open'",
	[STMT_DUP_PAIRS_DROP] = "DELETE FROM duplicate_pairs WHERE status = 'open'"
				" AND (a_id = ?1 OR b_id = ?1)",
	[STMT_DUP_PAIRS_OPEN] = "SELECT d.a_id, d.b_id, a.code, b.code, d.score, d.reasons,"
				" a.region_id, a.chain_id, b.region_id, b.chain_id"
				" FROM duplicate_pairs d JOIN projects a ON a.id = d.a_id"
				" JOIN projects b ON b.id = d.b_id WHERE d.status = 'open'"
				" ORDER BY a.code, b.code",
	[STMT_DUP_PAIR_DISTINCT] = "UPDATE duplicate_pairs SET status = 'distinct', decided_by = ?3,"
				   " decided_at = ?4 WHERE a_id = ?1 AND b_id = ?2 AND status = 'open'"
				   " RETURNING a_id",
	/* A merge moves what hangs on the merged project (?2) to the kept one
	 * (?1): evidence, leads, visits, problems, its plan and the progress
	 * months the kept one lacks, and what was merged into it before. */
	[STMT_MERGE_EVIDENCE] = "UPDATE evidence SET project_id = ?1 WHERE project_id = ?2",
	[STMT_MERGE_LEADS] = "UPDATE leads SET project_id = ?1 WHERE project_id = ?2",
	[STMT_MERGE_VISITS] = "UPDATE trip_visits SET project_id = ?1 WHERE project_id = ?2",
	[STMT_MERGE_PROBLEMS] = "UPDATE problems SET project_id = ?1 WHERE project_id = ?2",
	[STMT_MERGE_PLAN] = "UPDATE major_plans SET project_id = ?1 WHERE project_id = ?2"
			    " AND NOT EXISTS (SELECT 1 FROM major_plans k WHERE k.project_id = ?1)",
	[STMT_MERGE_PLAN_DROP] = "DELETE FROM major_plans WHERE project_id = ?1",
	[STMT_MERGE_PROGRESS] = "UPDATE project_progress SET project_id = ?1 WHERE project_id = ?2"
				" AND month NOT IN (SELECT k.month FROM project_progress k"
				" WHERE k.project_id = ?1)",
	[STMT_MERGE_PROGRESS_DROP] = "DELETE FROM project_progress WHERE project_id = ?1",
	[STMT_MERGE_EARLIER] = "UPDATE project_merges SET kept_id = ?1 WHERE kept_id = ?2",
	[STMT_MERGE_INSERT] = "INSERT INTO project_merges (kept_id, merged_code, snapshot, merged_by,"
			      " merged_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_PROJECT_DELETE] = "DELETE FROM projects WHERE id = ?1",
	[STMT_MERGED_INTO] = "SELECT p.code FROM project_merges m JOIN projects p ON p.id = m.kept_id"
			     " WHERE m.merged_code = ?1",
	[STMT_VERIFY_ADD] = "INSERT INTO milestone_verifications (project_id, milestone, on_date, reference,"
			    " evidence_id, note, verified_by, verified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/* A verification changes the project's figures, not its record: the
	 * version stays (the data version moves with the commit). */
	[STMT_VERIFY_MASK_SET] = "UPDATE projects SET verified_mask = verified_mask | ?2 WHERE id = ?1",
	[STMT_VERIFY_MASK_CLEAR] = "UPDATE projects SET verified_mask = verified_mask - (verified_mask & ?2)"
				   " WHERE id = ?1",
	[STMT_VERIFY_WITHDRAW] = "UPDATE milestone_verifications SET withdrawn_by = ?3, withdrawn_at = ?4"
				 " WHERE project_id = ?1 AND milestone = ?2 AND withdrawn_at IS NULL",
	[STMT_VERIFICATIONS] = "SELECT milestone, on_date, reference, evidence_id, note, verified_by,"
			       " verified_at, withdrawn_by, withdrawn_at, id FROM milestone_verifications"
			       " WHERE project_id = ?1 ORDER BY id",
	[STMT_REFERRAL_PUT] = "INSERT INTO project_referrals (project_id, kind, ref_id, share, recorded_by,"
			      " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (project_id) DO UPDATE"
			      " SET kind = excluded.kind, ref_id = excluded.ref_id, share = excluded.share,"
			      " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
	[STMT_REFERRAL_DELETE] = "DELETE FROM project_referrals WHERE project_id = ?1 RETURNING project_id",
	[STMT_REFERRAL_GET] = "SELECT kind, ref_id, share, recorded_by, recorded_at FROM project_referrals"
			      " WHERE project_id = ?1",
	[STMT_INVESTOR_OTHERS_MAX] = "SELECT count(*), coalesce(max(o.amount_wan), 0) FROM projects p"
				     " JOIN projects o ON o.investor_id = p.investor_id AND o.id <> p.id"
				     " WHERE p.id = ?1 AND o.terminated_on IS NULL",
	[STMT_AMOUNT_FLAG] = "UPDATE projects SET amount_pending = ?2, amount_entered_by = ?3,"
			     " amount_confirmed_by = NULL WHERE id = ?1",
	/* ?1: the ids as a JSON array. */
	[STMT_AMOUNT_FLAGS] = "UPDATE projects SET amount_pending = ?2, amount_entered_by = ?3,"
			      " amount_confirmed_by = NULL WHERE id IN (SELECT value FROM json_each(?1))",
	[STMT_AMOUNT_CONFIRM] = "UPDATE projects SET amount_pending = 0, amount_confirmed_by = ?2"
				" WHERE id = ?1 AND amount_pending = 1 RETURNING id",
	/* The amounts of a bulk import's rows are checked in memory against
	 * these (projects_amounts_check()); row by row otherwise. */
	[STMT_AMOUNT_ROWS] = "SELECT id, investor_id, amount_wan, amount_pending FROM projects"
			     " WHERE terminated_on IS NULL ORDER BY id",
	/* The data-quality page: per county-level unit, projects with a reported
	 * milestone lacking its evidence; with a milestone reported on or before
	 * ?1 and not verified; in an open suspected duplicate pair; with an
	 * amount waiting for confirmation; and open leads idle since before ?2. */
	[STMT_QUALITY] =
		"SELECT 'evidence', p.county_id, count(*) FROM projects p WHERE p.terminated_on IS NULL AND ("
		" (p.registered_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM evidence e"
		" WHERE e.project_id = p.id AND e.milestone = 'registered')) OR"
		" (p.started_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM evidence e"
		" WHERE e.project_id = p.id AND e.milestone = 'started')) OR"
		" (p.included_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM evidence e"
		" WHERE e.project_id = p.id AND e.milestone = 'included')) OR"
		" (p.producing_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM evidence e"
		" WHERE e.project_id = p.id AND e.milestone = 'producing'))) GROUP BY p.county_id"
		" UNION ALL SELECT 'unverified', county_id, count(*) FROM projects WHERE terminated_on IS NULL"
		" AND ((registered_on <= ?1 AND (verified_mask & 2) = 0) OR (started_on <= ?1 AND"
		" (verified_mask & 4) = 0) OR (included_on <= ?1 AND (verified_mask & 8) = 0) OR"
		" (producing_on <= ?1 AND (verified_mask & 16) = 0)) GROUP BY county_id"
		" UNION ALL SELECT 'duplicates', p.county_id, count(DISTINCT p.id) FROM duplicate_pairs d"
		" JOIN projects p ON p.id = d.a_id OR p.id = d.b_id WHERE d.status = 'open'"
		" GROUP BY p.county_id"
		" UNION ALL SELECT 'amount_pending', county_id, count(*) FROM projects"
		" WHERE amount_pending = 1 GROUP BY county_id"
		" UNION ALL SELECT 'stale_leads', county_id, count(*) FROM leads"
		" WHERE stage IN ('new', 'following', 'negotiating') AND last_activity < ?2"
		" GROUP BY county_id",
	/* 首报首谈: the first open lead on a company reported since ?2. */
	[STMT_LEAD_CLAIM] = "SELECT county_id, reported_on FROM leads WHERE company_id = ?1"
			    " AND stage <> 'lost' AND reported_on >= ?2 ORDER BY reported_on, id LIMIT 1",
	[STMT_AMOUNT_ENTERED_BY] = "SELECT amount_entered_by FROM projects WHERE id = ?1",
	[STMT_MERGED_CODES] = "SELECT merged_code, merged_by, merged_at, snapshot FROM project_merges"
			      " WHERE kept_id = ?1 ORDER BY id",
};

/* The inserts of a bulk load a driver may copy in (see backend.h), each
 * column as its statement above gives it. */
const struct store_copy store_copy[] = {
	{STMT_COMPANY_ADD_ID,
	 "companies (id, name, credit_code, province, city, created_at, updated_at, name_key)", 8,
	 {6, 1, 2, 3, 4, 5, 5, 7}},
	{STMT_EVENT_ADD_ID, "events (id, name, type, city, held_on, created_at)", 6, {6, 1, 2, 3, 4, 5}},
	{STMT_PROJECT_INSERT_ID, "projects (id, " PROJECT_INSERT_COLUMNS ")", 32,
	 {29, 1, 2, 3, 4, 5, 6, STORE_COPY_COUNTY(6), 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	  20, 21, 22, 23, 24, 25, 26, 27, STORE_COPY_ONE, 28, 28}},
	{STMT_PROJECT_RULE_INSERT, "project_rules (project_id, rule_id, from_on, due, to_on, to_na)", 6,
	 {1, 2, 3, 4, 5, 6}},
	{STMT_AUDIT_INSERT, "audit_log (id, at, username, address, action, entity, entity_key,"
	 " old_value, new_value, prev_hash, hash)", 11, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
	{-1, NULL, 0, {0}},
};

/* ---- errors and plumbing ---- */

int store_fail(struct store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_reset(&s->err);
	buf_vaddf(&s->err, fmt, ap);
	va_end(ap);
	s->fault = FAULT_OTHER;
	s->uncertain = false;
	return -1;
}

const char *store_error(const struct store *s)
{
	return buf_cstr(&s->err);
}

bool store_unavailable(const struct store *s)
{
	return s->fault == FAULT_UNAVAILABLE;
}

bool store_conflict(const struct store *s)
{
	return s->fault == FAULT_UNIQUE;
}

const char *store_backend(const struct store *s)
{
	return s->ops->name;
}

/* The URL without its password, for messages. */
char *store_redact_url(const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
	if (!at || (slash && slash < at))
		return xstrdup(url);
	const char *colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3));
	if (!colon)
		return xstrdup(url);
	return xstrfmt("%.*s:***%s", (int)(colon - url), url, at);
}

static bool is_pg_url(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

int store_open(const char *url, bool create, struct store **out, char **err)
{
	if (is_pg_url(url))
		return store_pg_open(url, create, out, err);
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	if (!*path) {
		*err = xstrdup("数据库路径为空 (empty database path)");
		return -1;
	}
	return store_sqlite_open(path, create, out, err);
}

static void bulk_forget(struct store *s);

void store_close(struct store *s)
{
	if (s) {
		bulk_forget(s);
		s->ops->close(s);
	}
}

static const char *sql_of(struct store *s, enum stmt i)
{
	const char *d = s->ops->dialect_sql ? s->ops->dialect_sql[i] : NULL;
	return d ? d : store_sql[i];
}

static int run(struct store *s, enum stmt i, const struct sparam *p, int np, store_row_fn row,
	       void *ctx)
{
	return s->ops->query(s, (int)i, sql_of(s, i), p, np, row, ctx);
}

#define RUN(s, i, row, ctx, ...)                                                         \
	run(s, i, (const struct sparam[]){__VA_ARGS__},                                   \
	    (int)(sizeof((const struct sparam[]){__VA_ARGS__}) / sizeof(struct sparam)), row, \
	    ctx)

#define PT(v) ((struct sparam){SP_TEXT, (v), 0})
#define PI(v) ((struct sparam){SP_INT, NULL, (int64_t)(v)})
#define PD(v) ((struct sparam){SP_DATE, NULL, (int64_t)(v)})
/* Text where "" means NULL; an id where 0 means NULL. */
#define PTN(v) ((v) && *(v) ? PT(v) : (struct sparam){SP_NULL, NULL, 0})
#define PID(v) ((v) ? PI(v) : (struct sparam){SP_NULL, NULL, 0})

static const char *col_text(struct store *s, int i)
{
	return s->ops->col_text(s, i);
}

static int64_t col_int(struct store *s, int i)
{
	return s->ops->col_int(s, i);
}

static char *col_str(struct store *s, int i)
{
	const char *t = col_text(s, i);
	return t ? xstrdup(t) : NULL;
}

static int32_t col_date(struct store *s, int i)
{
	const char *t = col_text(s, i);
	int32_t d;
	if (!t || date_parse_iso(t, &d) != 0)
		return DATE_NONE;
	return d;
}

/* Row callbacks that keep the first row's first column(s). */
static int first_int(void *ctx, struct store *s)
{
	*(int64_t *)ctx = col_int(s, 0);
	return 1;
}

static int first_str(void *ctx, struct store *s)
{
	*(char **)ctx = col_str(s, 0);
	return 1;
}

struct id_flag {
	int64_t id, flag;
	bool found;
};

static int first_id_flag(void *ctx, struct store *s)
{
	struct id_flag *f = ctx;
	f->id = col_int(s, 0);
	f->flag = col_int(s, 1);
	f->found = true;
	return 1;
}

/* ---- transactions, migrations, backup ---- */

int store_begin(struct store *s)
{
	s->uncertain = false;
	s->audit.known = s->audit.dirty = false;
	memset(s->raised, 0, sizeof(s->raised));
	if (s->ops->begin(s) != 0)
		return -1;
	s->tx = true;
	return 0;
}

static void (*version_hook)(enum store_version which, int64_t value);

void store_set_version_hook(void (*fn)(enum store_version which, int64_t value))
{
	version_hook = fn;
}

/* A listening process that has not announced a version a commit raised
 * within this time is not waited for any longer. */
#define AWAIT_LISTENERS_MS 1000

/* The versions raised, once their transaction committed: this process's
 * hook, then the other listening processes. */
static void versions_committed(struct store *s)
{
	bool any = false;
	for (int i = 0; i < STORE_VERSION__MAX; i++) {
		if (s->raised[i] && version_hook)
			version_hook((enum store_version)i, s->raised[i]);
		any = any || s->raised[i];
	}
	if (any && s->ops->await_listeners)
		s->ops->await_listeners(s, s->raised, AWAIT_LISTENERS_MS);
	memset(s->raised, 0, sizeof(s->raised));
}

/* Raises a version within the transaction (or alone, outside one). */
static int version_raise(struct store *s, enum store_version which)
{
	int64_t v = 0;
	if (run(s, which == STORE_VERSION_DATA ? STMT_VERSION_BUMP : STMT_SESSION_VERSION_BUMP, NULL, 0,
		first_int, &v) != 0)
		return -1;
	s->raised[which] = v;
	if (!s->tx)
		versions_committed(s);
	return 0;
}

static int versions_row(void *ctx, struct store *s)
{
	int64_t *v = ctx;
	v[STORE_VERSION_DATA] = col_int(s, 0);
	v[STORE_VERSION_SESSION] = col_int(s, 1);
	return 1;
}

int store_versions(struct store *s, int64_t v[STORE_VERSION__MAX])
{
	v[0] = v[1] = 0;
	return run(s, STMT_VERSIONS, NULL, 0, versions_row, v);
}

int store_listen(struct store *s)
{
	return s->ops->listen ? s->ops->listen(s) : 1;
}

int store_notifications(struct store *s, int wake_fd, int timeout_ms,
			void (*fn)(void *ctx, enum store_version which, int64_t value), void *ctx)
{
	return s->ops->notifications(s, wake_fd, timeout_ms, fn, ctx);
}

int store_announce(struct store *s, const int64_t v[STORE_VERSION__MAX])
{
	return s->ops->announce(s, v);
}

/* Writes the audit head kept during the transaction. */
static int audit_head_flush(struct store *s)
{
	if (!s->audit.dirty)
		return 0;
	char head[96];
	snprintf(head, sizeof(head), "%lld %s", (long long)s->audit.id, s->audit.hash);
	s->audit.dirty = false;
	return store_meta_set(s, "audit_head", head);
}

/* Commits; the versions raised are given to the hook once it took effect. */
static int commit(struct store *s, bool raise_data)
{
	bulk_forget(s);
	s->uncertain = false;
	int rc = audit_head_flush(s) != 0 || (raise_data && version_raise(s, STORE_VERSION_DATA) != 0)
			 ? -1
			 : s->ops->commit(s);
	s->audit.known = false;
	s->tx = false;
	if (rc == 0)
		versions_committed(s);
	memset(s->raised, 0, sizeof(s->raised));
	return rc;
}

int store_commit(struct store *s)
{
	return commit(s, true);
}

int store_commit_quiet(struct store *s)
{
	return commit(s, false);
}

bool store_uncertain(const struct store *s)
{
	return s->uncertain;
}

void store_rollback(struct store *s)
{
	bulk_forget(s);
	s->audit.known = s->audit.dirty = false;
	s->tx = false;
	memset(s->raised, 0, sizeof(s->raised));
	s->ops->rollback(s);
}

int store_schema_version(struct store *s, int *version)
{
	return s->ops->schema_version(s, version);
}

int store_migrate(struct store *s, int *applied)
{
	int n = 0, latest = 0, current = 0;
	const char *dir = s->ops->migrations;
	size_t dl = strlen(dir);
	for (const struct embedded_file *f = embedded_files; f->path; f++)
		if (strncmp(f->path, dir, dl) == 0 && atoi(f->path + dl) > latest)
			latest = atoi(f->path + dl);
	/* Up to date: no write transaction at all (a hot standby, read-only,
	 * serves reports). */
	if (s->ops->schema_version(s, &current) != 0)
		return -1;
	if (applied)
		*applied = 0;
	if (current >= latest)
		return 0;
	/* Embedded files are sorted by path, so migrations come in order. Each
	 * runs in its own write transaction, and the version is read inside it:
	 * two processes starting at once apply each migration once. */
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, dir, dl) != 0)
			continue;
		const char *name = f->path + dl;
		int version = atoi(name);
		if (s->ops->begin(s) != 0)
			return -1;
		if (s->ops->exec(s, s->ops->migrations_ddl) != 0 ||
		    s->ops->schema_version(s, &current) != 0)
			goto fail;
		if (version <= current) {
			s->ops->rollback(s);
			continue;
		}
		if (s->ops->exec(s, (const char *)f->data) != 0) {
			char *m = xstrdup(store_error(s));
			s->ops->rollback(s);
			store_fail(s, "migration %s: %s", name, m);
			free(m);
			return -1;
		}
		if (s->ops->query(s, STORE_DYNAMIC,
				  "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
				  (const struct sparam[]){PI(version), PT(name)}, 2, NULL, NULL) != 0 ||
		    s->ops->commit(s) != 0)
			goto fail;
		n++;
	}
	if (applied)
		*applied = n;
	return 0;
fail:
	s->ops->rollback(s);
	return -1;
}

int store_backup(struct store *s, const char *path)
{
	return s->ops->backup(s, path);
}

int store_restore(struct store *s, const char *path)
{
	return s->ops->restore(s, path);
}

int store_bulk_begin(struct store *s)
{
	if (s->ops->bulk_begin(s) != 0)
		return -1;
	s->bulk.on = true;
	return 0;
}

int store_bulk_end(struct store *s)
{
	return s->ops->bulk_end(s);
}

void store_bulk_company_key(struct store *s, char *(*key)(const char *name))
{
	s->bulk.company_key = key;
}

int store_exclusive_begin(struct store *s)
{
	return s->ops->exclusive_begin ? s->ops->exclusive_begin(s) : 0;
}

void store_exclusive_end(struct store *s)
{
	if (s->ops->exclusive_end)
		s->ops->exclusive_end(s);
}

/* ---- meta ---- */

int store_meta_get(struct store *s, const char *key, char **value)
{
	*value = NULL;
	return RUN(s, STMT_META_GET, first_str, value, PT(key));
}

int store_meta_set(struct store *s, const char *key, const char *value)
{
	return RUN(s, STMT_META_SET, NULL, NULL, PT(key), PT(value));
}

int store_data_version(struct store *s, int64_t *version)
{
	char *v;
	if (store_meta_get(s, "data_version", &v) != 0)
		return -1;
	*version = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	return 0;
}

/* ---- reference data ---- */

static int region_row(void *ctx, struct store *s)
{
	struct refdata *rd = ctx;
	rd->regions = xrealloc(rd->regions, (size_t)(rd->nregions + 1) * sizeof(*rd->regions));
	struct region *r = &rd->regions[rd->nregions++];
	r->id = col_int(s, 0);
	r->parent_id = col_int(s, 1);
	r->name = col_str(s, 2);
	r->code = col_str(s, 3);
	r->level = col_str(s, 4);
	r->county_id = col_int(s, 5);
	r->assessed = col_int(s, 6) != 0;
	r->sort_order = (int)col_int(s, 7);
	r->path = NULL;
	return 0;
}

/* Appends the subtree of parent (children already in sibling order) to out
 * in tree order, with each region's path. */
static void regions_walk(struct region *in, int n, int64_t parent, const char *prefix,
			 struct region *out, int *k)
{
	for (int i = 0; i < n; i++) {
		if (in[i].parent_id != parent || !in[i].name)
			continue;
		struct region r = in[i];
		in[i].name = NULL; /* taken */
		r.path = prefix ? xstrfmt("%s/%s", prefix, r.name) : xstrdup(r.name);
		out[(*k)++] = r;
		regions_walk(in, n, r.id, r.path, out, k);
	}
}

/* Puts the regions (read by sort_order, id) in tree order: parents first,
 * siblings by sort_order. */
static void regions_tree(struct refdata *rd)
{
	struct region *out = xcalloc((size_t)rd->nregions + 1, sizeof(*out));
	int k = 0;
	regions_walk(rd->regions, rd->nregions, 0, NULL, out, &k);
	for (int i = 0; i < rd->nregions; i++)
		if (rd->regions[i].name) { /* unreachable from a root: not shown */
			free(rd->regions[i].name);
			free(rd->regions[i].code);
			free(rd->regions[i].level);
		}
	free(rd->regions);
	rd->regions = out;
	rd->nregions = k;
}

struct named_list {
	struct named **out;
	int *n;
};

static int named_row(void *ctx, struct store *s)
{
	struct named_list *l = ctx;
	*l->out = xrealloc(*l->out, (size_t)(*l->n + 1) * sizeof(**l->out));
	struct named *e = &(*l->out)[(*l->n)++];
	e->id = col_int(s, 0);
	e->name = col_str(s, 1);
	e->category = col_str(s, 2);
	e->leader = col_str(s, 3);
	e->sort_order = (int)col_int(s, 4);
	return 0;
}

static int load_named(struct store *s, enum stmt i, struct named **out, int *n)
{
	*out = NULL;
	*n = 0;
	struct named_list l = {out, n};
	return run(s, i, NULL, 0, named_row, &l);
}

static int rule_row(void *ctx, struct store *s)
{
	struct refdata *rd = ctx;
	int from = milestone_find(col_text(s, 3));
	int to = milestone_find(col_text(s, 4));
	if (from < 0 || to < 0)
		return 0;
	rd->rules = xrealloc(rd->rules, (size_t)(rd->nrules + 1) * sizeof(*rd->rules));
	struct rule *r = &rd->rules[rd->nrules++];
	memset(r, 0, sizeof(*r));
	r->id = col_int(s, 0);
	snprintf(r->key, sizeof(r->key), "%s", col_text(s, 1));
	snprintf(r->name, sizeof(r->name), "%s", col_text(s, 2));
	r->from = (enum milestone)from;
	r->to = (enum milestone)to;
	r->months = (int)col_int(s, 5);
	return 0;
}

int store_refdata_load(struct store *s, struct refdata *rd)
{
	memset(rd, 0, sizeof(*rd));
	char *v = NULL, *basis = NULL, *above = NULL, *factor = NULL, *claim = NULL;
	if (run(s, STMT_REGIONS, NULL, 0, region_row, rd) != 0)
		goto fail;
	regions_tree(rd);
	if (load_named(s, STMT_DEPARTMENTS, &rd->departments, &rd->ndepartments) != 0 ||
	    load_named(s, STMT_CHAINS, &rd->chains, &rd->nchains) != 0 ||
	    load_named(s, STMT_CHANNELS, &rd->channels, &rd->nchannels) != 0 ||
	    run(s, STMT_RULES, NULL, 0, rule_row, rd) != 0 ||
	    store_meta_get(s, "home_province", &rd->home_province) != 0 ||
	    store_meta_get(s, "due_soon_days", &v) != 0 ||
	    store_meta_get(s, "figures.verified_basis", &basis) != 0 ||
	    store_meta_get(s, "amounts.confirm_above_yi", &above) != 0 ||
	    store_meta_get(s, "amounts.confirm_factor", &factor) != 0 ||
	    store_meta_get(s, "leads.claim_days", &claim) != 0)
		goto fail;
	rd->due_soon_days = v ? atoi(v) : 15;
	rd->verified_basis = basis && atoi(basis) == 1;
	rd->confirm_above_wan = (above ? atoll(above) : 50) * 10000;
	rd->confirm_factor = factor ? atoi(factor) : 5;
	rd->claim_days = claim ? atoi(claim) : 180;
	free(v);
	free(basis);
	free(above);
	free(factor);
	free(claim);
	if (!rd->home_province)
		rd->home_province = xstrdup("");
	return 0;
fail:
	free(v);
	free(basis);
	free(above);
	free(factor);
	free(claim);
	refdata_release(rd);
	return -1;
}

static void named_release(struct named *n, int count)
{
	for (int i = 0; i < count; i++) {
		free(n[i].name);
		free(n[i].category);
		free(n[i].leader);
	}
	free(n);
}

void refdata_release(struct refdata *rd)
{
	for (int i = 0; i < rd->nregions; i++) {
		free(rd->regions[i].name);
		free(rd->regions[i].code);
		free(rd->regions[i].level);
		free(rd->regions[i].path);
	}
	free(rd->regions);
	named_release(rd->departments, rd->ndepartments);
	named_release(rd->chains, rd->nchains);
	named_release(rd->channels, rd->nchannels);
	free(rd->rules);
	free(rd->home_province);
	memset(rd, 0, sizeof(*rd));
}

int store_region_add(struct store *s, int64_t parent_id, const char *name, const char *code,
		     const char *level, bool assessed, int sort_order, int64_t *id)
{
	*id = 0;
	if (RUN(s, STMT_REGION_ADD, first_int, id, PID(parent_id), PTN(name), PTN(code), PTN(level),
		PI(assessed), PI(sort_order)) != 0)
		return -1;
	if (strcmp(level, "county") == 0)
		return RUN(s, STMT_REGION_COUNTY_SELF, NULL, NULL, PI(*id));
	return 0;
}

int store_department_add(struct store *s, const char *name, int sort_order)
{
	return RUN(s, STMT_DEPARTMENT_ADD, NULL, NULL, PTN(name), PI(sort_order));
}

int store_chain_add(struct store *s, const char *name, const char *category, const char *leader,
		    const char *task_force, int sort_order)
{
	return RUN(s, STMT_CHAIN_ADD, NULL, NULL, PTN(name), PTN(category), PTN(leader),
		   PTN(task_force), PI(sort_order));
}

int store_channel_add(struct store *s, const char *name, int sort_order)
{
	return RUN(s, STMT_CHANNEL_ADD, NULL, NULL, PTN(name), PI(sort_order));
}

int store_rule_add(struct store *s, const struct rule *r, int sort_order)
{
	return RUN(s, STMT_RULE_ADD, NULL, NULL, PTN(r->key), PTN(r->name),
		   PT(milestone_key(r->from)), PT(milestone_key(r->to)), PI(r->months),
		   PI(sort_order));
}

static void utc_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Looks up one id (and a flag) by one text key: 0 found, 1 not found, -1
 * error. */
static int find_id(struct store *s, enum stmt i, const char *key, struct id_flag *f)
{
	memset(f, 0, sizeof(*f));
	if (RUN(s, i, first_id_flag, f, PT(key)) != 0)
		return -1;
	return f->found ? 0 : 1;
}

/* ---- a bulk load's memory (struct store's bulk) ---- */

/* Reserved ids come in blocks of this many. */
#define BULK_ID_BLOCK 1000

static int id_block_row(void *ctx, struct store *s)
{
	struct store_id_block *b = ctx;
	b->id[b->n++] = col_int(s, 0);
	return b->n == BULK_ID_BLOCK;
}

/* The next id of table reserved for a bulk load (ops->reserve_ids). */
static int bulk_id(struct store *s, struct store_id_block *b, const char *table, int64_t *id)
{
	if (b->next == b->n) {
		if (!b->id)
			b->id = xmalloc(BULK_ID_BLOCK * sizeof(int64_t));
		b->n = b->next = 0;
		char *sql = xstrfmt(s->ops->reserve_ids, table);
		struct sparam n = PI(BULK_ID_BLOCK);
		int rc = s->ops->query(s, STORE_DYNAMIC_IDS, sql, &n, 1, id_block_row, b);
		free(sql);
		if (rc != 0)
			return -1;
		if (!b->n)
			return store_fail(s, "no %s id reserved", table);
	}
	*id = b->id[b->next++];
	return 0;
}

static void bulk_forget(struct store *s)
{
	s->bulk.on = s->bulk.companies_read = false;
	free(s->bulk.project_ids.id);
	free(s->bulk.company_ids.id);
	free(s->bulk.event_ids.id);
	free(s->bulk.co);
	strmap_release(&s->bulk.co_name);
	strmap_release(&s->bulk.co_code);
	strmap_release(&s->bulk.events);
	memset(&s->bulk, 0, sizeof(s->bulk));
}

static int event_mirror_row(void *ctx, struct store *s)
{
	(void)ctx;
	strmap_add(&s->bulk.events, col_text(s, 1), col_int(s, 0), NULL);
	return 0;
}

int store_event_ensure(struct store *s, const char *name, const char *type, const char *city,
		       const char *held_on, int64_t *id, bool *created)
{
	bool bulk = s->bulk.on && name;
	/* A bulk load reads the events once (names are unique): one it does
	 * not know is not in the table. */
	if (bulk && !s->bulk.events_read) {
		if (run(s, STMT_EVENTS_MIRROR, NULL, 0, event_mirror_row, NULL) != 0)
			return -1;
		s->bulk.events_read = true;
	}
	if (bulk && strmap_get(&s->bulk.events, name, id)) {
		if (created)
			*created = false;
		return 0;
	}
	struct id_flag f = {0};
	int rc = bulk ? 1 : find_id(s, STMT_EVENT_FIND, name, &f);
	*id = f.id;
	if (created)
		*created = rc == 1;
	if (rc == 1) {
		char now[21];
		utc_now(now);
		if (bulk && s->ops->reserve_ids)
			/* The id known before, nothing waits on the insert. */
			rc = bulk_id(s, &s->bulk.event_ids, "events", id) != 0
				     ? -1
				     : RUN(s, STMT_EVENT_ADD_ID, NULL, NULL, PTN(name), PTN(type),
					   PTN(city), PTN(held_on), PT(now), PI(*id));
		else
			rc = RUN(s, STMT_EVENT_ADD, first_int, id, PTN(name), PTN(type), PTN(city),
				 PTN(held_on), PT(now));
	}
	if (rc == 0 && s->bulk.on && name)
		strmap_add(&s->bulk.events, name, *id, NULL);
	return rc;
}

/* The company mirror's index of a new entry. */
static int64_t mirror_add(struct store *s, int64_t id, const char *name, const char *code,
			  bool province, bool city)
{
	ARRAY_GROW(s->bulk.co, s->bulk.nco, s->bulk.capco);
	int64_t ix = (int64_t)s->bulk.nco++;
	s->bulk.co[ix] = (struct store_bulk_company){id, code != NULL, province, city};
	strmap_add(&s->bulk.co_name, name, ix, NULL);
	if (code)
		strmap_add(&s->bulk.co_code, code, ix, NULL);
	return ix;
}

static int mirror_row(void *ctx, struct store *s)
{
	(void)ctx;
	mirror_add(s, col_int(s, 0), col_text(s, 1), col_text(s, 2), col_int(s, 3) != 0,
		   col_int(s, 4) != 0);
	return 0;
}

/* store_company_ensure() of a bulk load, against a mirror of the table
 * read once: what to find and whether it lacks a field (the statements'
 * answers) from memory, the writes without waiting on them where the
 * driver reserves ids. The same answers and the same rows as asking. */
static int mirror_ensure(struct store *s, const char *name, const char *credit_code,
			 const char *province, const char *city, int64_t *id, bool *created)
{
	if (!s->bulk.companies_read) {
		if (run(s, STMT_COMPANIES_MIRROR, NULL, 0, mirror_row, NULL) != 0)
			return -1;
		s->bulk.companies_read = true;
	}
	bool code = credit_code && *credit_code, prov = province && *province, ci = city && *city;
	int64_t ix;
	if ((code && strmap_get(&s->bulk.co_code, credit_code, &ix)) ||
	    strmap_get(&s->bulk.co_name, name, &ix)) {
		struct store_bulk_company *c = &s->bulk.co[ix];
		*id = c->id;
		if (created)
			*created = false;
		/* The fill writes what the company lacks and the input gives. */
		if (!((!c->code && code) || (!c->province && prov) || (!c->city && ci)))
			return 0;
		if (RUN(s, STMT_COMPANY_FILL, NULL, NULL, PI(c->id), PTN(credit_code), PTN(province),
			PTN(city)) != 0)
			return -1;
		if (!c->code && code) {
			c->code = true;
			strmap_add(&s->bulk.co_code, credit_code, ix, NULL);
		}
		c->province |= prov;
		c->city |= ci;
		return 0;
	}
	char now[21];
	utc_now(now);
	char *key = s->bulk.company_key ? s->bulk.company_key(name) : NULL;
	int rc;
	if (s->ops->reserve_ids)
		/* The id known before, nothing waits on the insert. */
		rc = bulk_id(s, &s->bulk.company_ids, "companies", id) != 0
			     ? -1
			     : RUN(s, STMT_COMPANY_ADD_ID, NULL, NULL, PTN(name), PTN(credit_code),
				   PTN(province), PTN(city), PT(now), PI(*id), PT(key));
	else
		rc = RUN(s, STMT_COMPANY_ADD, first_int, id, PTN(name), PTN(credit_code),
			 PTN(province), PTN(city), PT(now), PT(key));
	free(key);
	if (rc != 0)
		return -1;
	if (created)
		*created = true;
	mirror_add(s, *id, name, code ? credit_code : NULL, prov, ci);
	return 0;
}

static int company_ensure(struct store *s, const char *name, const char *credit_code,
			  const char *province, const char *city, int64_t *id, bool *created);

int store_company_ensure(struct store *s, const char *name, const char *credit_code,
			 const char *province, const char *city, int64_t *id, bool *created)
{
	if (s->bulk.on && name && *name)
		return mirror_ensure(s, name, credit_code, province, city, id, created);
	return company_ensure(s, name, credit_code, province, city, id, created);
}

static int company_ensure(struct store *s, const char *name, const char *credit_code,
			  const char *province, const char *city, int64_t *id, bool *created)
{
	struct id_flag f = {0};
	int rc = 1;
	if (credit_code && *credit_code)
		rc = find_id(s, STMT_COMPANY_FIND_CODE, credit_code, &f);
	if (rc == 1)
		rc = find_id(s, STMT_COMPANY_FIND_NAME, name, &f);
	if (rc < 0)
		return -1;
	*id = f.id;
	if (created)
		*created = rc == 1;
	if (rc == 0 && !f.flag)
		return 0;
	if (rc == 0)
		return RUN(s, STMT_COMPANY_FILL, NULL, NULL, PI(f.id), PTN(credit_code),
			   PTN(province), PTN(city));
	char now[21];
	utc_now(now);
	return RUN(s, STMT_COMPANY_ADD, first_int, id, PTN(name), PTN(credit_code), PTN(province),
		   PTN(city), PT(now), PT(NULL));
}

/* ---- projects ---- */

static void project_from_row(struct store *s, struct project *p)
{
	project_clear(p);
	p->id = col_int(s, 0);
	p->code = col_str(s, 1);
	p->name = col_str(s, 2);
	p->investor = col_str(s, 3);
	p->investor_credit_code = col_str(s, 4);
	p->investor_province = col_str(s, 5);
	p->investor_city = col_str(s, 6);
	p->region_id = col_int(s, 7);
	p->region = col_str(s, 8);
	p->county_id = col_int(s, 9);
	p->county = col_str(s, 10);
	p->chain_id = col_int(s, 11);
	p->chain = col_str(s, 12);
	p->amount_wan = col_int(s, 13);
	p->channel_id = col_int(s, 14);
	p->channel = col_str(s, 15);
	p->event_id = col_int(s, 16);
	p->event = col_str(s, 17);
	p->foreign_oriented = col_int(s, 18) != 0;
	p->major = col_int(s, 19) != 0;
	p->responsible = col_str(s, 20);
	p->ms[MS_SIGNED] = col_date(s, 21);
	for (int m = MS_REGISTERED; m < MS__COUNT; m++) {
		int c = 22 + 2 * (m - MS_REGISTERED);
		p->ms[m] = col_date(s, c);
		p->na[m] = col_int(s, c + 1) != 0;
	}
	p->na_reason = col_str(s, 30);
	p->terminated_on = col_date(s, 31);
	p->terminated_reason = col_str(s, 32);
	p->notes = col_str(s, 33);
	p->version = col_int(s, 34);
	p->created_at = col_str(s, 35);
	p->updated_at = col_str(s, 36);
	p->verified_mask = (unsigned)col_int(s, 37);
	p->amount_pending = col_int(s, 38) != 0;
}

static int project_one(void *ctx, struct store *s)
{
	project_from_row(s, ctx);
	return 1;
}

int store_project_get(struct store *s, const char *code, struct project *p)
{
	p->id = 0;
	project_clear(p);
	if (RUN(s, STMT_PROJECT_GET, project_one, p, PT(code)) != 0)
		return -1;
	return p->id ? 0 : 1;
}

/* Writes the rule dues of a project; fresh: it has none yet. */
static int save_rules(struct store *s, int64_t project_id, const int32_t ms[MS__COUNT],
		      const bool na[MS__COUNT], const struct rule *rules, int nrules, bool fresh)
{
	if (!fresh && RUN(s, STMT_PROJECT_RULES_DELETE, NULL, NULL, PI(project_id)) != 0)
		return -1;
	for (int i = 0; i < nrules; i++) {
		const struct rule *r = &rules[i];
		if (na[r->from] || ms[r->from] == DATE_NONE)
			continue;
		if (RUN(s, STMT_PROJECT_RULE_INSERT, NULL, NULL, PI(project_id), PI(r->id),
			PD(ms[r->from]), PD(date_add_months(ms[r->from], r->months)), PD(ms[r->to]),
			PI(na[r->to])) != 0)
			return -1;
	}
	return 0;
}

int store_project_save(struct store *s, struct project *p, int64_t investor_id,
		       const struct rule *rules, int nrules, const char *now)
{
	bool insert = p->id == 0;
	struct sparam v[30];
	int i = 0;
	v[i++] = PTN(p->code);
	v[i++] = PTN(p->name);
	v[i++] = PI(investor_id);
	v[i++] = PTN(p->investor_province);
	v[i++] = PTN(p->investor_city);
	v[i++] = PI(p->region_id);
	v[i++] = PID(p->chain_id);
	v[i++] = PI(p->amount_wan);
	v[i++] = PID(p->channel_id);
	v[i++] = PID(p->event_id);
	v[i++] = PI(p->foreign_oriented);
	v[i++] = PI(p->major);
	v[i++] = PTN(p->responsible);
	v[i++] = PD(p->ms[MS_SIGNED]);
	for (int m = MS_REGISTERED; m < MS__COUNT; m++) {
		v[i++] = PD(p->ms[m]);
		v[i++] = PI(p->na[m]);
	}
	v[i++] = PTN(p->na_reason);
	v[i++] = PD(p->terminated_on);
	v[i++] = PTN(p->terminated_reason);
	v[i++] = PTN(project_stage(p));
	v[i++] = PTN(p->notes);
	v[i++] = PTN(now);
	if (!insert)
		v[i++] = PI(p->id);
	int64_t id = p->id;
	enum stmt stmt = insert ? STMT_PROJECT_INSERT : STMT_PROJECT_UPDATE;
	if (insert && s->bulk.on && s->ops->reserve_ids) {
		/* A bulk load: the id is known before, so nothing waits on the
		 * insert. */
		if (bulk_id(s, &s->bulk.project_ids, "projects", &id) != 0)
			return -1;
		v[i++] = PI(id);
		stmt = STMT_PROJECT_INSERT_ID;
	}
	if (run(s, stmt, v, i, stmt == STMT_PROJECT_INSERT ? first_int : NULL, &id) != 0) {
		if (s->fault == FAULT_UNIQUE) {
			store_fail(s, "项目编号 %s 已存在", p->code);
			s->fault = FAULT_UNIQUE;
		}
		return -1;
	}
	if (insert) {
		p->id = id;
		p->version = 1;
	} else {
		p->version++;
	}
	return save_rules(s, p->id, p->ms, p->na, rules, nrules, insert);
}

int store_project_count(struct store *s, int64_t *n)
{
	*n = 0;
	return run(s, STMT_PROJECT_COUNT, NULL, 0, first_int, n);
}

/* ---- the project list ---- */

static const char *const sort_column[] = {
	[SORT_SIGNED_ON] = "p.signed_on",
	[SORT_AMOUNT] = "p.amount_wan",
	[SORT_CODE] = "p.code",
	[SORT_UPDATED] = "p.updated_at",
};

char *project_sort_value(const struct project *p, enum project_sort sort)
{
	char t[32];
	switch (sort) {
	case SORT_SIGNED_ON:
		date_format(p->ms[MS_SIGNED], t);
		return xstrdup(t);
	case SORT_AMOUNT:
		snprintf(t, sizeof(t), "%lld", (long long)p->amount_wan);
		return xstrdup(t);
	case SORT_CODE:
		return xstrdup(p->code);
	case SORT_UPDATED:
		return xstrdup(p->updated_at ? p->updated_at : "");
	}
	return xstrdup("");
}

/* The rule-state condition on project_rules pr for "today" :T and the last
 * due-soon day :W. */
static const char *const state_cond[RS__COUNT] = {
	[RS_EXEMPT] = "pr.to_na = 1",
	[RS_DONE] = "pr.to_on IS NOT NULL AND pr.to_on <= :T AND pr.to_on <= pr.due",
	[RS_LATE_DONE] = "pr.to_on IS NOT NULL AND pr.to_on <= :T AND pr.to_on > pr.due",
	[RS_OVERDUE] = "pr.to_na = 0 AND (pr.to_on IS NULL OR pr.to_on > :T) AND pr.due < :T",
	[RS_DUE_SOON] = "pr.to_na = 0 AND (pr.to_on IS NULL OR pr.to_on > :T) AND pr.due >= :T"
			" AND pr.due <= :W",
	[RS_PENDING] = "pr.to_na = 0 AND (pr.to_on IS NULL OR pr.to_on > :T) AND pr.due > :W",
};

/* A statement being assembled: fragments whose ":X" markers become "?N",
 * with the value of X bound to N. */
struct qb {
	struct buf sql;
	struct sparam p[40];
	int np;
	struct sparam named[26]; /* by letter: :A .. :Z */
	struct buf like; /* the LIKE pattern's storage */
};

static void qb_add(struct qb *b, const char *frag)
{
	for (const char *c = frag; *c; c++) {
		if (*c == ':' && c[1] >= 'A' && c[1] <= 'Z' && b->np < 40) {
			b->p[b->np++] = b->named[c[1] - 'A'];
			buf_addf(&b->sql, "?%d", b->np);
			c++;
		} else {
			buf_addc(&b->sql, *c);
		}
	}
}

/* The LIKE pattern "%q%" with q's wildcards escaped (kept in b->like). */
static struct sparam qb_like(struct qb *b, const char *q)
{
	buf_addc(&b->like, '%');
	for (const char *c = q; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			buf_addc(&b->like, '\\');
		buf_addc(&b->like, *c);
	}
	buf_addc(&b->like, '%');
	return PT(buf_cstr(&b->like));
}

static void qb_init(struct qb *b, const struct project_filter *f)
{
	memset(b, 0, sizeof(*b));
	struct sparam *n = b->named;
	n['R' - 'A'] = PI(f->region_id);
	n['C' - 'A'] = PI(f->chain_id);
	n['V' - 'A'] = PI(f->investor_id);
	n['S' - 'A'] = PT(f->stage);
	n['Y' - 'A'] = PD(date_from_ymd(f->year, 1, 1));
	n['Z' - 'A'] = PD(date_from_ymd(f->year, 12, 31));
	n['A' - 'A'] = PI(f->amount_min);
	n['B' - 'A'] = PI(f->amount_max);
	if (f->q)
		n['Q' - 'A'] = qb_like(b, f->q);
	n['T' - 'A'] = PD(f->today);
	n['W' - 'A'] = PD(date_add_days(f->today, f->window));
	if (f->after_value)
		n['K' - 'A'] = f->sort == SORT_AMOUNT ? PI(strtoll(f->after_value, NULL, 10))
						      : PT(f->after_value);
	n['I' - 'A'] = PI(f->after_id);
	n['L' - 'A'] = PI(f->limit);
}

static void qb_release(struct qb *b)
{
	buf_release(&b->sql);
	buf_release(&b->like);
}

/* Appends the WHERE clause of a filter (constant fragments only). */
/* Which part of the rows after the cursor a statement asks for. */
enum keyset_part {
	KEYSET_NONE,  /* no cursor, or a count */
	KEYSET_WHOLE, /* (sort, id) after (K, I), in one condition */
	KEYSET_TIES,  /* sort = K and id after I */
	KEYSET_REST,  /* sort after K */
};

static void list_where(struct store *s, struct qb *b, const struct project_filter *f,
		       enum keyset_part keyset)
{
	qb_add(b, " WHERE 1 = 1");
	if (f->region_id)
		qb_add(b, f->region_is_county ? " AND p.county_id = :R" : " AND p.region_id = :R");
	if (f->chain_id)
		qb_add(b, " AND p.chain_id = :C");
	if (f->investor_id)
		qb_add(b, " AND p.investor_id = :V");
	if (f->stage)
		qb_add(b, " AND p.stage = :S");
	if (f->year)
		qb_add(b, " AND p.signed_on >= :Y AND p.signed_on <= :Z");
	if (f->amount_min >= 0)
		qb_add(b, " AND p.amount_wan >= :A");
	if (f->amount_max >= 0)
		qb_add(b, " AND p.amount_wan <= :B");
	if (f->q) {
		const char *like = s->ops->like;
		qb_add(b, " AND (p.code ");
		qb_add(b, like);
		qb_add(b, " :Q ESCAPE '\\' OR p.name ");
		qb_add(b, like);
		qb_add(b, " :Q ESCAPE '\\' OR co.name ");
		qb_add(b, like);
		qb_add(b, " :Q ESCAPE '\\')");
	}
	if (f->state > RS_NONE && f->state < RS__COUNT) {
		qb_add(b, " AND (p.terminated_on IS NULL OR p.terminated_on > :T)"
			  " AND EXISTS (SELECT 1 FROM project_rules pr WHERE pr.project_id = p.id"
			  " AND pr.from_on <= :T AND ");
		qb_add(b, state_cond[f->state]);
		qb_add(b, ")");
	}
	if (!f->after_value || keyset == KEYSET_NONE)
		return;
	const char *op = f->desc ? " < " : " > ";
	qb_add(b, keyset == KEYSET_WHOLE ? " AND (" : " AND ");
	qb_add(b, sort_column[f->sort]);
	if (keyset == KEYSET_WHOLE) {
		qb_add(b, ", p.id)");
		qb_add(b, op);
		qb_add(b, "(:K, :I)");
	} else if (keyset == KEYSET_TIES) {
		qb_add(b, " = :K AND p.id");
		qb_add(b, op);
		qb_add(b, ":I");
	} else {
		qb_add(b, op);
		qb_add(b, ":K");
	}
}

struct list_ctx {
	int (*row)(void *ctx, struct project *p);
	void *ctx;
	int64_t n;     /* rows passed on */
	bool stopped; /* row asked to stop */
};

static int list_row(void *ctx, struct store *s)
{
	struct list_ctx *l = ctx;
	struct project p;
	project_from_row(s, &p);
	int stop = l->row(l->ctx, &p);
	project_release(&p);
	l->n++;
	l->stopped = stop != 0;
	return stop;
}

/* One statement of a list page: the rows of part, at most limit. */
static int list_part(struct store *s, const struct project_filter *f, enum keyset_part part,
		     int64_t limit, struct list_ctx *l)
{
	struct qb b;
	qb_init(&b, f);
	qb_add(&b, "SELECT " PROJECT_COLUMNS PROJECT_FROM);
	list_where(s, &b, f, part);
	const char *dir = f->desc ? " DESC" : " ASC";
	qb_add(&b, " ORDER BY ");
	if (part != KEYSET_TIES) { /* the ties share the sort value */
		qb_add(&b, sort_column[f->sort]);
		qb_add(&b, dir);
		qb_add(&b, ", ");
	}
	qb_add(&b, "p.id");
	qb_add(&b, dir);
	if (limit > 0) {
		/* The number itself, not a parameter: PostgreSQL makes the
		 * generic plan for a parameter's LIMIT as if it were a tenth of
		 * the rows, and at a million projects chose for it a scan in
		 * parallel workers (11 ms to start them, for 51 rows a page;
		 * 0.7 ms without). A page has a few sizes: a few shapes. */
		char lim[32];
		snprintf(lim, sizeof(lim), " LIMIT %lld", (long long)limit);
		qb_add(&b, lim);
	}
	int rc = s->ops->query(s, STORE_DYNAMIC_GENERIC, buf_cstr(&b.sql), b.p, b.np, list_row, l);
	qb_release(&b);
	return rc;
}

int store_project_list(struct store *s, const struct project_filter *f,
		       int (*row)(void *ctx, struct project *p), void *ctx)
{
	struct list_ctx l = {row, ctx, 0, false};
	if (!f->after_value || !s->ops->split_keyset)
		return list_part(s, f, f->after_value ? KEYSET_WHOLE : KEYSET_NONE, f->limit, &l);
	/* The rest of the cursor's sort value, then the values after it. */
	if (list_part(s, f, KEYSET_TIES, f->limit, &l) != 0)
		return -1;
	if (l.stopped || (f->limit > 0 && l.n >= f->limit))
		return 0;
	return list_part(s, f, KEYSET_REST, f->limit > 0 ? f->limit - l.n : 0, &l);
}

int store_project_list_count(struct store *s, const struct project_filter *f, int64_t *n)
{
	struct qb b;
	qb_init(&b, f);
	qb_add(&b, "SELECT count(*) FROM projects p");
	if (f->q)
		qb_add(&b, " JOIN companies co ON co.id = p.investor_id");
	list_where(s, &b, f, KEYSET_NONE);
	*n = 0;
	int rc = s->ops->query(s, STORE_DYNAMIC, buf_cstr(&b.sql), b.p, b.np, first_int, n);
	qb_release(&b);
	return rc;
}

/* ---- figures ---- */

static int headline_row(void *ctx, struct store *s)
{
	struct headline_result *out = ctx;
	out->by_county = xrealloc(out->by_county,
				  (size_t)(out->ncounty + 1) * sizeof(*out->by_county));
	struct headline_row *r = &out->by_county[out->ncounty++];
	r->county_id = col_int(s, 0);
	r->count = col_int(s, 1);
	r->amount_wan = col_int(s, 2);
	r->started = col_int(s, 3);
	return 0;
}

static int first_two(void *ctx, struct store *s)
{
	int64_t *v = ctx;
	v[0] = col_int(s, 0);
	v[1] = col_int(s, 1);
	return 1;
}

/*
 * Runs a figures statement on the chosen basis. On the verified basis a
 * project counts as started only when its 开工 is verified: the statement's
 * "started_on <= ?3" gains that condition (a dynamic statement, cached by
 * its text like the list's). The reported basis keeps the plain statement
 * and its covering index.
 */
static int run_basis(struct store *s, enum stmt i, bool verified, const struct sparam *p, int np,
		     store_row_fn row, void *ctx)
{
	if (!verified)
		return run(s, i, p, np, row, ctx);
	static const char plain[] = "started_on <= ?3";
	static const char gated[] = "(started_on <= ?3 AND (verified_mask & 4) <> 0)";
	const char *sql = sql_of(s, i);
	struct buf b = BUF_INIT;
	for (const char *at; (at = strstr(sql, plain)); sql = at + strlen(plain)) {
		buf_add(&b, sql, (size_t)(at - sql));
		buf_adds(&b, gated);
	}
	buf_adds(&b, sql);
	int rc = s->ops->query(s, STORE_DYNAMIC_CUSTOM, buf_cstr(&b), p, np, row, ctx);
	buf_release(&b);
	return rc;
}

#define RUN_BASIS(s, i, verified, row, ctx, ...)                                             \
	run_basis(s, i, verified, (const struct sparam[]){__VA_ARGS__},                       \
		  (int)(sizeof((const struct sparam[]){__VA_ARGS__}) / sizeof(struct sparam)), row, \
		  ctx)

/* A row of STMT_HEADLINE_ONEPASS: the county's, and its share of the rest. */
static int headline_onepass_row(void *ctx, struct store *s)
{
	struct headline_result *out = ctx;
	headline_row(out, s);
	out->event_count += col_int(s, 4);
	out->event_amount_wan += col_int(s, 5);
	out->foreign_count += col_int(s, 6);
	return 0;
}

/* A row of STMT_HEADLINE_ROWS added to the three figures: the county's
 * 亿元以上省外 (a county appears once it has one, as in a GROUP BY), event
 * signings, and the 亿元以上 foreign-oriented. */
static int headline_scan_row(void *ctx, struct store *s)
{
	struct headline_result *out = ctx;
	int64_t amount = col_int(s, 1);
	if (amount >= 10000 && col_int(s, 3)) {
		int64_t county = col_int(s, 0);
		struct headline_row *r = NULL;
		for (int i = 0; i < out->ncounty && !r; i++)
			if (out->by_county[i].county_id == county)
				r = &out->by_county[i];
		if (!r) {
			out->by_county = xrealloc(out->by_county, (size_t)(out->ncounty + 1) *
									 sizeof(*out->by_county));
			r = &out->by_county[out->ncounty++];
			*r = (struct headline_row){.county_id = county};
		}
		r->count++;
		r->amount_wan += amount;
		r->started += col_int(s, 2) != 0;
	}
	if (col_int(s, 4)) {
		out->event_count++;
		out->event_amount_wan += amount;
	}
	if (amount >= 10000 && col_int(s, 5))
		out->foreign_count++;
	return 0;
}

int store_headline(struct store *s, const struct headline_input *in, struct headline_result *out)
{
	memset(out, 0, sizeof(*out));
	/* A driver may ask the three figures in one statement that sums them
	 * (PostgreSQL, where that was measured faster than reading the rows);
	 * otherwise the store sums the rows of one scan. */
	if (s->ops->dialect_sql && s->ops->dialect_sql[STMT_HEADLINE_ONEPASS]) {
		if (RUN_BASIS(s, STMT_HEADLINE_ONEPASS, in->verified, headline_onepass_row, out,
			      PT(in->from), PT(in->to), PT(in->as_of), PT(in->home_province)) != 0) {
			headline_result_release(out);
			return -1;
		}
		return 0;
	}
	if (RUN_BASIS(s, STMT_HEADLINE_ROWS, in->verified, headline_scan_row, out, PT(in->from),
		      PT(in->to), PT(in->as_of), PT(in->home_province)) != 0) {
		headline_result_release(out);
		return -1;
	}
	return 0;
}

struct bd_list {
	struct breakdown_row *rows;
	int n;
};

static int bd_row(void *ctx, struct store *s)
{
	struct bd_list *l = ctx;
	l->rows = xrealloc(l->rows, (size_t)(l->n + 1) * sizeof(*l->rows));
	struct breakdown_row *r = &l->rows[l->n++];
	r->id = col_int(s, 0);
	r->key = col_str(s, 1);
	r->count = col_int(s, 2);
	r->amount_wan = col_int(s, 3);
	r->started = col_int(s, 4);
	return 0;
}

int store_breakdown(struct store *s, enum breakdown by, const struct headline_input *in,
		    struct breakdown_row **rows, int *n)
{
	static const enum stmt stmts[BD__COUNT] = {
		[BD_CHAIN] = STMT_BD_CHAIN, [BD_CHANNEL] = STMT_BD_CHANNEL,
		[BD_EVENT] = STMT_BD_EVENT, [BD_MONTH] = STMT_BD_MONTH,
		[BD_PROVINCE] = STMT_BD_PROVINCE,
	};
	struct bd_list l = {NULL, 0};
	int rc = RUN_BASIS(s, stmts[by], in->verified, bd_row, &l, PT(in->from), PT(in->to),
			   PT(in->as_of), PT(in->home_province));
	if (rc != 0) {
		breakdown_rows_release(l.rows, l.n);
		l.rows = NULL;
		l.n = 0;
	}
	*rows = l.rows;
	*n = l.n;
	return rc;
}

int store_origins(struct store *s, const struct headline_input *in, int layer, const char *province,
		  struct breakdown_row **rows, int *n)
{
	struct bd_list l = {NULL, 0};
	int rc;
	if (layer == ORIGIN_LEADS)
		rc = province ? RUN(s, STMT_ORIGIN_LEADS_CITY, bd_row, &l, PT(in->from), PT(in->to),
				    PT(province))
			      : RUN(s, STMT_ORIGIN_LEADS_PROVINCE, bd_row, &l, PT(in->from), PT(in->to));
	else if (layer == ORIGIN_TARGETS)
		rc = province ? RUN(s, STMT_ORIGIN_TARGETS_CITY, bd_row, &l, PT(province))
			      : run(s, STMT_ORIGIN_TARGETS_PROVINCE, NULL, 0, bd_row, &l);
	else
		rc = province ? RUN(s, STMT_ORIGIN_CITY, bd_row, &l, PT(in->from), PT(in->to),
				    PT(in->as_of), PT(province))
			      : RUN(s, STMT_ORIGIN_PROVINCE, bd_row, &l, PT(in->from), PT(in->to),
				    PT(in->as_of));
	if (rc != 0) {
		breakdown_rows_release(l.rows, l.n);
		l.rows = NULL;
		l.n = 0;
	}
	*rows = l.rows;
	*n = l.n;
	return rc;
}

void breakdown_rows_release(struct breakdown_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].key);
	free(rows);
}

void headline_result_release(struct headline_result *r)
{
	free(r->by_county);
	memset(r, 0, sizeof(*r));
}

struct pairs_ctx {
	int (*pair)(void *ctx, const struct rule_pair *rp);
	void *ctx;
};

static int pair_row(void *ctx, struct store *s)
{
	struct pairs_ctx *c = ctx;
	struct rule_pair rp;
	rp.code = col_text(s, 0);
	rp.name = col_text(s, 1);
	rp.county_id = col_int(s, 2);
	rp.responsible = col_text(s, 3);
	rp.from_on = col_date(s, 4);
	rp.due = col_date(s, 5);
	rp.to_on = col_date(s, 6);
	rp.to_na = col_int(s, 7) != 0;
	rp.terminated_on = col_date(s, 8);
	rp.rule_id = col_int(s, 10);
	rp.region_id = col_int(s, 11);
	rp.chain_id = col_int(s, 12);
	return c->pair(c->ctx, &rp);
}

int store_rule_pairs(struct store *s, const char *as_of, const char *due_limit, bool all,
		     int (*pair)(void *ctx, const struct rule_pair *rp), void *ctx)
{
	struct pairs_ctx c = {pair, ctx};
	if (all)
		return RUN(s, STMT_PAIRS_ALL, pair_row, &c, PT(as_of));
	return RUN(s, STMT_PAIRS_OPEN, pair_row, &c, PT(as_of), PT(due_limit));
}

/* ---- copying a deployment between databases ---- */

/* Every table with its columns, parents before children. */
static const struct {
	const char *name, *columns;
	bool has_id;
} copy_tables[] = {
	{"meta", "key, value", false},
	{"regions", "id, parent_id, name, code, level, county_id, assessed, sort_order", true},
	{"departments", "id, name, sort_order", true},
	{"chains", "id, name, category, leader, task_force, sort_order", true},
	{"channels", "id, name, sort_order", true},
	{"rules", "id, key, name, from_milestone, to_milestone, months, sort_order", true},
	{"companies",
	 "id, name, credit_code, province, city, created_at, industry, tags, notes, updated_at,"
	 " version, name_key",
	 true},
	{"company_contacts", "id, company_id, name, title, phone, email, created_at", true},
	{"chain_nodes", "id, chain_id, segment, name, sort_order", true},
	{"chain_node_companies", "node_id, company_id, role, note", false},
	{"campaigns", "id, name, theme, starts_on, ends_on, created_at", true},
	{"events", "id, name, type, city, held_on, created_at, theme, organiser, campaign_id", true},
	{"projects",
	 "id, code, name, investor_id, investor_province, investor_city, region_id, county_id,"
	 " chain_id, amount_wan, channel_id, event_id, foreign_oriented, major, responsible,"
	 " signed_on, registered_on, registered_na, started_on, started_na, included_on,"
	 " included_na, producing_on, producing_na, na_reason, terminated_on, terminated_reason,"
	 " stage, notes, version, created_at, updated_at, verified_mask, amount_pending,"
	 " amount_entered_by, amount_confirmed_by",
	 true},
	{"project_rules", "project_id, rule_id, from_on, due, to_on, to_na", false},
	{"stationed_teams", "id, name, city, region_id, leader, members, starts_on, ends_on, created_at",
	 true},
	{"leads",
	 "id, company_id, title, source_kind, source_name, channel_id, chain_id, region_id,"
	 " county_id, amount_wan, stage, lost_reason, project_id, reported_by, reported_on,"
	 " last_activity, created_at, updated_at, version, team_id",
	 true},
	{"lead_follow_ups", "id, lead_id, on_date, username, note, stage, created_at", true},
	{"trips",
	 "id, leader_level, leader, region_id, campaign_id, starts_on, ends_on, days, cities, purpose,"
	 " created_by, created_at",
	 true},
	{"trip_visits", "id, trip_id, company_id, visited_on, outcome, lead_id, project_id", true},
	{"major_plans", "project_id, planned_start_on, planned_producing_on, planned_total_wan, updated_at",
	 false},
	{"project_progress",
	 "id, project_id, month, invested_wan, cumulative_wan, note, entered_by, entered_on", true},
	{"assessments", "month, published_at, published_by, snapshot", false},
	{"assessment_objections",
	 "id, month, region_id, text, raised_by, raised_at, answer, answered_by, answered_at", true},
	{"dispatch_meetings", "id, name, held_on, chaired_by, created_at", true},
	{"problems",
	 "id, project_id, category, grade, title, description, owner_department_id, owner_person,"
	 " deadline, status, raised_by, raised_on, solved_on, escalations, created_at, updated_at",
	 true},
	{"problem_events", "id, problem_id, on_date, username, kind, text, meeting_id", true},
	{"reminder_targets", "id, kind, target, name, enabled", true},
	{"deliveries",
	 "id, target_id, item, payload, status, attempts, last_error, next_at, sent_at, created_at", true},
	{"notifications", "id, username, item, title, body, created_at, read_at", true},
	{"users",
	 "id, username, display_name, role, region_id, chain_id, password_hash,"
	 " password_changed_at, disabled, failed_logins, locked_until, created_at",
	 true},
	{"evidence",
	 "id, project_id, milestone, kind, file_name, content_type, size, sha256, stored_name,"
	 " uploaded_by, uploaded_at",
	 true},
	{"duplicate_pairs", "a_id, b_id, score, reasons, status, found_at, decided_by, decided_at",
	 false},
	{"project_referrals", "project_id, kind, ref_id, share, recorded_by, recorded_at", false},
	{"milestone_verifications",
	 "id, project_id, milestone, on_date, reference, evidence_id, note, verified_by, verified_at,"
	 " withdrawn_by, withdrawn_at",
	 true},
	{"project_merges", "id, kept_id, merged_code, snapshot, merged_by, merged_at", true},
	/* Sessions are not copied: everyone logs in again on the new database. */
	{"audit_log",
	 "id, at, username, address, action, entity, entity_key, old_value, new_value,"
	 " prev_hash, hash",
	 false},
};

#define NCOPY ((int)(sizeof(copy_tables) / sizeof(copy_tables[0])))

const char *store_copy_table_name(int i)
{
	return i >= 0 && i < NCOPY ? copy_tables[i].name : NULL;
}

int store_copy_table_count(struct store *s, int i, int64_t *n)
{
	char *sql = xstrfmt("SELECT count(*) FROM %s", copy_tables[i].name);
	*n = 0;
	int rc = s->ops->query(s, STORE_DYNAMIC, sql, NULL, 0, first_int, n);
	free(sql);
	return rc;
}

struct copy_ctx {
	struct store *dst;
	const char *insert;
	int ncol;
	int64_t rows;
	int failed;
};

static int copy_row(void *ctx, struct store *s)
{
	struct copy_ctx *c = ctx;
	struct sparam p[40];
	/* Every value travels as text (NULL stays NULL): both databases turn it
	 * back into the column's type. */
	for (int i = 0; i < c->ncol; i++)
		p[i] = PT(col_text(s, i));
	if (c->dst->ops->query(c->dst, STORE_DYNAMIC, c->insert, p, c->ncol, NULL, NULL) != 0) {
		c->failed = 1;
		return 1;
	}
	c->rows++;
	return 0;
}

int store_copy_table(struct store *src, struct store *dst, int i, int64_t *rows)
{
	const char *cols = copy_tables[i].columns, *name = copy_tables[i].name;
	struct copy_ctx c = {dst, NULL, 1, 0, 0};
	for (const char *k = cols; *k; k++)
		c.ncol += *k == ',';
	struct buf ins = BUF_INIT;
	buf_addf(&ins, "INSERT INTO %s (%s) VALUES (", name, cols);
	for (int k = 1; k <= c.ncol; k++)
		buf_addf(&ins, k > 1 ? ", ?%d" : "?%d", k);
	buf_adds(&ins, ")");
	c.insert = buf_cstr(&ins);
	char *sel = xstrfmt("SELECT %s FROM %s ORDER BY %s", cols, name,
			    copy_tables[i].has_id ? "id" : "1, 2");
	int rc = src->ops->query(src, STORE_DYNAMIC, sel, NULL, 0, copy_row, &c);
	free(sel);
	buf_release(&ins);
	*rows = c.rows;
	if (c.failed) {
		char *m = xstrdup(store_error(dst));
		store_fail(src, "%s: %s", name, m);
		free(m);
		return -1;
	}
	if (rc != 0)
		return -1;
	/* Identity columns continue after the copied ids. */
	if (copy_tables[i].has_id && dst->ops->identity_reset) {
		char *sql = xstrfmt(dst->ops->identity_reset, name, name);
		rc = dst->ops->exec(dst, sql);
		free(sql);
		if (rc != 0) {
			char *m = xstrdup(store_error(dst));
			store_fail(src, "%s: %s", name, m);
			free(m);
		}
	}
	return rc;
}

/* ---- users, sessions, audit ---- */

static int user_row(void *ctx, struct store *s)
{
	struct user *u = ctx;
	u->id = col_int(s, 0);
	u->username = col_str(s, 1);
	u->display_name = col_str(s, 2);
	u->role = col_str(s, 3);
	u->region_id = col_int(s, 4);
	u->chain_id = col_int(s, 5);
	u->password_hash = col_str(s, 6);
	u->password_changed_at = col_str(s, 7);
	u->disabled = col_int(s, 8) != 0;
	u->failed_logins = (int)col_int(s, 9);
	u->locked_until = col_str(s, 10);
	u->created_at = col_str(s, 11);
	return 1;
}

void user_release(struct user *u)
{
	free(u->username);
	free(u->display_name);
	free(u->role);
	free(u->password_hash);
	free(u->password_changed_at);
	free(u->locked_until);
	free(u->created_at);
	memset(u, 0, sizeof(*u));
}

int store_user_get(struct store *s, const char *username, struct user *u)
{
	memset(u, 0, sizeof(*u));
	if (RUN(s, STMT_USER_GET, user_row, u, PT(username)) != 0)
		return -1;
	return u->id ? 0 : 1;
}

int store_user_get_id(struct store *s, int64_t id, struct user *u)
{
	memset(u, 0, sizeof(*u));
	if (RUN(s, STMT_USER_GET_ID, user_row, u, PI(id)) != 0)
		return -1;
	return u->id ? 0 : 1;
}

struct users_ctx {
	int (*row)(void *ctx, const struct user *u);
	void *ctx;
};

static int users_row(void *ctx, struct store *s)
{
	struct users_ctx *c = ctx;
	struct user u;
	memset(&u, 0, sizeof(u));
	user_row(&u, s);
	int stop = c->row(c->ctx, &u);
	user_release(&u);
	return stop;
}

int store_users_list(struct store *s, int (*row)(void *ctx, const struct user *u), void *ctx)
{
	struct users_ctx c = {row, ctx};
	return run(s, STMT_USERS, NULL, 0, users_row, &c);
}

static int user_write(struct store *s, struct user *u)
{
	if (u->id)
		return RUN(s, STMT_USER_UPDATE, NULL, NULL, PI(u->id), PTN(u->display_name),
			   PT(u->role), PID(u->region_id), PID(u->chain_id), PTN(u->password_hash),
			   PTN(u->password_changed_at), PI(u->disabled), PI(u->failed_logins),
			   PTN(u->locked_until));
	int rc = RUN(s, STMT_USER_INSERT, first_int, &u->id, PT(u->username), PTN(u->display_name),
		     PT(u->role), PID(u->region_id), PID(u->chain_id), PTN(u->password_hash),
		     PTN(u->password_changed_at), PI(u->disabled), PI(u->failed_logins),
		     PTN(u->locked_until), PT(u->created_at));
	if (rc != 0 && s->fault == FAULT_UNIQUE) {
		store_fail(s, "用户名 %s 已存在", u->username);
		s->fault = FAULT_UNIQUE;
	}
	return rc;
}

int store_user_save(struct store *s, struct user *u)
{
	/* Whatever changed may change what a session of the user may do
	 * (raised after the change: outside a transaction no session may be
	 * read at the new version with the user as it was). */
	return user_write(s, u) != 0 || version_raise(s, STORE_VERSION_SESSION) != 0 ? -1 : 0;
}

int store_session_insert(struct store *s, const char *token_hash, int64_t user_id, int64_t now,
			 const char *address)
{
	return RUN(s, STMT_SESSION_INSERT, NULL, NULL, PT(token_hash), PI(user_id), PI(now), PI(now),
		   PTN(address));
}

struct session_read {
	struct session *x;
	int64_t version;
};

static int session_row(void *ctx, struct store *s)
{
	struct session_read *sr = ctx;
	struct session *x = sr->x;
	const char *v = col_text(s, 0);
	sr->version = v ? strtoll(v, NULL, 10) : 0;
	x->created_at = col_int(s, 1);
	x->last_seen = col_int(s, 2);
	x->user.id = col_int(s, 3);
	x->user.username = col_str(s, 4);
	x->user.display_name = col_str(s, 5);
	x->user.role = col_str(s, 6);
	x->user.region_id = col_int(s, 7);
	x->user.chain_id = col_int(s, 8);
	x->user.disabled = col_int(s, 9) != 0;
	x->user.password_changed_at = col_str(s, 10);
	return 1;
}

int store_session_get(struct store *s, const char *token_hash, struct session *x,
		      int64_t *data_version)
{
	memset(x, 0, sizeof(*x));
	struct session_read sr = {x, 0};
	if (RUN(s, STMT_SESSION_GET, session_row, &sr, PT(token_hash)) != 0)
		return -1;
	*data_version = sr.version;
	if (!x->user.id) {
		session_release(x);
		return 1;
	}
	return 0;
}

void session_release(struct session *x)
{
	user_release(&x->user);
	memset(x, 0, sizeof(*x));
}

int store_session_touch(struct store *s, const char *token_hash, int64_t now)
{
	return RUN(s, STMT_SESSION_TOUCH, NULL, NULL, PT(token_hash), PI(now));
}

/* A session removed raises the session version after it (see
 * store_user_save()). */
int store_session_delete(struct store *s, const char *token_hash)
{
	return RUN(s, STMT_SESSION_DELETE, NULL, NULL, PT(token_hash)) != 0 ||
			       version_raise(s, STORE_VERSION_SESSION) != 0
		       ? -1
		       : 0;
}

int store_session_delete_user(struct store *s, int64_t user_id)
{
	return RUN(s, STMT_SESSION_DELETE_USER, NULL, NULL, PI(user_id)) != 0 ||
			       version_raise(s, STORE_VERSION_SESSION) != 0
		       ? -1
		       : 0;
}

int store_session_purge(struct store *s, int64_t idle_before, int64_t created_before)
{
	return RUN(s, STMT_SESSION_PURGE, NULL, NULL, PI(idle_before), PI(created_before)) != 0 ||
			       version_raise(s, STORE_VERSION_SESSION) != 0
		       ? -1
		       : 0;
}

struct last_audit {
	int64_t id;
	char *hash;
};

static int audit_last_row(void *ctx, struct store *s)
{
	struct last_audit *l = ctx;
	l->id = col_int(s, 0);
	l->hash = col_str(s, 1);
	return 1;
}

int store_audit_last(struct store *s, int64_t *id, char **hash)
{
	if (s->audit.known) {
		*id = s->audit.id;
		*hash = s->audit.id ? xstrdup(s->audit.hash) : NULL;
		return 0;
	}
	struct last_audit l = {0, NULL};
	int rc = run(s, STMT_AUDIT_LAST, NULL, 0, audit_last_row, &l);
	*id = l.id;
	*hash = l.hash;
	return rc;
}

int store_audit_insert(struct store *s, const struct audit_row *a)
{
	if (RUN(s, STMT_AUDIT_INSERT, NULL, NULL, PI(a->id), PT(a->at), PT(a->username),
		PTN(a->address), PT(a->action), PTN(a->entity), PTN(a->entity_key),
		PTN(a->old_value), PTN(a->new_value), PT(a->prev_hash), PT(a->hash)) != 0)
		return -1;
	/* The new head, for the next row of this transaction and for meta at
	 * commit. */
	s->audit.known = s->audit.dirty = true;
	s->audit.id = a->id;
	snprintf(s->audit.hash, sizeof(s->audit.hash), "%s", a->hash);
	return 0;
}

struct audit_ctx {
	int (*row)(void *ctx, const struct audit_row *a);
	void *ctx;
};

static int audit_row_cb(void *ctx, struct store *s)
{
	struct audit_ctx *c = ctx;
	struct audit_row a = {
		.id = col_int(s, 0),
		.at = col_text(s, 1),
		.username = col_text(s, 2),
		.address = col_text(s, 3),
		.action = col_text(s, 4),
		.entity = col_text(s, 5),
		.entity_key = col_text(s, 6),
		.old_value = col_text(s, 7),
		.new_value = col_text(s, 8),
		.prev_hash = col_text(s, 9),
		.hash = col_text(s, 10),
	};
	return c->row(c->ctx, &a);
}

int store_audit_list(struct store *s, const struct audit_filter *f,
		     int (*row)(void *ctx, const struct audit_row *a), void *ctx)
{
	struct qb b;
	memset(&b, 0, sizeof(b));
	struct sparam *n = b.named;
	n['U' - 'A'] = PT(f->username);
	n['A' - 'A'] = PT(f->action);
	n['E' - 'A'] = PT(f->entity);
	n['K' - 'A'] = PT(f->entity_key);
	n['F' - 'A'] = PT(f->from);
	n['T' - 'A'] = PT(f->to);
	n['I' - 'A'] = PI(f->after_id);
	n['L' - 'A'] = PI(f->limit);
	qb_add(&b, "SELECT id, at, username, address, action, entity, entity_key, old_value,"
		   " new_value, prev_hash, hash FROM audit_log WHERE 1 = 1");
	if (f->username)
		qb_add(&b, " AND username = :U");
	if (f->action)
		qb_add(&b, " AND action = :A");
	if (f->entity)
		qb_add(&b, " AND entity = :E");
	if (f->entity_key)
		qb_add(&b, " AND entity_key = :K");
	if (f->from)
		qb_add(&b, " AND at >= :F");
	if (f->to)
		qb_add(&b, " AND at < :T");
	if (f->after_id)
		qb_add(&b, f->desc ? " AND id < :I" : " AND id > :I");
	qb_add(&b, f->desc ? " ORDER BY id DESC" : " ORDER BY id");
	if (f->limit > 0)
		qb_add(&b, " LIMIT :L");
	struct audit_ctx c = {row, ctx};
	int rc = s->ops->query(s, STORE_DYNAMIC, buf_cstr(&b.sql), b.p, b.np, audit_row_cb, &c);
	qb_release(&b);
	return rc;
}

int store_login_failures(struct store *s, const char *address, const char *since, int64_t *n)
{
	*n = 0;
	return RUN(s, STMT_LOGIN_FAILURES, first_int, n, PT(address), PT(since));
}


/* ---- evidence ---- */

int store_evidence_insert(struct store *s, struct evidence *e)
{
	return RUN(s, STMT_EVIDENCE_INSERT, first_int, &e->id, PI(e->project_id), PT(e->milestone),
		   PT(e->kind), PT(e->file_name), PT(e->content_type), PI(e->size), PT(e->sha256),
		   PT(e->stored_name), PT(e->uploaded_by), PT(e->uploaded_at));
}

struct evidence_ctx {
	int (*row)(void *ctx, const struct evidence *e);
	void *ctx;
};

static int evidence_row(void *ctx, struct store *s)
{
	struct evidence_ctx *c = ctx;
	struct evidence e = {
		.id = col_int(s, 0),
		.project_id = col_int(s, 1),
		.code = col_text(s, 2),
		.milestone = col_text(s, 3),
		.kind = col_text(s, 4),
		.file_name = col_text(s, 5),
		.content_type = col_text(s, 6),
		.size = col_int(s, 7),
		.sha256 = col_text(s, 8),
		.stored_name = col_text(s, 9),
		.uploaded_by = col_text(s, 10),
		.uploaded_at = col_text(s, 11),
	};
	return c->row(c->ctx, &e);
}

int store_evidence_get(struct store *s, int64_t id, int (*row)(void *ctx, const struct evidence *e),
		       void *ctx)
{
	struct evidence_ctx c = {row, ctx};
	return RUN(s, STMT_EVIDENCE_GET, evidence_row, &c, PI(id));
}

int store_evidence_list(struct store *s, int64_t project_id,
			int (*row)(void *ctx, const struct evidence *e), void *ctx)
{
	struct evidence_ctx c = {row, ctx};
	return RUN(s, STMT_EVIDENCE_LIST, evidence_row, &c, PI(project_id));
}

int store_evidence_named(struct store *s, const char *stored_name, bool *exists)
{
	int64_t n = 0;
	int rc = RUN(s, STMT_EVIDENCE_NAMED, first_int, &n, PT(stored_name));
	*exists = n > 0;
	return rc;
}

/* ---- companies (the investor database) ---- */

static int company_row(void *ctx, struct store *s)
{
	struct company *c = ctx;
	c->id = col_int(s, 0);
	c->name = col_str(s, 1);
	c->credit_code = col_str(s, 2);
	c->province = col_str(s, 3);
	c->city = col_str(s, 4);
	c->industry = col_str(s, 5);
	c->tags = col_str(s, 6);
	c->notes = col_str(s, 7);
	c->created_at = col_str(s, 8);
	c->updated_at = col_str(s, 9);
	c->version = col_int(s, 10);
	c->projects = col_int(s, 11);
	return 1;
}

void company_release(struct company *c)
{
	free(c->name);
	free(c->credit_code);
	free(c->province);
	free(c->city);
	free(c->industry);
	free(c->tags);
	free(c->notes);
	free(c->created_at);
	free(c->updated_at);
	memset(c, 0, sizeof(*c));
}

int store_company_get(struct store *s, int64_t id, struct company *c)
{
	memset(c, 0, sizeof(*c));
	if (RUN(s, STMT_COMPANY_GET, company_row, c, PI(id)) != 0)
		return -1;
	return c->id ? 0 : 1;
}

int store_company_find(struct store *s, const char *name, const char *credit_code, int64_t *id,
		       bool *by_code)
{
	struct id_flag f = {0};
	int rc = 1;
	*id = 0;
	*by_code = false;
	if (credit_code && *credit_code) {
		rc = find_id(s, STMT_COMPANY_FIND_CODE, credit_code, &f);
		*by_code = rc == 0;
	}
	if (rc == 1 && name && *name)
		rc = find_id(s, STMT_COMPANY_FIND_NAME, name, &f);
	if (rc == 0)
		*id = f.id;
	return rc;
}

int store_company_save(struct store *s, struct company *c, const char *now)
{
	if (c->id)
		return RUN(s, STMT_COMPANY_UPDATE, NULL, NULL, PI(c->id), PT(c->name),
			   PTN(c->credit_code), PTN(c->province), PTN(c->city), PTN(c->industry),
			   PTN(c->tags), PTN(c->notes), PT(now));
	return RUN(s, STMT_COMPANY_INSERT, first_int, &c->id, PT(c->name), PTN(c->credit_code),
		   PTN(c->province), PTN(c->city), PTN(c->industry), PTN(c->tags), PTN(c->notes),
		   PT(now));
}

struct companies_ctx {
	int (*row)(void *ctx, const struct company *c);
	void *ctx;
};

static int companies_row(void *ctx, struct store *s)
{
	struct companies_ctx *k = ctx;
	struct company c;
	memset(&c, 0, sizeof(c));
	company_row(&c, s);
	int stop = k->row(k->ctx, &c);
	company_release(&c);
	return stop;
}

int store_company_list(struct store *s, const struct company_filter *f,
		       int (*row)(void *ctx, const struct company *c), void *ctx)
{
	struct qb b;
	memset(&b, 0, sizeof(b));
	struct sparam *n = b.named;
	if (f->q) {
		n['Q' - 'A'] = qb_like(&b, f->q);
		n['C' - 'A'] = PT(f->q);
	}
	/* A tag matches as a whole item of the comma-separated list. */
	struct buf tag = BUF_INIT;
	if (f->tag) {
		buf_addf(&tag, "%%,%s,%%", f->tag);
		n['T' - 'A'] = PT(buf_cstr(&tag));
	}
	n['P' - 'A'] = PT(f->province);
	n['K' - 'A'] = PT(f->after_name);
	n['I' - 'A'] = PI(f->after_id);
	n['L' - 'A'] = PI(f->limit);
	qb_add(&b, COMPANY_COLUMNS " WHERE 1 = 1");
	if (f->q) {
		qb_add(&b, " AND (c.name ");
		qb_add(&b, s->ops->like);
		qb_add(&b, " :Q ESCAPE '\\' OR c.credit_code = :C)");
	}
	if (f->tag)
		qb_add(&b, " AND ',' || c.tags || ',' LIKE :T");
	if (f->province)
		qb_add(&b, " AND c.province = :P");
	if (f->after_name)
		qb_add(&b, " AND (c.name, c.id) > (:K, :I)");
	qb_add(&b, " ORDER BY c.name, c.id");
	if (f->limit > 0)
		qb_add(&b, " LIMIT :L");
	struct companies_ctx k = {row, ctx};
	int rc = s->ops->query(s, STORE_DYNAMIC, buf_cstr(&b.sql), b.p, b.np, companies_row, &k);
	qb_release(&b);
	buf_release(&tag);
	return rc;
}

struct contacts_ctx {
	int (*row)(void *ctx, const struct contact *c);
	void *ctx;
};

static int contact_row(void *ctx, struct store *s)
{
	struct contacts_ctx *k = ctx;
	struct contact c = {
		.id = col_int(s, 0),
		.company_id = col_int(s, 1),
		.name = col_text(s, 2),
		.title = col_text(s, 3),
		.phone = col_text(s, 4),
		.email = col_text(s, 5),
		.created_at = col_text(s, 6),
	};
	return k->row(k->ctx, &c);
}

int store_contacts_list(struct store *s, int64_t company_id,
			int (*row)(void *ctx, const struct contact *c), void *ctx)
{
	struct contacts_ctx k = {row, ctx};
	return RUN(s, STMT_CONTACTS, contact_row, &k, PI(company_id));
}

int store_contact_add(struct store *s, struct contact *c)
{
	return RUN(s, STMT_CONTACT_ADD, first_int, &c->id, PI(c->company_id), PT(c->name),
		   PTN(c->title), PTN(c->phone), PTN(c->email), PT(c->created_at));
}

int store_contact_delete(struct store *s, int64_t company_id, int64_t id, bool *deleted)
{
	int64_t gone = 0;
	int rc = RUN(s, STMT_CONTACT_DELETE, first_int, &gone, PI(id), PI(company_id));
	*deleted = gone != 0;
	return rc;
}

/* ---- leads ---- */

static int lead_row(void *ctx, struct store *s)
{
	struct lead *l = ctx;
	l->id = col_int(s, 0);
	l->company_id = col_int(s, 1);
	l->company = col_str(s, 2);
	l->title = col_str(s, 3);
	l->source_kind = col_str(s, 4);
	l->source_name = col_str(s, 5);
	l->channel_id = col_int(s, 6);
	l->chain_id = col_int(s, 7);
	l->region_id = col_int(s, 8);
	l->county_id = col_int(s, 9);
	l->amount_wan = col_text(s, 10) ? col_int(s, 10) : -1;
	l->stage = col_str(s, 11);
	l->lost_reason = col_str(s, 12);
	l->project_id = col_int(s, 13);
	l->project_code = col_str(s, 14);
	l->reported_by = col_str(s, 15);
	l->reported_on = col_date(s, 16);
	l->last_activity = col_date(s, 17);
	l->created_at = col_str(s, 18);
	l->updated_at = col_str(s, 19);
	l->version = col_int(s, 20);
	return 1;
}

void lead_release(struct lead *l)
{
	free(l->company);
	free(l->title);
	free(l->source_kind);
	free(l->source_name);
	free(l->stage);
	free(l->lost_reason);
	free(l->project_code);
	free(l->reported_by);
	free(l->created_at);
	free(l->updated_at);
	memset(l, 0, sizeof(*l));
}

int store_lead_get(struct store *s, int64_t id, struct lead *l)
{
	memset(l, 0, sizeof(*l));
	if (RUN(s, STMT_LEAD_GET, lead_row, l, PI(id)) != 0)
		return -1;
	return l->id ? 0 : 1;
}

int store_lead_save(struct store *s, struct lead *l, const char *now)
{
	struct sparam amount = l->amount_wan >= 0 ? PI(l->amount_wan) : (struct sparam){SP_NULL, NULL, 0};
	if (l->id)
		return RUN(s, STMT_LEAD_UPDATE, NULL, NULL, PI(l->id), PI(l->company_id), PT(l->title),
			   PT(l->source_kind), PTN(l->source_name), PID(l->channel_id),
			   PID(l->chain_id), PI(l->region_id), amount, PT(l->stage),
			   PTN(l->lost_reason), PID(l->project_id), PD(l->reported_on),
			   PD(l->last_activity), PT(now));
	return RUN(s, STMT_LEAD_INSERT, first_int, &l->id, PI(l->company_id), PT(l->title),
		   PT(l->source_kind), PTN(l->source_name), PID(l->channel_id), PID(l->chain_id),
		   PI(l->region_id), amount, PT(l->stage), PTN(l->lost_reason), PID(l->project_id),
		   PT(l->reported_by), PD(l->reported_on), PD(l->last_activity), PT(now));
}

struct leads_ctx {
	int (*row)(void *ctx, const struct lead *l);
	void *ctx;
};

static int leads_row(void *ctx, struct store *s)
{
	struct leads_ctx *k = ctx;
	struct lead l;
	memset(&l, 0, sizeof(l));
	lead_row(&l, s);
	int stop = k->row(k->ctx, &l);
	lead_release(&l);
	return stop;
}

int store_lead_list(struct store *s, const struct lead_filter *f,
		    int (*row)(void *ctx, const struct lead *l), void *ctx)
{
	struct qb b;
	memset(&b, 0, sizeof(b));
	struct sparam *n = b.named;
	n['S' - 'A'] = PT(f->stage);
	n['R' - 'A'] = PI(f->region_id);
	n['C' - 'A'] = PI(f->chain_id);
	n['K' - 'A'] = PT(f->source_kind);
	n['N' - 'A'] = PT(f->source_name);
	n['D' - 'A'] = PD(f->stale_before);
	n['I' - 'A'] = PI(f->after_id);
	n['L' - 'A'] = PI(f->limit);
	if (f->q)
		n['Q' - 'A'] = qb_like(&b, f->q);
	qb_add(&b, LEAD_COLUMNS " WHERE 1 = 1");
	if (f->stage)
		qb_add(&b, " AND l.stage = :S");
	if (f->region_id)
		qb_add(&b, f->region_is_county ? " AND l.county_id = :R" : " AND l.region_id = :R");
	if (f->chain_id)
		qb_add(&b, " AND l.chain_id = :C");
	if (f->source_kind)
		qb_add(&b, " AND l.source_kind = :K");
	if (f->source_name)
		qb_add(&b, " AND l.source_name = :N");
	if (f->stale_before != DATE_NONE && f->stale_before != 0)
		qb_add(&b, " AND l.stage IN ('new', 'following', 'negotiating')"
			   " AND l.last_activity < :D");
	if (f->q) {
		qb_add(&b, " AND (l.title ");
		qb_add(&b, s->ops->like);
		qb_add(&b, " :Q ESCAPE '\\' OR c.name ");
		qb_add(&b, s->ops->like);
		qb_add(&b, " :Q ESCAPE '\\')");
	}
	if (f->after_id)
		qb_add(&b, " AND l.id < :I");
	qb_add(&b, " ORDER BY l.id DESC");
	if (f->limit > 0)
		qb_add(&b, " LIMIT :L");
	struct leads_ctx k = {row, ctx};
	int rc = s->ops->query(s, STORE_DYNAMIC, buf_cstr(&b.sql), b.p, b.np, leads_row, &k);
	qb_release(&b);
	return rc;
}

struct follow_ctx {
	int (*row)(void *ctx, const struct follow_up *u);
	void *ctx;
};

static int follow_row(void *ctx, struct store *s)
{
	struct follow_ctx *k = ctx;
	struct follow_up u = {
		.id = col_int(s, 0),
		.lead_id = col_int(s, 1),
		.on_date = col_date(s, 2),
		.username = col_text(s, 3),
		.note = col_text(s, 4),
		.stage = col_text(s, 5),
		.created_at = col_text(s, 6),
	};
	return k->row(k->ctx, &u);
}

int store_follow_ups(struct store *s, int64_t lead_id,
		     int (*row)(void *ctx, const struct follow_up *u), void *ctx)
{
	struct follow_ctx k = {row, ctx};
	return RUN(s, STMT_FOLLOW_UPS, follow_row, &k, PI(lead_id));
}

int store_follow_up_add(struct store *s, struct follow_up *u)
{
	return RUN(s, STMT_FOLLOW_UP_ADD, first_int, &u->id, PI(u->lead_id), PD(u->on_date),
		   PT(u->username), PT(u->note), PTN(u->stage), PT(u->created_at));
}

struct funnel_list {
	struct funnel_row *rows;
	int n;
};

static const char *const lead_stages[] = {"new", "following", "negotiating", "signed", "lost"};

static int funnel_row(void *ctx, struct store *s)
{
	struct funnel_list *l = ctx;
	l->rows = xrealloc(l->rows, (size_t)(l->n + 1) * sizeof(*l->rows));
	struct funnel_row *r = &l->rows[l->n++];
	memset(r, 0, sizeof(*r));
	const char *t = col_text(s, 0);
	bool numeric = t && *t >= '0' && *t <= '9';
	r->id = numeric ? col_int(s, 0) : 0;
	r->key = numeric ? NULL : col_str(s, 0);
	const char *stage = col_text(s, 1);
	for (int i = 0; i < 5; i++)
		if (stage && strcmp(stage, lead_stages[i]) == 0)
			r->stage = lead_stages[i];
	r->count = col_int(s, 2);
	return 0;
}

void funnel_rows_release(struct funnel_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].key);
	free(rows);
}

int store_lead_funnel(struct store *s, int by, int32_t from, int32_t to, struct funnel_row **rows,
		      int *n)
{
	static const enum stmt stmts[] = {STMT_FUNNEL_SOURCE, STMT_FUNNEL_TEAM, STMT_FUNNEL_CHAIN};
	struct funnel_list l = {NULL, 0};
	int rc = RUN(s, stmts[by], funnel_row, &l, PD(from), PD(to));
	if (rc != 0) {
		funnel_rows_release(l.rows, l.n);
		l.rows = NULL;
		l.n = 0;
	}
	*rows = l.rows;
	*n = l.n;
	return rc;
}

/* ---- effort: campaigns, events, trips, stationed teams ---- */

struct text_rows {
	int ncols;
	store_text_row row;
	void *ctx;
};

static int text_row(void *ctx, struct store *s)
{
	struct text_rows *t = ctx;
	const char *v[24];
	for (int i = 0; i < t->ncols && i < 24; i++)
		v[i] = col_text(s, i);
	return t->row(t->ctx, v, t->ncols);
}

/* Runs statement i, handing each row's ncols columns as texts to row. */
static int rows_as_text(struct store *s, enum stmt i, int ncols, const struct sparam *p, int np,
			store_text_row row, void *ctx)
{
	struct text_rows t = {ncols, row, ctx};
	return run(s, i, p, np, text_row, &t);
}

int store_project_codes(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_PROJECT_CODES, 1, NULL, 0, row, ctx);
}

#define ROWS(s, i, ncols, row, ctx, ...)                                                    \
	rows_as_text(s, i, ncols, (const struct sparam[]){__VA_ARGS__},                       \
		     (int)(sizeof((const struct sparam[]){__VA_ARGS__}) / sizeof(struct sparam)), \
		     row, ctx)

int store_campaign_add(struct store *s, const char *name, const char *theme, int32_t starts_on,
		       int32_t ends_on, const char *now, int64_t *id)
{
	*id = 0;
	int rc = RUN(s, STMT_CAMPAIGN_INSERT, first_int, id, PT(name), PTN(theme), PD(starts_on),
		     PD(ends_on), PT(now));
	if (rc != 0 && s->fault == FAULT_UNIQUE) {
		store_fail(s, "专题活动 %s 已存在", name);
		s->fault = FAULT_UNIQUE;
	}
	return rc;
}

int store_campaign_find(struct store *s, const char *name, int64_t *id)
{
	*id = 0;
	if (RUN(s, STMT_CAMPAIGN_FIND, first_int, id, PT(name)) != 0)
		return -1;
	return *id ? 0 : 1;
}

int store_campaigns(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_CAMPAIGNS, 7, NULL, 0, row, ctx);
}

int store_event_create(struct store *s, const struct event_fields *e, const char *now, int64_t *id)
{
	*id = 0;
	int rc = RUN(s, STMT_EVENT_CREATE, first_int, id, PT(e->name), PTN(e->type), PTN(e->city),
		     PD(e->held_on), PTN(e->theme), PTN(e->organiser), PID(e->campaign_id), PT(now));
	if (rc != 0 && s->fault == FAULT_UNIQUE) {
		store_fail(s, "活动 %s 已存在", e->name);
		s->fault = FAULT_UNIQUE;
	}
	return rc;
}

int store_event_update(struct store *s, int64_t id, const struct event_fields *e)
{
	int rc = RUN(s, STMT_EVENT_UPDATE, NULL, NULL, PI(id), PT(e->name), PTN(e->type),
		     PTN(e->city), PD(e->held_on), PTN(e->theme), PTN(e->organiser),
		     PID(e->campaign_id));
	if (rc != 0 && s->fault == FAULT_UNIQUE) {
		store_fail(s, "活动 %s 已存在", e->name);
		s->fault = FAULT_UNIQUE;
	}
	return rc;
}

int store_event_get(struct store *s, int64_t id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_EVENT_GET, 8, row, ctx, PI(id));
}

int store_event_projects(struct store *s, int64_t id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_EVENT_PROJECTS, 13, row, ctx, PI(id));
}

int store_event_repeats(struct store *s, int64_t id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_EVENT_REPEATS, 3, row, ctx, PI(id));
}

int store_events_full(struct store *s, int32_t from, int32_t to, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_EVENTS_FULL, 10, row, ctx, PD(from), PD(to));
}

int store_trip_add(struct store *s, const struct trip_fields *t, const char *now, int64_t *id)
{
	*id = 0;
	return RUN(s, STMT_TRIP_INSERT, first_int, id, PT(t->leader_level), PT(t->leader),
		   PID(t->region_id), PID(t->campaign_id), PD(t->starts_on), PD(t->ends_on),
		   PI(t->days), PT(t->cities), PTN(t->purpose), PT(t->created_by), PT(now));
}

int store_trip_get(struct store *s, int64_t id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_TRIP_GET, 12, row, ctx, PI(id));
}

int store_trips(struct store *s, int32_t from, int32_t to, const char *level, store_text_row row,
		void *ctx)
{
	return ROWS(s, STMT_TRIPS, 12, row, ctx, PD(from), PD(to), PT(level));
}

int store_visit_add(struct store *s, int64_t trip_id, int64_t company_id, int32_t on,
		    const char *outcome, int64_t lead_id, int64_t project_id, int64_t *id)
{
	*id = 0;
	return RUN(s, STMT_VISIT_INSERT, first_int, id, PI(trip_id), PI(company_id), PD(on),
		   PTN(outcome), PID(lead_id), PID(project_id));
}

int store_visits(struct store *s, int64_t trip_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_VISITS, 7, row, ctx, PI(trip_id));
}

int store_team_add(struct store *s, const struct team_fields *t, const char *now, int64_t *id)
{
	*id = 0;
	int rc = RUN(s, STMT_TEAM_INSERT, first_int, id, PT(t->name), PT(t->city), PID(t->region_id),
		     PTN(t->leader), PI(t->members), PD(t->starts_on), PD(t->ends_on), PT(now));
	if (rc != 0 && s->fault == FAULT_UNIQUE) {
		store_fail(s, "驻点小分队 %s 已存在", t->name);
		s->fault = FAULT_UNIQUE;
	}
	return rc;
}

int store_team_get(struct store *s, int64_t id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_TEAM_GET, 10, row, ctx, PI(id));
}

int store_teams(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_TEAMS, 10, NULL, 0, row, ctx);
}

int store_team_find(struct store *s, const char *name, int64_t *id)
{
	*id = 0;
	if (RUN(s, STMT_TEAM_FIND, first_int, id, PT(name)) != 0)
		return -1;
	return *id ? 0 : 1;
}

int store_company_leads(struct store *s, int64_t company_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_COMPANY_LEADS, 6, row, ctx, PI(company_id));
}

int store_company_visits(struct store *s, int64_t company_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_COMPANY_VISITS, 5, row, ctx, PI(company_id));
}

int store_effort_by_region(struct store *s, int32_t from, int32_t to, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_EFFORT_BY_REGION, 3, row, ctx, PD(from), PD(to));
}

int store_lead_set_team(struct store *s, int64_t lead_id, int64_t team_id)
{
	return RUN(s, STMT_LEAD_SET_TEAM, NULL, NULL, PI(lead_id), PID(team_id));
}

static int first_three(void *ctx, struct store *s)
{
	int64_t *v = ctx;
	v[0] = col_int(s, 0);
	v[1] = col_int(s, 1);
	v[2] = col_int(s, 2);
	return 1;
}

int store_effort(struct store *s, int32_t from, int32_t to, struct effort *e)
{
	static const char *const levels[] = {"city_main", "city_deputy", "chain_leader", "county_main"};
	memset(e, 0, sizeof(*e));
	for (int i = 0; i < 4; i++) {
		int64_t v[3] = {0, 0, 0};
		if (RUN(s, STMT_EFFORT_TRIPS, first_three, v, PD(from), PD(to), PT(levels[i])) != 0)
			return -1;
		e->trips[i] = v[0];
		e->days[i] = v[1];
		e->companies[i] = v[2];
	}
	int64_t t[2] = {0, 0};
	if (RUN(s, STMT_EFFORT_MAJOR, first_int, &e->major_projects, PD(from), PD(to)) != 0 ||
	    RUN(s, STMT_EFFORT_TEAMS, first_two, t, PD(from), PD(to)) != 0 ||
	    RUN(s, STMT_EFFORT_INTENTIONS, first_int, &e->intentions, PD(from), PD(to)) != 0 ||
	    RUN(s, STMT_EFFORT_EVENTS, first_int, &e->events, PD(from), PD(to)) != 0 ||
	    RUN(s, STMT_EFFORT_CAMPAIGNS, first_int, &e->campaigns, PD(from), PD(to)) != 0 ||
	    RUN(s, STMT_EFFORT_TARGETED, first_int, &e->targeted, PD(from), PD(to)) != 0)
		return -1;
	e->teams = t[0];
	e->people = t[1];
	return 0;
}

/* ---- chain maps ---- */

int store_node_add(struct store *s, int64_t chain_id, const char *segment, const char *name,
		   int64_t *id)
{
	*id = 0;
	int rc = RUN(s, STMT_NODE_ADD, first_int, id, PI(chain_id), PT(segment), PT(name));
	if (rc != 0 && s->fault == FAULT_UNIQUE) {
		store_fail(s, "该产业链已有节点 %s", name);
		s->fault = FAULT_UNIQUE;
	}
	return rc;
}

int store_nodes(struct store *s, int64_t chain_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_NODES, 3, row, ctx, PI(chain_id));
}

int store_node_chain(struct store *s, int64_t node_id, int64_t *chain_id)
{
	*chain_id = 0;
	return RUN(s, STMT_NODE_GET, first_int, chain_id, PI(node_id));
}

int store_node_companies(struct store *s, int64_t chain_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_NODE_COMPANIES, 7, row, ctx, PI(chain_id));
}

int store_node_company_set(struct store *s, int64_t node_id, int64_t company_id, const char *role,
			   const char *note)
{
	return RUN(s, STMT_NODE_COMPANY_ADD, NULL, NULL, PI(node_id), PI(company_id), PT(role),
		   PTN(note));
}

int store_node_company_delete(struct store *s, int64_t node_id, int64_t company_id, bool *deleted)
{
	int64_t gone = 0;
	int rc = RUN(s, STMT_NODE_COMPANY_DELETE, first_int, &gone, PI(node_id), PI(company_id));
	*deleted = gone != 0;
	return rc;
}

int store_chain_lead_stages(struct store *s, int64_t chain_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_CHAIN_LEAD_STAGES, 2, row, ctx, PI(chain_id));
}

int store_chain_projects(struct store *s, int64_t chain_id, const char *from, const char *to,
			 int64_t out[3])
{
	out[0] = out[1] = out[2] = 0;
	return RUN(s, STMT_CHAIN_PROJECTS, first_three, out, PI(chain_id), PT(from), PT(to));
}

/* ---- supervision ---- */

int store_assess_inputs(struct store *s, const char *from, const char *to, const char *eval,
			const char *month, const char *home, bool verified, store_text_row signed_row,
			store_text_row due_row, store_text_row overdue_row, store_text_row invested_row,
			void *ctx)
{
	if (ROWS(s, STMT_ASSESS_SIGNED, 6, signed_row, ctx, PT(from), PT(to), PT(eval), PT(home)) != 0 ||
	    ROWS(s, STMT_ASSESS_PAIRS, 6, due_row, ctx, PT(from), PT(to), PT(eval), PI(verified)) != 0 ||
	    (verified ? ROWS(s, STMT_ASSESS_OVERDUE, 3, overdue_row, ctx, PT(eval), PI(verified))
		      : ROWS(s, STMT_ASSESS_OVERDUE_OPEN, 4, overdue_row, ctx, PT(eval))) != 0 ||
	    ROWS(s, STMT_ASSESS_INVESTED, 3, invested_row, ctx, PT(month), PT(eval)) != 0)
		return -1;
	return 0;
}

int store_assessment_get(struct store *s, const char *month, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_ASSESSMENT_GET, 3, row, ctx, PT(month));
}

int store_assessment_put(struct store *s, const char *month, const char *at, const char *by,
			 const char *snapshot)
{
	int rc = RUN(s, STMT_ASSESSMENT_PUT, NULL, NULL, PT(month), PT(at), PT(by), PT(snapshot));
	if (rc != 0 && s->fault == FAULT_UNIQUE) {
		store_fail(s, "%s 的考核已发布", month);
		s->fault = FAULT_UNIQUE;
	}
	return rc;
}

int store_assessments(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_ASSESSMENTS, 3, NULL, 0, row, ctx);
}

int store_objection_add(struct store *s, const char *month, int64_t region_id, const char *text,
			const char *by, const char *at, int64_t *id)
{
	*id = 0;
	return RUN(s, STMT_OBJECTION_ADD, first_int, id, PT(month), PI(region_id), PT(text), PT(by),
		   PT(at));
}

int store_objections(struct store *s, const char *month, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_OBJECTIONS, 8, row, ctx, PT(month));
}

int store_objection_answer(struct store *s, const char *month, int64_t id, const char *answer,
			   const char *by, const char *at, bool *found)
{
	int64_t got = 0;
	int rc = RUN(s, STMT_OBJECTION_ANSWER, first_int, &got, PI(id), PT(month), PT(answer), PT(by),
		     PT(at));
	*found = got != 0;
	return rc;
}

int store_progress_put(struct store *s, int64_t project_id, const char *month, int64_t invested,
		       int64_t cumulative, const char *note, const char *by, int32_t on)
{
	return RUN(s, STMT_PROGRESS_PUT, NULL, NULL, PI(project_id), PT(month), PI(invested),
		   PI(cumulative), PTN(note), PT(by), PD(on));
}

int store_progress_list(struct store *s, int64_t project_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_PROGRESS_LIST, 6, row, ctx, PI(project_id));
}

int store_plan_put(struct store *s, int64_t project_id, int32_t start, int32_t producing,
		   int64_t total_wan, const char *now)
{
	return RUN(s, STMT_PLAN_PUT, NULL, NULL, PI(project_id), PD(start), PD(producing),
		   total_wan >= 0 ? PI(total_wan) : (struct sparam){SP_NULL, NULL, 0}, PT(now));
}

int store_major_list(struct store *s, const char *month, const char *today, store_text_row row,
		     void *ctx)
{
	return ROWS(s, STMT_MAJOR_LIST, 14, row, ctx, PT(month), PT(today));
}

/* ---- problems and dispatch ---- */

static int problem_row(void *ctx, struct store *s)
{
	struct problem *q = ctx;
	q->id = col_int(s, 0);
	q->project_id = col_int(s, 1);
	q->code = col_str(s, 2);
	q->project_name = col_str(s, 3);
	q->region_id = col_int(s, 4);
	q->chain_id = col_int(s, 5);
	q->category = col_str(s, 6);
	q->grade = col_str(s, 7);
	q->title = col_str(s, 8);
	q->description = col_str(s, 9);
	q->owner_department_id = col_int(s, 10);
	q->owner_person = col_str(s, 11);
	q->deadline = col_date(s, 12);
	q->status = col_str(s, 13);
	q->raised_by = col_str(s, 14);
	q->raised_on = col_date(s, 15);
	q->solved_on = col_date(s, 16);
	q->escalations = (int)col_int(s, 17);
	q->created_at = col_str(s, 18);
	q->updated_at = col_str(s, 19);
	return 1;
}

void problem_release(struct problem *q)
{
	free(q->code);
	free(q->project_name);
	free(q->category);
	free(q->grade);
	free(q->title);
	free(q->description);
	free(q->owner_person);
	free(q->status);
	free(q->raised_by);
	free(q->created_at);
	free(q->updated_at);
	memset(q, 0, sizeof(*q));
}

int store_problem_get(struct store *s, int64_t id, struct problem *q)
{
	memset(q, 0, sizeof(*q));
	if (RUN(s, STMT_PROBLEM_GET, problem_row, q, PI(id)) != 0)
		return -1;
	return q->id ? 0 : 1;
}

int store_problem_add(struct store *s, struct problem *q, const char *now)
{
	return RUN(s, STMT_PROBLEM_INSERT, first_int, &q->id, PI(q->project_id), PT(q->category),
		   PT(q->grade), PT(q->title), PTN(q->description), PID(q->owner_department_id),
		   PTN(q->owner_person), PD(q->deadline), PT(q->raised_by), PD(q->raised_on), PT(now));
}

int store_problem_update(struct store *s, const struct problem *q, const char *now)
{
	return RUN(s, STMT_PROBLEM_UPDATE, NULL, NULL, PI(q->id), PT(q->grade),
		   PID(q->owner_department_id), PTN(q->owner_person), PD(q->deadline), PT(q->status),
		   PD(q->solved_on), PI(q->escalations), PT(now));
}

int store_problem_event(struct store *s, int64_t problem_id, int32_t on, const char *user,
			const char *kind, const char *text, int64_t meeting_id)
{
	return RUN(s, STMT_PROBLEM_EVENT_ADD, NULL, NULL, PI(problem_id), PD(on), PT(user), PT(kind),
		   PT(text), PID(meeting_id));
}

int store_problem_events(struct store *s, int64_t problem_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_PROBLEM_EVENTS, 5, row, ctx, PI(problem_id));
}

struct id_list {
	int64_t *ids;
	int n;
};

static int id_row(void *ctx, struct store *s)
{
	struct id_list *l = ctx;
	l->ids = xrealloc(l->ids, (size_t)(l->n + 1) * sizeof(int64_t));
	l->ids[l->n++] = col_int(s, 0);
	return 0;
}

int store_problems_past_deadline(struct store *s, int32_t today, int64_t **ids, int *n)
{
	struct id_list l = {NULL, 0};
	int rc = RUN(s, STMT_PROBLEMS_PAST_DEADLINE, id_row, &l, PD(today));
	*ids = l.ids;
	*n = l.n;
	return rc;
}

struct problems_ctx {
	int (*row)(void *ctx, const struct problem *q);
	void *ctx;
};

static int problems_row(void *ctx, struct store *s)
{
	struct problems_ctx *k = ctx;
	struct problem q;
	memset(&q, 0, sizeof(q));
	problem_row(&q, s);
	int stop = k->row(k->ctx, &q);
	problem_release(&q);
	return stop;
}

int store_problem_list(struct store *s, const struct problem_filter *f,
		       int (*row)(void *ctx, const struct problem *q), void *ctx)
{
	struct qb b;
	memset(&b, 0, sizeof(b));
	struct sparam *n = b.named;
	n['S' - 'A'] = PT(f->status);
	n['G' - 'A'] = PT(f->grade);
	n['P' - 'A'] = PI(f->project_id);
	n['D' - 'A'] = PD(f->overdue_on);
	n['L' - 'A'] = PI(f->limit);
	qb_add(&b, PROBLEM_COLUMNS " WHERE 1 = 1");
	if (f->status)
		qb_add(&b, " AND q.status = :S");
	if (f->grade)
		qb_add(&b, " AND q.grade = :G");
	if (f->project_id)
		qb_add(&b, " AND q.project_id = :P");
	if (f->overdue_on)
		qb_add(&b, " AND q.status IN ('open', 'in_progress') AND q.deadline < :D");
	qb_add(&b, " ORDER BY q.deadline, q.id");
	if (f->limit > 0)
		qb_add(&b, " LIMIT :L");
	struct problems_ctx k = {row, ctx};
	int rc = s->ops->query(s, STORE_DYNAMIC, buf_cstr(&b.sql), b.p, b.np, problems_row, &k);
	qb_release(&b);
	return rc;
}

int store_meeting_add(struct store *s, const char *name, int32_t held_on, const char *chair,
		      const char *now, int64_t *id)
{
	*id = 0;
	return RUN(s, STMT_MEETING_ADD, first_int, id, PT(name), PD(held_on), PTN(chair), PT(now));
}

int store_meetings(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_MEETINGS, 5, NULL, 0, row, ctx);
}

/* ---- reminders ---- */

int store_notify(struct store *s, const char *user, const char *item, const char *title,
		 const char *body, const char *now)
{
	return RUN(s, STMT_NOTIFY, NULL, NULL, PT(user), PT(item), PT(title), PT(body), PT(now));
}

int store_inbox(struct store *s, const char *user, int limit, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_INBOX, 6, row, ctx, PT(user), PI(limit));
}

int store_inbox_read(struct store *s, const char *user, int64_t id, const char *now, bool *found)
{
	int64_t got = 0;
	int rc = RUN(s, STMT_INBOX_READ, first_int, &got, PI(id), PT(user), PT(now));
	*found = got != 0;
	return rc;
}

int store_target_add(struct store *s, const char *kind, const char *target, const char *name,
		     int64_t *id)
{
	*id = 0;
	int rc = RUN(s, STMT_TARGET_ADD, first_int, id, PT(kind), PT(target), PTN(name));
	if (rc != 0 && s->fault == FAULT_UNIQUE) {
		store_fail(s, "已有这个推送目标");
		s->fault = FAULT_UNIQUE;
	}
	return rc;
}

int store_targets(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_TARGETS, 5, NULL, 0, row, ctx);
}

int store_delivery_add(struct store *s, int64_t target, const char *item, const char *payload,
		       int64_t next_at, const char *now)
{
	return RUN(s, STMT_DELIVERY_ADD, NULL, NULL, PI(target), PT(item), PT(payload), PI(next_at),
		   PT(now));
}

int store_deliveries_due(struct store *s, int64_t now, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_DELIVERIES_DUE, 5, row, ctx, PI(now));
}

int store_delivery_claim(struct store *s, int64_t id, int64_t now, int64_t lease_until, bool *claimed)
{
	int64_t got = 0;
	int rc = RUN(s, STMT_DELIVERY_CLAIM, first_int, &got, PI(id), PI(now), PI(lease_until));
	*claimed = got != 0;
	return rc;
}

int store_delivery_done(struct store *s, int64_t id, const char *status, int attempts,
			const char *error, int64_t next_at, const char *sent_at)
{
	return RUN(s, STMT_DELIVERY_DONE, NULL, NULL, PI(id), PT(status), PI(attempts), PTN(error),
		   PI(next_at), PTN(sent_at));
}

int store_deliveries(struct store *s, const char *status, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_DELIVERIES, 9, row, ctx, PT(status));
}

int store_region_operators(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_REGION_OPERATORS, 2, NULL, 0, row, ctx);
}

/* ---- duplicates ---- */

int store_company_keys_missing(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_COMPANY_KEYS_MISSING, 2, NULL, 0, row, ctx);
}

int store_company_key_set(struct store *s, int64_t id, const char *key)
{
	return RUN(s, STMT_COMPANY_KEY_SET, NULL, NULL, PI(id), PT(key));
}

int store_dup_candidates(struct store *s, const char *lo, const char *hi, int64_t except, int limit,
			 store_text_row row, void *ctx)
{
	if (!lo)
		return rows_as_text(s, STMT_DUP_ALL, 12, NULL, 0, row, ctx);
	return ROWS(s, STMT_DUP_CANDIDATES, 12, row, ctx, PT(lo), PT(hi), PI(except), PI(limit));
}

int store_dup_pair_put(struct store *s, int64_t a, int64_t b, int score, const char *reasons,
		       const char *now)
{
	if (a > b) {
		int64_t t = a;
		a = b;
		b = t;
	}
	return RUN(s, STMT_DUP_PAIR_PUT, NULL, NULL, PI(a), PI(b), PI(score), PT(reasons), PT(now));
}

int store_dup_pairs_drop(struct store *s, int64_t project_id)
{
	return RUN(s, STMT_DUP_PAIRS_DROP, NULL, NULL, PI(project_id));
}

int store_dup_pairs_open(struct store *s, store_text_row row, void *ctx)
{
	return rows_as_text(s, STMT_DUP_PAIRS_OPEN, 10, NULL, 0, row, ctx);
}

int store_dup_pair_distinct(struct store *s, int64_t a, int64_t b, const char *by, const char *at,
			    bool *found)
{
	int64_t got = 0;
	if (a > b) {
		int64_t t = a;
		a = b;
		b = t;
	}
	int rc = RUN(s, STMT_DUP_PAIR_DISTINCT, first_int, &got, PI(a), PI(b), PT(by), PT(at));
	*found = got != 0;
	return rc;
}

int store_project_merge(struct store *s, int64_t kept, int64_t gone, const char *gone_code,
			const char *snapshot, const char *by, const char *at)
{
	static const enum stmt moves[] = {STMT_MERGE_EVIDENCE, STMT_MERGE_LEADS, STMT_MERGE_VISITS,
					  STMT_MERGE_PROBLEMS, STMT_MERGE_PLAN, STMT_MERGE_PROGRESS,
					  STMT_MERGE_EARLIER};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (RUN(s, moves[i], NULL, NULL, PI(kept), PI(gone)) != 0)
			return -1;
	if (RUN(s, STMT_MERGE_PLAN_DROP, NULL, NULL, PI(gone)) != 0 ||
	    RUN(s, STMT_MERGE_PROGRESS_DROP, NULL, NULL, PI(gone)) != 0 ||
	    RUN(s, STMT_PROJECT_DELETE, NULL, NULL, PI(gone)) != 0)
		return -1;
	return RUN(s, STMT_MERGE_INSERT, NULL, NULL, PI(kept), PT(gone_code), PT(snapshot), PT(by),
		   PT(at));
}

int store_merged_into(struct store *s, const char *code, char **kept)
{
	*kept = NULL;
	if (RUN(s, STMT_MERGED_INTO, first_str, kept, PT(code)) != 0)
		return -1;
	return *kept ? 0 : 1;
}

int store_merged_codes(struct store *s, int64_t kept, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_MERGED_CODES, 4, row, ctx, PI(kept));
}

/* ---- the verification gate ---- */

int store_verify(struct store *s, int64_t project_id, int milestone, int32_t on,
		 const char *reference, int64_t evidence_id, const char *note, const char *by,
		 const char *at)
{
	const char *key = milestone_key((enum milestone)milestone);
	if (RUN(s, STMT_VERIFY_WITHDRAW, NULL, NULL, PI(project_id), PT(key), PT(by), PT(at)) != 0 ||
	    RUN(s, STMT_VERIFY_ADD, NULL, NULL, PI(project_id), PT(key), PD(on), PTN(reference),
		PID(evidence_id), PTN(note), PT(by), PT(at)) != 0)
		return -1;
	return RUN(s, STMT_VERIFY_MASK_SET, NULL, NULL, PI(project_id), PI(1 << milestone));
}

int store_unverify(struct store *s, int64_t project_id, int milestone, const char *by, const char *at)
{
	const char *key = milestone_key((enum milestone)milestone);
	if (RUN(s, STMT_VERIFY_WITHDRAW, NULL, NULL, PI(project_id), PT(key), PT(by), PT(at)) != 0)
		return -1;
	return RUN(s, STMT_VERIFY_MASK_CLEAR, NULL, NULL, PI(project_id), PI(1 << milestone));
}

int store_verifications(struct store *s, int64_t project_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_VERIFICATIONS, 10, row, ctx, PI(project_id));
}

/* ---- attribution and amounts ---- */

int store_referral_put(struct store *s, int64_t project_id, const char *kind, int64_t ref_id,
		       int share, const char *by, const char *at)
{
	return RUN(s, STMT_REFERRAL_PUT, NULL, NULL, PI(project_id), PT(kind), PI(ref_id), PI(share),
		   PT(by), PT(at));
}

int store_referral_delete(struct store *s, int64_t project_id, bool *deleted)
{
	int64_t got = 0;
	int rc = RUN(s, STMT_REFERRAL_DELETE, first_int, &got, PI(project_id));
	*deleted = got != 0;
	return rc;
}

int store_referral_get(struct store *s, int64_t project_id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_REFERRAL_GET, 5, row, ctx, PI(project_id));
}

int store_investor_others(struct store *s, int64_t project_id, int64_t *count, int64_t *max_wan)
{
	int64_t v[2] = {0, 0};
	int rc = RUN(s, STMT_INVESTOR_OTHERS_MAX, first_two, v, PI(project_id));
	*count = v[0];
	*max_wan = v[1];
	return rc;
}

int store_amount_flag(struct store *s, int64_t project_id, bool pending, const char *entered_by)
{
	return RUN(s, STMT_AMOUNT_FLAG, NULL, NULL, PI(project_id), PI(pending), PTN(entered_by));
}

/* Ids per statement of store_amount_flags(). */
#define AMOUNT_FLAGS_BATCH 10000

int store_amount_flags(struct store *s, const int64_t *ids, size_t n, bool pending,
		       const char *entered_by)
{
	int rc = 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n && rc == 0; i += AMOUNT_FLAGS_BATCH) {
		buf_reset(&b);
		buf_addc(&b, '[');
		for (size_t k = i; k < n && k < i + AMOUNT_FLAGS_BATCH; k++)
			buf_addf(&b, k > i ? ",%lld" : "%lld", (long long)ids[k]);
		buf_addc(&b, ']');
		rc = RUN(s, STMT_AMOUNT_FLAGS, NULL, NULL, PT(buf_cstr(&b)), PI(pending),
			 PTN(entered_by));
	}
	buf_release(&b);
	return rc;
}

int store_amount_confirm(struct store *s, int64_t project_id, const char *by, bool *done)
{
	int64_t got = 0;
	int rc = RUN(s, STMT_AMOUNT_CONFIRM, first_int, &got, PI(project_id), PT(by));
	*done = got != 0;
	return rc;
}

int store_amount_entered_by(struct store *s, int64_t project_id, char **user)
{
	*user = NULL;
	return RUN(s, STMT_AMOUNT_ENTERED_BY, first_str, user, PI(project_id));
}

struct amount_rows {
	struct amount_row *v;
	size_t n, cap;
};

static int amount_row_in(void *ctx, struct store *s)
{
	struct amount_rows *a = ctx;
	ARRAY_GROW(a->v, a->n, a->cap);
	a->v[a->n++] = (struct amount_row){col_int(s, 0), col_int(s, 1), col_int(s, 2),
					   col_int(s, 3) != 0};
	return 0;
}

int store_amount_rows(struct store *s, struct amount_row **rows, size_t *n)
{
	struct amount_rows a = {0};
	int rc = run(s, STMT_AMOUNT_ROWS, NULL, 0, amount_row_in, &a);
	if (rc != 0) {
		free(a.v);
		a.v = NULL;
		a.n = 0;
	}
	*rows = a.v;
	*n = a.n;
	return rc;
}

int store_quality(struct store *s, int32_t unverified_before, int32_t idle_before,
		  store_text_row row, void *ctx)
{
	return ROWS(s, STMT_QUALITY, 3, row, ctx, PD(unverified_before), PD(idle_before));
}

static int claim_row(void *ctx, struct store *s)
{
	int64_t *out = ctx;
	out[0] = col_int(s, 0);
	out[1] = col_date(s, 1);
	return 1;
}

int store_lead_claim(struct store *s, int64_t company_id, int32_t since, int64_t *county_id,
		     int32_t *reported_on)
{
	int64_t v[2] = {0, DATE_NONE};
	int rc = RUN(s, STMT_LEAD_CLAIM, claim_row, v, PI(company_id), PD(since));
	*county_id = v[0];
	*reported_on = (int32_t)v[1];
	return rc;
}

int store_inbox_unread(struct store *s, const char *user, int64_t *n)
{
	*n = 0;
	return RUN(s, STMT_INBOX_UNREAD, first_int, n, PT(user));
}

int store_inbox_read_all(struct store *s, const char *user, const char *now)
{
	return RUN(s, STMT_INBOX_READ_ALL, NULL, NULL, PT(user), PT(now));
}

int store_meeting_get(struct store *s, int64_t id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_MEETING_GET, 5, row, ctx, PI(id));
}

int store_meeting_decisions(struct store *s, int64_t id, store_text_row row, void *ctx)
{
	return ROWS(s, STMT_MEETING_DECISIONS, 8, row, ctx, PI(id));
}
