/*
 * store_sqlite: the SQLite backend of the store API (see store/store.h).
 *
 * The only file that includes sqlite3.h. A connection runs in WAL mode with
 * synchronous=FULL (every commit is on disk before it is acknowledged),
 * foreign keys on and a busy timeout so that several threads or processes
 * writing at once wait for each other instead of failing. Fixed statements
 * are prepared once per connection (enum stmt beside the sql[] table); the
 * project list, whose WHERE clause depends on the filters, is assembled from
 * constant fragments only (user values are always bound) and its prepared
 * statements are cached per shape.
 */
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/date.h"
#include "util/buf.h"
#include "util/embedded.h"
#include "util/xalloc.h"

enum stmt {
	STMT_META_GET,
	STMT_META_SET,
	STMT_VERSION_BUMP,
	STMT_REGIONS,
	STMT_DEPARTMENTS,
	STMT_CHAINS,
	STMT_CHANNELS,
	STMT_RULES,
	STMT_REGION_ADD,
	STMT_REGION_COUNTY_SELF,
	STMT_DEPARTMENT_ADD,
	STMT_CHAIN_ADD,
	STMT_CHANNEL_ADD,
	STMT_RULE_ADD,
	STMT_EVENTS,
	STMT_EVENT_FIND,
	STMT_EVENT_ADD,
	STMT_COMPANY_FIND_NAME,
	STMT_COMPANY_FIND_CODE,
	STMT_COMPANY_ADD,
	STMT_COMPANY_FILL,
	STMT_PROJECT_GET,
	STMT_PROJECT_INSERT,
	STMT_PROJECT_UPDATE,
	STMT_PROJECT_RULES_DELETE,
	STMT_PROJECT_RULE_INSERT,
	STMT_PROJECT_COUNT,
	STMT_HEADLINE,
	STMT_HEADLINE_EVENTS,
	STMT_HEADLINE_FOREIGN,
	STMT_BD_CHAIN,
	STMT_BD_CHANNEL,
	STMT_BD_EVENT,
	STMT_BD_MONTH,
	STMT_BD_PROVINCE,
	STMT_PAIRS_OPEN,
	STMT_PAIRS_ALL,
	STMT__MAX
};

/* The columns of a project row, in the order project_from_row() reads. */
#define PROJECT_COLUMNS                                                              \
	"p.id, p.code, p.name, co.name, co.credit_code, p.investor_province, "        \
	"p.investor_city, p.region_id, NULL, p.county_id, NULL, p.chain_id, "         \
	"NULL, p.amount_wan, p.channel_id, NULL, p.event_id, ev.name, "               \
	"p.foreign_oriented, p.major, p.responsible, p.signed_on, p.registered_on, "  \
	"p.registered_na, p.started_on, p.started_na, p.included_on, p.included_na, " \
	"p.producing_on, p.producing_na, p.na_reason, p.terminated_on, "              \
	"p.terminated_reason, p.notes, p.version, p.created_at, p.updated_at"

/* Region, chain and channel names are not joined: the reference data is in
 * memory (refdata_project_names()). */
#define PROJECT_FROM                                          \
	" FROM projects p"                                    \
	" JOIN companies co ON co.id = p.investor_id"         \
	" LEFT JOIN events ev ON ev.id = p.event_id"

static const char *const sql[STMT__MAX] = {
	[STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[STMT_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
			  " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[STMT_VERSION_BUMP] = "INSERT INTO meta (key, value) VALUES ('data_version', '1')"
			      " ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
	[STMT_REGIONS] = "WITH RECURSIVE t (id, parent_id, name, code, level, county_id, assessed,"
			 " sort_order, path, ord) AS ("
			 " SELECT id, parent_id, name, code, level, county_id, assessed, sort_order,"
			 " name, printf('%06d', sort_order) FROM regions WHERE parent_id IS NULL"
			 " UNION ALL SELECT c.id, c.parent_id, c.name, c.code, c.level, c.county_id,"
			 " c.assessed, c.sort_order, t.path || '/' || c.name,"
			 " t.ord || '.' || printf('%06d', c.sort_order)"
			 " FROM regions c JOIN t ON c.parent_id = t.id)"
			 " SELECT id, parent_id, name, code, level, county_id, assessed, sort_order, path"
			 " FROM t ORDER BY ord",
	[STMT_DEPARTMENTS] = "SELECT id, name, NULL, NULL, sort_order FROM departments ORDER BY sort_order, id",
	[STMT_CHAINS] = "SELECT id, name, category, leader, sort_order FROM chains ORDER BY sort_order, id",
	[STMT_CHANNELS] = "SELECT id, name, NULL, NULL, sort_order FROM channels ORDER BY sort_order, id",
	[STMT_RULES] = "SELECT id, key, name, from_milestone, to_milestone, months FROM rules"
		       " ORDER BY sort_order, id",
	[STMT_REGION_ADD] = "INSERT INTO regions (parent_id, name, code, level, county_id, assessed, sort_order)"
			    " VALUES (?1, ?2, ?3, ?4, (SELECT CASE WHEN p.level = 'county' THEN p.id"
			    " ELSE p.county_id END FROM regions p WHERE p.id = ?1), ?5, ?6)",
	[STMT_REGION_COUNTY_SELF] = "UPDATE regions SET county_id = id WHERE id = ?1",
	[STMT_DEPARTMENT_ADD] = "INSERT INTO departments (name, sort_order) VALUES (?1, ?2)",
	[STMT_CHAIN_ADD] = "INSERT INTO chains (name, category, leader, task_force, sort_order)"
			   " VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_CHANNEL_ADD] = "INSERT INTO channels (name, sort_order) VALUES (?1, ?2)",
	[STMT_RULE_ADD] = "INSERT INTO rules (key, name, from_milestone, to_milestone, months, sort_order)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_EVENTS] = "SELECT id, name, type, city, held_on FROM events ORDER BY held_on, name",
	[STMT_EVENT_FIND] = "SELECT id FROM events WHERE name = ?1",
	[STMT_EVENT_ADD] = "INSERT INTO events (name, type, city, held_on, created_at)"
			   " VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_COMPANY_FIND_NAME] = "SELECT id, credit_code IS NULL OR province IS NULL OR city IS NULL"
				   " FROM companies WHERE name = ?1",
	[STMT_COMPANY_FIND_CODE] = "SELECT id, credit_code IS NULL OR province IS NULL OR city IS NULL"
				   " FROM companies WHERE credit_code = ?1",
	[STMT_COMPANY_ADD] = "INSERT INTO companies (name, credit_code, province, city, created_at)"
			     " VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_COMPANY_FILL] = "UPDATE companies SET credit_code = COALESCE(credit_code, ?2),"
			      " province = COALESCE(province, ?3), city = COALESCE(city, ?4) WHERE id = ?1",
	[STMT_PROJECT_GET] = "SELECT " PROJECT_COLUMNS PROJECT_FROM " WHERE p.code = ?1",
	[STMT_PROJECT_INSERT] =
		"INSERT INTO projects (code, name, investor_id, investor_province, investor_city,"
		" region_id, county_id, chain_id, amount_wan, channel_id, event_id, foreign_oriented,"
		" major, responsible, signed_on, registered_on, registered_na, started_on, started_na,"
		" included_on, included_na, producing_on, producing_na, na_reason, terminated_on,"
		" terminated_reason, stage, notes, version, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT CASE WHEN level = 'county' THEN id"
		" ELSE county_id END FROM regions WHERE id = ?6), ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, 1, ?28, ?28)",
	[STMT_PROJECT_UPDATE] =
		"UPDATE projects SET code = ?1, name = ?2, investor_id = ?3, investor_province = ?4,"
		" investor_city = ?5, region_id = ?6, county_id = (SELECT CASE WHEN level = 'county'"
		" THEN id ELSE county_id END FROM regions WHERE id = ?6), chain_id = ?7, amount_wan = ?8,"
		" channel_id = ?9, event_id = ?10, foreign_oriented = ?11, major = ?12, responsible = ?13,"
		" signed_on = ?14, registered_on = ?15, registered_na = ?16, started_on = ?17,"
		" started_na = ?18, included_on = ?19, included_na = ?20, producing_on = ?21,"
		" producing_na = ?22, na_reason = ?23, terminated_on = ?24, terminated_reason = ?25,"
		" stage = ?26, notes = ?27, version = version + 1, updated_at = ?28 WHERE id = ?29",
	[STMT_PROJECT_RULES_DELETE] = "DELETE FROM project_rules WHERE project_id = ?1",
	[STMT_PROJECT_RULE_INSERT] = "INSERT INTO project_rules (project_id, rule_id, from_on, due, to_on, to_na)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_PROJECT_COUNT] = "SELECT count(*) FROM projects",
	/* Three statements, each a range scan of the covering index
	 * projects_figures (measured faster than one pass with seven
	 * conditional sums, whose GROUP BY sorter dominated). */
	[STMT_HEADLINE] = "SELECT county_id, count(*), sum(amount_wan),"
			  " sum(CASE WHEN started_on <= ?3 THEN 1 ELSE 0 END)"
			  " FROM projects WHERE signed_on >= ?1 AND signed_on <= ?2"
			  " AND amount_wan >= 10000 AND investor_province <> ?4"
			  " AND (terminated_on IS NULL OR terminated_on > ?3)"
			  " GROUP BY county_id",
	[STMT_HEADLINE_EVENTS] = "SELECT count(*), coalesce(sum(amount_wan), 0) FROM projects"
				 " WHERE signed_on >= ?1 AND signed_on <= ?2 AND event_id IS NOT NULL"
				 " AND (terminated_on IS NULL OR terminated_on > ?3)",
	[STMT_HEADLINE_FOREIGN] = "SELECT count(*) FROM projects"
				  " WHERE signed_on >= ?1 AND signed_on <= ?2 AND foreign_oriented = 1"
				  " AND amount_wan >= 10000 AND (terminated_on IS NULL OR terminated_on > ?3)",
#define BD_SELECT(key)                                                               \
	"SELECT " key ", count(*), sum(amount_wan),"                                   \
	" sum(CASE WHEN started_on <= ?3 THEN 1 ELSE 0 END) FROM projects"             \
	" WHERE signed_on >= ?1 AND signed_on <= ?2 AND amount_wan >= 10000"           \
	" AND investor_province <> ?4 AND (terminated_on IS NULL OR terminated_on > ?3)"
	[STMT_BD_CHAIN] = BD_SELECT("chain_id, NULL") " GROUP BY chain_id",
	[STMT_BD_CHANNEL] = BD_SELECT("channel_id, NULL") " GROUP BY channel_id",
	[STMT_BD_EVENT] = BD_SELECT("event_id, (SELECT name FROM events WHERE id = event_id)")
	" GROUP BY event_id",
	[STMT_BD_MONTH] = BD_SELECT("0, substr(signed_on, 1, 7)") " GROUP BY substr(signed_on, 1, 7)",
	[STMT_BD_PROVINCE] = BD_SELECT("0, investor_province") " GROUP BY investor_province",
#define PAIR_SELECT                                                                      \
	"SELECT p.id, p.code, p.name, cr.name, p.responsible, p.county_id, pr.rule_id,"  \
	" p.signed_on, p.registered_on, p.registered_na, p.started_on, p.started_na,"    \
	" p.included_on, p.included_na, p.producing_on, p.producing_na, p.terminated_on," \
	" pr.due, ru.sort_order, ru.id"                                                   \
	" FROM project_rules pr JOIN projects p ON p.id = pr.project_id"                 \
	" JOIN rules ru ON ru.id = pr.rule_id JOIN regions cr ON cr.id = p.county_id"
	/* Unfinished on as_of: never finished (the partial index project_rules_open)
	 * or finished after as_of (project_rules_late); two branches, so that each
	 * uses its index ("+pr.due" keeps the planner off project_rules_due in the
	 * second). Columns 18-20 are due, the rule order and the rule id. */
	[STMT_PAIRS_OPEN] = PAIR_SELECT
	" WHERE pr.to_on IS NULL AND pr.to_na = 0 AND pr.due <= ?2 AND pr.from_on <= ?1"
	" AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
	" UNION ALL " PAIR_SELECT
	" WHERE pr.to_on > ?1 AND pr.to_na = 0 AND +pr.due <= ?2 AND pr.from_on <= ?1"
	" AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
	" ORDER BY 18, 2, 19, 20",
	[STMT_PAIRS_ALL] = PAIR_SELECT
	" WHERE pr.from_on <= ?1 AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
	" ORDER BY pr.due, p.code, ru.sort_order, ru.id",
};

/* A cached statement for one shape of the project list. */
struct shape {
	char *sql;
	sqlite3_stmt *stmt;
	struct shape *next;
};

struct store {
	sqlite3 *db;
	char **bulk_sql; /* CREATE INDEX statements set aside by store_bulk_begin */
	int nbulk;
	sqlite3_stmt *stmt[STMT__MAX];
	struct shape *shapes;
	char *path;
	struct buf err;
};

static void bulk_free(struct store *s);

static int fail(struct store *s, const char *what)
{
	buf_reset(&s->err);
	buf_addf(&s->err, "%s: %s", what, s->db ? sqlite3_errmsg(s->db) : "no database");
	return -1;
}

const char *store_error(const struct store *s)
{
	return buf_cstr(&s->err);
}

/* The prepared statement i, reset and with its bindings cleared. NULL on
 * failure (the error is set). */
static sqlite3_stmt *st(struct store *s, enum stmt i)
{
	if (!s->stmt[i]) {
		if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
				       NULL) != SQLITE_OK) {
			fail(s, "prepare");
			return NULL;
		}
	} else {
		sqlite3_reset(s->stmt[i]);
		sqlite3_clear_bindings(s->stmt[i]);
	}
	return s->stmt[i];
}

/* Binds without copying: every caller steps the statement while v lives,
 * and st() clears the bindings before the statement is used again. */
static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static void bind_id(sqlite3_stmt *q, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(q, i, id);
	else
		sqlite3_bind_null(q, i);
}

static void bind_date(sqlite3_stmt *q, int i, int32_t d)
{
	if (d == DATE_NONE) {
		sqlite3_bind_null(q, i);
	} else {
		char t[11];
		date_format(d, t);
		sqlite3_bind_text(q, i, t, 10, SQLITE_TRANSIENT);
	}
}

static char *col_str(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static int32_t col_date(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	int32_t d;
	if (!t || date_parse_iso((const char *)t, &d) != 0)
		return DATE_NONE;
	return d;
}

/* Runs a statement that returns no rows. */
static int exec_done(struct store *s, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return fail(s, what);
	return 0;
}

static int exec_sql(struct store *s, const char *text)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, text, NULL, NULL, &msg) != SQLITE_OK) {
		buf_reset(&s->err);
		buf_addf(&s->err, "%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

/* Process-wide settings, before the first connection: every connection is
 * used by one thread at a time, and allocation statistics are not needed
 * (they take a global mutex on every allocation). */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

int store_open(const char *url, bool create, struct store **out, char **err)
{
	pthread_once(&sqlite_once, sqlite_setup);
	const char *path = url;
	if (strncmp(url, "sqlite:", 7) == 0)
		path = url + 7;
	if (strncmp(url, "postgresql:", 11) == 0 || strncmp(url, "postgres:", 9) == 0) {
		*err = xstrdup("PostgreSQL 数据库尚不支持 (PostgreSQL is not supported yet)");
		return -1;
	}
	if (!*path) {
		*err = xstrdup("数据库路径为空 (empty database path)");
		return -1;
	}
	struct store *s = xcalloc(1, sizeof(*s));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "无法打开数据库 %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "?");
		if (!create)
			buf_adds(&b, " (先运行 zhaoshang init)");
		*err = buf_detach(&b);
		store_close(s);
		return -1;
	}
	s->path = xstrdup(path);
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	if (exec_sql(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			"PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;") !=
	    0) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "无法打开数据库 %s: %s", path, store_error(s));
		*err = buf_detach(&b);
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->stmt[i]);
	for (struct shape *h = s->shapes, *n; h; h = n) {
		n = h->next;
		sqlite3_finalize(h->stmt);
		free(h->sql);
		free(h);
	}
	sqlite3_close_v2(s->db);
	bulk_free(s);
	buf_release(&s->err);
	free(s->path);
	free(s);
}

int store_begin(struct store *s)
{
	/* IMMEDIATE: take the write lock now, so a reader turned writer never
	 * fails half-way with SQLITE_BUSY. */
	return exec_sql(s, "BEGIN IMMEDIATE");
}

int store_commit(struct store *s)
{
	sqlite3_stmt *q = st(s, STMT_VERSION_BUMP);
	if (!q || exec_done(s, q, "data version") != 0)
		return -1;
	return exec_sql(s, "COMMIT");
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- migrations ---- */

static const char migration_dir[] = "src/store/sqlite/migrations/";

int store_schema_version(struct store *s, int *version)
{
	*version = 0;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT max(version) FROM schema_migrations WHERE EXISTS"
			       " (SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations')",
			       -1, &q, NULL) != SQLITE_OK) {
		/* No table yet: version 0. */
		return 0;
	}
	if (sqlite3_step(q) == SQLITE_ROW)
		*version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return 0;
}

int store_migrate(struct store *s, int *applied)
{
	int n = 0, current = 0;
	if (exec_sql(s, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
			" name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)") != 0)
		return -1;
	store_schema_version(s, &current);
	/* Embedded files are sorted by path, so migrations come in order. */
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		size_t dl = sizeof(migration_dir) - 1;
		if (strncmp(f->path, migration_dir, dl) != 0)
			continue;
		const char *name = f->path + dl;
		int version = atoi(name);
		if (version <= current)
			continue;
		if (exec_sql(s, "BEGIN IMMEDIATE") != 0)
			return -1;
		if (exec_sql(s, (const char *)f->data) != 0) {
			char *m = xstrdup(store_error(s));
			store_rollback(s);
			buf_reset(&s->err);
			buf_addf(&s->err, "migration %s: %s", name, m);
			free(m);
			return -1;
		}
		sqlite3_stmt *q;
		sqlite3_prepare_v2(s->db, "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
				   -1, &q, NULL);
		sqlite3_bind_int(q, 1, version);
		sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
		int rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE || exec_sql(s, "COMMIT") != 0) {
			fail(s, "migration");
			store_rollback(s);
			return -1;
		}
		n++;
	}
	if (applied)
		*applied = n;
	return 0;
}

int store_backup(struct store *s, const char *path)
{
	sqlite3 *dst;
	int rc = -1;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		buf_reset(&s->err);
		buf_addf(&s->err, "无法创建备份文件 %s: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		buf_reset(&s->err);
		buf_addf(&s->err, "备份失败: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int step;
	while ((step = sqlite3_backup_step(b, 1024)) == SQLITE_OK || step == SQLITE_BUSY ||
	       step == SQLITE_LOCKED)
		if (step != SQLITE_OK)
			sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		buf_reset(&s->err);
		buf_addf(&s->err, "备份失败: %s", sqlite3_errstr(step));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(dst);
	return rc;
}

/* ---- meta ---- */

int store_meta_get(struct store *s, const char *key, char **value)
{
	*value = NULL;
	sqlite3_stmt *q = st(s, STMT_META_GET);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*value = col_str(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "meta");
	return 0;
}

int store_meta_set(struct store *s, const char *key, const char *value)
{
	sqlite3_stmt *q = st(s, STMT_META_SET);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	return exec_done(s, q, "meta");
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

static int load_named(struct store *s, enum stmt i, struct named **out, int *n)
{
	sqlite3_stmt *q = st(s, i);
	if (!q)
		return -1;
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARRAY_GROW(*out, *n, cap);
		struct named *e = &(*out)[(*n)++];
		e->id = sqlite3_column_int64(q, 0);
		e->name = col_str(q, 1);
		e->category = col_str(q, 2);
		e->leader = col_str(q, 3);
		e->sort_order = sqlite3_column_int(q, 4);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "reference data");
}

int store_refdata_load(struct store *s, struct refdata *rd)
{
	memset(rd, 0, sizeof(*rd));
	sqlite3_stmt *q = st(s, STMT_REGIONS);
	if (!q)
		return -1;
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARRAY_GROW(rd->regions, rd->nregions, cap);
		struct region *r = &rd->regions[rd->nregions++];
		r->id = sqlite3_column_int64(q, 0);
		r->parent_id = sqlite3_column_int64(q, 1);
		r->name = col_str(q, 2);
		r->code = col_str(q, 3);
		r->level = col_str(q, 4);
		r->county_id = sqlite3_column_int64(q, 5);
		r->assessed = sqlite3_column_int(q, 6) != 0;
		r->sort_order = sqlite3_column_int(q, 7);
		r->path = col_str(q, 8);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		goto fail;
	if (load_named(s, STMT_DEPARTMENTS, &rd->departments, &rd->ndepartments) != 0 ||
	    load_named(s, STMT_CHAINS, &rd->chains, &rd->nchains) != 0 ||
	    load_named(s, STMT_CHANNELS, &rd->channels, &rd->nchannels) != 0)
		goto fail;
	q = st(s, STMT_RULES);
	if (!q)
		goto fail;
	cap = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int from = milestone_find((const char *)sqlite3_column_text(q, 3));
		int to = milestone_find((const char *)sqlite3_column_text(q, 4));
		if (from < 0 || to < 0)
			continue;
		ARRAY_GROW(rd->rules, rd->nrules, cap);
		struct rule *r = &rd->rules[rd->nrules++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(q, 0);
		snprintf(r->key, sizeof(r->key), "%s", sqlite3_column_text(q, 1));
		snprintf(r->name, sizeof(r->name), "%s", sqlite3_column_text(q, 2));
		r->from = (enum milestone)from;
		r->to = (enum milestone)to;
		r->months = sqlite3_column_int(q, 5);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		goto fail;
	char *v = NULL;
	if (store_meta_get(s, "home_province", &rd->home_province) != 0 ||
	    store_meta_get(s, "due_soon_days", &v) != 0)
		goto fail;
	rd->due_soon_days = v ? atoi(v) : 15;
	free(v);
	if (!rd->home_province)
		rd->home_province = xstrdup("");
	return 0;
fail:
	fail(s, "reference data");
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
	sqlite3_stmt *q = st(s, STMT_REGION_ADD);
	if (!q)
		return -1;
	bind_id(q, 1, parent_id);
	bind_text(q, 2, name);
	bind_text(q, 3, code);
	bind_text(q, 4, level);
	sqlite3_bind_int(q, 5, assessed);
	sqlite3_bind_int(q, 6, sort_order);
	if (exec_done(s, q, "region") != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	if (strcmp(level, "county") == 0) {
		q = st(s, STMT_REGION_COUNTY_SELF);
		if (!q)
			return -1;
		sqlite3_bind_int64(q, 1, *id);
		return exec_done(s, q, "region");
	}
	return 0;
}

int store_department_add(struct store *s, const char *name, int sort_order)
{
	sqlite3_stmt *q = st(s, STMT_DEPARTMENT_ADD);
	if (!q)
		return -1;
	bind_text(q, 1, name);
	sqlite3_bind_int(q, 2, sort_order);
	return exec_done(s, q, "department");
}

int store_chain_add(struct store *s, const char *name, const char *category, const char *leader,
		    const char *task_force, int sort_order)
{
	sqlite3_stmt *q = st(s, STMT_CHAIN_ADD);
	if (!q)
		return -1;
	bind_text(q, 1, name);
	bind_text(q, 2, category);
	bind_text(q, 3, leader);
	bind_text(q, 4, task_force);
	sqlite3_bind_int(q, 5, sort_order);
	return exec_done(s, q, "chain");
}

int store_channel_add(struct store *s, const char *name, int sort_order)
{
	sqlite3_stmt *q = st(s, STMT_CHANNEL_ADD);
	if (!q)
		return -1;
	bind_text(q, 1, name);
	sqlite3_bind_int(q, 2, sort_order);
	return exec_done(s, q, "channel");
}

int store_rule_add(struct store *s, const struct rule *r, int sort_order)
{
	sqlite3_stmt *q = st(s, STMT_RULE_ADD);
	if (!q)
		return -1;
	bind_text(q, 1, r->key);
	bind_text(q, 2, r->name);
	bind_text(q, 3, milestone_key(r->from));
	bind_text(q, 4, milestone_key(r->to));
	sqlite3_bind_int(q, 5, r->months);
	sqlite3_bind_int(q, 6, sort_order);
	return exec_done(s, q, "rule");
}

static void utc_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int store_events_list(struct store *s, struct event_info **out, int *n)
{
	sqlite3_stmt *q = st(s, STMT_EVENTS);
	if (!q)
		return -1;
	int cap = 0, rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARRAY_GROW(*out, *n, cap);
		struct event_info *e = &(*out)[(*n)++];
		e->id = sqlite3_column_int64(q, 0);
		e->name = col_str(q, 1);
		e->type = col_str(q, 2);
		e->city = col_str(q, 3);
		e->held_on = col_str(q, 4);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "events");
}

void event_info_release(struct event_info *e, int n)
{
	for (int i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].type);
		free(e[i].city);
		free(e[i].held_on);
	}
	free(e);
}

/* Looks up one id by one text key: 0 found, 1 not found, -1 error. *flag
 * (may be NULL) receives the second column when there is one. */
static int find_id2(struct store *s, enum stmt i, const char *key, int64_t *id, int *flag)
{
	sqlite3_stmt *q = st(s, i);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		if (flag)
			*flag = sqlite3_column_int(q, 1);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : fail(s, "lookup");
}

static int find_id(struct store *s, enum stmt i, const char *key, int64_t *id)
{
	return find_id2(s, i, key, id, NULL);
}

int store_event_ensure(struct store *s, const char *name, const char *type, const char *city,
		       const char *held_on, int64_t *id, bool *created)
{
	int rc = find_id(s, STMT_EVENT_FIND, name, id);
	if (created)
		*created = rc == 1;
	if (rc <= 0)
		return rc;
	sqlite3_stmt *q = st(s, STMT_EVENT_ADD);
	if (!q)
		return -1;
	char now[21];
	utc_now(now);
	bind_text(q, 1, name);
	bind_text(q, 2, type);
	bind_text(q, 3, city);
	bind_text(q, 4, held_on);
	bind_text(q, 5, now);
	if (exec_done(s, q, "event") != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_company_ensure(struct store *s, const char *name, const char *credit_code,
			 const char *province, const char *city, int64_t *id, bool *created)
{
	int rc = 1, incomplete = 0;
	if (credit_code && *credit_code)
		rc = find_id2(s, STMT_COMPANY_FIND_CODE, credit_code, id, &incomplete);
	if (rc == 1)
		rc = find_id2(s, STMT_COMPANY_FIND_NAME, name, id, &incomplete);
	if (rc < 0)
		return -1;
	if (created)
		*created = rc == 1;
	sqlite3_stmt *q;
	if (rc == 0 && !incomplete)
		return 0;
	if (rc == 0) {
		q = st(s, STMT_COMPANY_FILL);
		if (!q)
			return -1;
		sqlite3_bind_int64(q, 1, *id);
		bind_text(q, 2, credit_code);
		bind_text(q, 3, province);
		bind_text(q, 4, city);
		return exec_done(s, q, "company");
	}
	q = st(s, STMT_COMPANY_ADD);
	if (!q)
		return -1;
	char now[21];
	utc_now(now);
	bind_text(q, 1, name);
	bind_text(q, 2, credit_code);
	bind_text(q, 3, province);
	bind_text(q, 4, city);
	bind_text(q, 5, now);
	if (exec_done(s, q, "company") != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* ---- projects ---- */

static void project_from_row(sqlite3_stmt *q, struct project *p)
{
	project_clear(p);
	p->id = sqlite3_column_int64(q, 0);
	p->code = col_str(q, 1);
	p->name = col_str(q, 2);
	p->investor = col_str(q, 3);
	p->investor_credit_code = col_str(q, 4);
	p->investor_province = col_str(q, 5);
	p->investor_city = col_str(q, 6);
	p->region_id = sqlite3_column_int64(q, 7);
	p->region = col_str(q, 8);
	p->county_id = sqlite3_column_int64(q, 9);
	p->county = col_str(q, 10);
	p->chain_id = sqlite3_column_int64(q, 11);
	p->chain = col_str(q, 12);
	p->amount_wan = sqlite3_column_int64(q, 13);
	p->channel_id = sqlite3_column_int64(q, 14);
	p->channel = col_str(q, 15);
	p->event_id = sqlite3_column_int64(q, 16);
	p->event = col_str(q, 17);
	p->foreign_oriented = sqlite3_column_int(q, 18) != 0;
	p->major = sqlite3_column_int(q, 19) != 0;
	p->responsible = col_str(q, 20);
	p->ms[MS_SIGNED] = col_date(q, 21);
	for (int m = MS_REGISTERED; m < MS__COUNT; m++) {
		int c = 22 + 2 * (m - MS_REGISTERED);
		p->ms[m] = col_date(q, c);
		p->na[m] = sqlite3_column_int(q, c + 1) != 0;
	}
	p->na_reason = col_str(q, 30);
	p->terminated_on = col_date(q, 31);
	p->terminated_reason = col_str(q, 32);
	p->notes = col_str(q, 33);
	p->version = sqlite3_column_int64(q, 34);
	p->created_at = col_str(q, 35);
	p->updated_at = col_str(q, 36);
}

int store_project_get(struct store *s, const char *code, struct project *p)
{
	sqlite3_stmt *q = st(s, STMT_PROJECT_GET);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		project_from_row(q, p);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : fail(s, "project");
}

/* Writes the rule dues of a project; fresh: it has none yet. */
static int save_rules(struct store *s, int64_t project_id, const int32_t ms[MS__COUNT],
		      const bool na[MS__COUNT], const struct rule *rules, int nrules, bool fresh)
{
	sqlite3_stmt *q;
	if (!fresh) {
		q = st(s, STMT_PROJECT_RULES_DELETE);
		if (!q)
			return -1;
		sqlite3_bind_int64(q, 1, project_id);
		if (exec_done(s, q, "rule dues") != 0)
			return -1;
	}
	for (int i = 0; i < nrules; i++) {
		const struct rule *r = &rules[i];
		if (na[r->from] || ms[r->from] == DATE_NONE)
			continue;
		q = st(s, STMT_PROJECT_RULE_INSERT);
		if (!q)
			return -1;
		sqlite3_bind_int64(q, 1, project_id);
		sqlite3_bind_int64(q, 2, r->id);
		bind_date(q, 3, ms[r->from]);
		bind_date(q, 4, date_add_months(ms[r->from], r->months));
		bind_date(q, 5, ms[r->to]);
		sqlite3_bind_int(q, 6, na[r->to]);
		if (exec_done(s, q, "rule dues") != 0)
			return -1;
	}
	return 0;
}

int store_project_save(struct store *s, struct project *p, int64_t investor_id,
		       const struct rule *rules, int nrules, const char *now)
{
	bool insert = p->id == 0;
	sqlite3_stmt *q = st(s, insert ? STMT_PROJECT_INSERT : STMT_PROJECT_UPDATE);
	if (!q)
		return -1;
	int i = 1;
	bind_text(q, i++, p->code);
	bind_text(q, i++, p->name);
	sqlite3_bind_int64(q, i++, investor_id);
	bind_text(q, i++, p->investor_province);
	bind_text(q, i++, p->investor_city);
	sqlite3_bind_int64(q, i++, p->region_id);
	bind_id(q, i++, p->chain_id);
	sqlite3_bind_int64(q, i++, p->amount_wan);
	bind_id(q, i++, p->channel_id);
	bind_id(q, i++, p->event_id);
	sqlite3_bind_int(q, i++, p->foreign_oriented);
	sqlite3_bind_int(q, i++, p->major);
	bind_text(q, i++, p->responsible);
	bind_date(q, i++, p->ms[MS_SIGNED]);
	for (int m = MS_REGISTERED; m < MS__COUNT; m++) {
		bind_date(q, i++, p->ms[m]);
		sqlite3_bind_int(q, i++, p->na[m]);
	}
	bind_text(q, i++, p->na_reason);
	bind_date(q, i++, p->terminated_on);
	bind_text(q, i++, p->terminated_reason);
	bind_text(q, i++, project_stage(p));
	bind_text(q, i++, p->notes);
	bind_text(q, i++, now);
	if (!insert)
		sqlite3_bind_int64(q, i++, p->id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_CONSTRAINT_UNIQUE) {
			buf_reset(&s->err);
			buf_addf(&s->err, "项目编号 %s 已存在", p->code);
			return -1;
		}
		return fail(s, "project");
	}
	if (insert) {
		p->id = sqlite3_last_insert_rowid(s->db);
		p->version = 1;
	} else {
		p->version++;
	}
	return save_rules(s, p->id, p->ms, p->na, rules, nrules, insert);
}

static void bulk_free(struct store *s)
{
	for (int i = 0; i < s->nbulk; i++)
		free(s->bulk_sql[i]);
	free(s->bulk_sql);
	s->bulk_sql = NULL;
	s->nbulk = 0;
}

int store_bulk_begin(struct store *s)
{
	sqlite3_stmt *q;
	bulk_free(s);
	/* Explicit indexes only (sql IS NOT NULL): UNIQUE and primary keys stay. */
	if (sqlite3_prepare_v2(s->db,
			       "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
			       " AND tbl_name IN ('projects', 'project_rules') AND sql IS NOT NULL"
			       " ORDER BY name",
			       -1, &q, NULL) != SQLITE_OK)
		return fail(s, "bulk");
	struct buf drop = BUF_INIT;
	while (sqlite3_step(q) == SQLITE_ROW) {
		s->bulk_sql = xrealloc(s->bulk_sql, (size_t)(s->nbulk + 1) * sizeof(char *));
		s->bulk_sql[s->nbulk++] = col_str(q, 1);
		/* Index names come from our own schema, quoted as identifiers. */
		buf_adds(&drop, "DROP INDEX \"");
		buf_adds(&drop, (const char *)sqlite3_column_text(q, 0));
		buf_adds(&drop, "\";");
	}
	sqlite3_finalize(q);
	int rc = drop.len ? exec_sql(s, drop.data) : 0;
	buf_release(&drop);
	if (rc != 0)
		bulk_free(s);
	return rc;
}

int store_bulk_end(struct store *s)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < s->nbulk; i++)
		rc = exec_sql(s, s->bulk_sql[i]);
	bulk_free(s);
	return rc;
}

int store_project_count(struct store *s, int64_t *n)
{
	sqlite3_stmt *q = st(s, STMT_PROJECT_COUNT);
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : fail(s, "count");
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

/* Appends the WHERE clause of a filter (constant fragments only). */
static void list_where(struct buf *b, const struct project_filter *f, bool keyset)
{
	buf_adds(b, " WHERE 1 = 1");
	if (f->region_id)
		buf_adds(b, f->region_is_county ? " AND p.county_id = :R" : " AND p.region_id = :R");
	if (f->chain_id)
		buf_adds(b, " AND p.chain_id = :C");
	if (f->stage)
		buf_adds(b, " AND p.stage = :S");
	if (f->year)
		buf_adds(b, " AND p.signed_on >= :Y1 AND p.signed_on <= :Y2");
	if (f->amount_min >= 0)
		buf_adds(b, " AND p.amount_wan >= :A1");
	if (f->amount_max >= 0)
		buf_adds(b, " AND p.amount_wan <= :A2");
	if (f->q)
		buf_adds(b, " AND (p.code LIKE :Q ESCAPE '\\' OR p.name LIKE :Q ESCAPE '\\'"
			    " OR co.name LIKE :Q ESCAPE '\\')");
	if (f->state > RS_NONE && f->state < RS__COUNT) {
		buf_adds(b, " AND (p.terminated_on IS NULL OR p.terminated_on > :T)"
			    " AND EXISTS (SELECT 1 FROM project_rules pr WHERE pr.project_id = p.id"
			    " AND pr.from_on <= :T AND ");
		buf_adds(b, state_cond[f->state]);
		buf_adds(b, ")");
	}
	if (keyset && f->after_value) {
		buf_adds(b, " AND (");
		buf_adds(b, sort_column[f->sort]);
		buf_adds(b, f->desc ? ", p.id) < (:K, :KI)" : ", p.id) > (:K, :KI)");
	}
}

static void bind_named_text(sqlite3_stmt *q, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i)
		sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

static void bind_named_int(sqlite3_stmt *q, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i)
		sqlite3_bind_int64(q, i, v);
}

static void list_bind(sqlite3_stmt *q, const struct project_filter *f)
{
	bind_named_int(q, ":R", f->region_id);
	bind_named_int(q, ":C", f->chain_id);
	if (f->stage)
		bind_named_text(q, ":S", f->stage);
	if (f->year) {
		char y1[11], y2[11];
		date_format(date_from_ymd(f->year, 1, 1), y1);
		date_format(date_from_ymd(f->year, 12, 31), y2);
		bind_named_text(q, ":Y1", y1);
		bind_named_text(q, ":Y2", y2);
	}
	bind_named_int(q, ":A1", f->amount_min);
	bind_named_int(q, ":A2", f->amount_max);
	if (f->q) {
		struct buf b = BUF_INIT;
		buf_addc(&b, '%');
		for (const char *c = f->q; *c; c++) {
			if (*c == '%' || *c == '_' || *c == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *c);
		}
		buf_addc(&b, '%');
		bind_named_text(q, ":Q", buf_cstr(&b));
		buf_release(&b);
	}
	char t[11], w[11];
	date_format(f->today, t);
	date_format(date_add_days(f->today, f->window), w);
	bind_named_text(q, ":T", t);
	bind_named_text(q, ":W", w);
	if (f->after_value) {
		if (f->sort == SORT_AMOUNT)
			bind_named_int(q, ":K", strtoll(f->after_value, NULL, 10));
		else
			bind_named_text(q, ":K", f->after_value);
		bind_named_int(q, ":KI", f->after_id);
	}
	int i = sqlite3_bind_parameter_index(q, ":L");
	if (i)
		sqlite3_bind_int(q, i, f->limit);
}

/* The cached statement for this SQL text, prepared on first use. */
static sqlite3_stmt *shape_stmt(struct store *s, const char *text)
{
	for (struct shape *h = s->shapes; h; h = h->next)
		if (strcmp(h->sql, text) == 0) {
			sqlite3_reset(h->stmt);
			sqlite3_clear_bindings(h->stmt);
			return h->stmt;
		}
	struct shape *h = xcalloc(1, sizeof(*h));
	if (sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT, &h->stmt, NULL) !=
	    SQLITE_OK) {
		fail(s, "prepare list");
		free(h);
		return NULL;
	}
	h->sql = xstrdup(text);
	h->next = s->shapes;
	s->shapes = h;
	return h->stmt;
}

int store_project_list(struct store *s, const struct project_filter *f,
		       int (*row)(void *ctx, struct project *p), void *ctx)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "SELECT " PROJECT_COLUMNS PROJECT_FROM);
	list_where(&b, f, true);
	const char *dir = f->desc ? " DESC" : " ASC";
	buf_adds(&b, " ORDER BY ");
	buf_adds(&b, sort_column[f->sort]);
	buf_adds(&b, dir);
	buf_adds(&b, ", p.id");
	buf_adds(&b, dir);
	if (f->limit > 0)
		buf_adds(&b, " LIMIT :L");
	sqlite3_stmt *q = shape_stmt(s, buf_cstr(&b));
	buf_release(&b);
	if (!q)
		return -1;
	list_bind(q, f);
	int rc;
	struct project p;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		project_from_row(q, &p);
		int stop = row(ctx, &p);
		project_release(&p);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "project list");
}

int store_project_list_count(struct store *s, const struct project_filter *f, int64_t *n)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "SELECT count(*) FROM projects p");
	if (f->q)
		buf_adds(&b, " JOIN companies co ON co.id = p.investor_id");
	list_where(&b, f, false);
	sqlite3_stmt *q = shape_stmt(s, buf_cstr(&b));
	buf_release(&b);
	if (!q)
		return -1;
	struct project_filter g = *f;
	g.after_value = NULL;
	list_bind(q, &g);
	int rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : fail(s, "project count");
}

/* ---- figures ---- */

/* Steps a one-row aggregate bound to the period; 0 or -1. */
static int headline_one(struct store *s, enum stmt i, const struct headline_input *in,
			int64_t *a, int64_t *b)
{
	sqlite3_stmt *q = st(s, i);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, in->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, in->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, in->as_of, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(q, 0);
		if (b)
			*b = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : fail(s, "headline");
}

int store_headline(struct store *s, const struct headline_input *in, struct headline_result *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *q = st(s, STMT_HEADLINE);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, in->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, in->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, in->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, in->home_province, -1, SQLITE_STATIC);
	int rc, cap = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARRAY_GROW(out->by_county, out->ncounty, cap);
		struct headline_row *r = &out->by_county[out->ncounty++];
		r->county_id = sqlite3_column_int64(q, 0);
		r->count = sqlite3_column_int64(q, 1);
		r->amount_wan = sqlite3_column_int64(q, 2);
		r->started = sqlite3_column_int64(q, 3);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		fail(s, "headline");
		goto fail;
	}
	if (headline_one(s, STMT_HEADLINE_EVENTS, in, &out->event_count, &out->event_amount_wan) != 0 ||
	    headline_one(s, STMT_HEADLINE_FOREIGN, in, &out->foreign_count, NULL) != 0)
		goto fail;
	return 0;
fail:
	headline_result_release(out);
	return -1;
}

int store_breakdown(struct store *s, enum breakdown by, const struct headline_input *in,
		    struct breakdown_row **rows, int *n)
{
	static const enum stmt stmts[BD__COUNT] = {
		[BD_CHAIN] = STMT_BD_CHAIN, [BD_CHANNEL] = STMT_BD_CHANNEL,
		[BD_EVENT] = STMT_BD_EVENT, [BD_MONTH] = STMT_BD_MONTH,
		[BD_PROVINCE] = STMT_BD_PROVINCE,
	};
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *q = st(s, stmts[by]);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, in->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, in->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, in->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, in->home_province, -1, SQLITE_STATIC);
	int rc, cap = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARRAY_GROW(*rows, *n, cap);
		struct breakdown_row *r = &(*rows)[(*n)++];
		r->id = sqlite3_column_int64(q, 0);
		r->key = col_str(q, 1);
		r->count = sqlite3_column_int64(q, 2);
		r->amount_wan = sqlite3_column_int64(q, 3);
		r->started = sqlite3_column_int64(q, 4);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		breakdown_rows_release(*rows, *n);
		*rows = NULL;
		*n = 0;
		return fail(s, "breakdown");
	}
	return 0;
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

int store_rule_pairs(struct store *s, const char *as_of, const char *due_limit, bool all,
		     int (*pair)(void *ctx, const struct rule_pair *rp), void *ctx)
{
	sqlite3_stmt *q = st(s, all ? STMT_PAIRS_ALL : STMT_PAIRS_OPEN);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, as_of, -1, SQLITE_STATIC);
	if (!all)
		sqlite3_bind_text(q, 2, due_limit, -1, SQLITE_STATIC);
	int rc;
	struct rule_pair rp;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		rp.project_id = sqlite3_column_int64(q, 0);
		rp.code = (const char *)sqlite3_column_text(q, 1);
		rp.name = (const char *)sqlite3_column_text(q, 2);
		rp.county = (const char *)sqlite3_column_text(q, 3);
		rp.responsible = (const char *)sqlite3_column_text(q, 4);
		rp.county_id = sqlite3_column_int64(q, 5);
		rp.rule_id = sqlite3_column_int64(q, 6);
		rp.ms[MS_SIGNED] = col_date(q, 7);
		rp.na[MS_SIGNED] = false;
		for (int m = MS_REGISTERED; m < MS__COUNT; m++) {
			rp.ms[m] = col_date(q, 8 + 2 * (m - 1));
			rp.na[m] = sqlite3_column_int(q, 9 + 2 * (m - 1)) != 0;
		}
		rp.terminated_on = col_date(q, 16);
		if (pair(ctx, &rp)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "warnings");
}
