/*
 * store_sqlite: the SQLite driver of the store (see store/backend.h).
 *
 * The only file that includes sqlite3.h. A connection runs in WAL mode with
 * synchronous=FULL (every commit is on disk before it is acknowledged),
 * foreign keys on and a busy timeout so that several threads or processes
 * writing at once wait for each other instead of failing. Fixed statements
 * are prepared once per connection; dynamic ones (the project list) are
 * cached by their text.
 */
#include "store/backend.h"

#include <malloc.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "util/xalloc.h"

/* A cached statement for one dynamic SQL text. */
struct shape {
	char *sql;
	sqlite3_stmt *stmt;
	struct shape *next;
};

struct sq {
	struct store base;
	sqlite3 *db;
	sqlite3_stmt *stmt[STMT__MAX];
	sqlite3_stmt *cur; /* the statement whose row is being read */
	struct shape *shapes;
	char **bulk_sql; /* CREATE INDEX statements set aside by bulk_begin */
	int nbulk;
	bool bulk_cache; /* the page cache is at BULK_CACHE until the transaction ends */
	bool exclusive; /* between exclusive_begin and exclusive_end */
	char *path;
};

#define SQ(s) ((struct sq *)(s))

/*
 * Memory. Reads go through a memory map of the database file (mmap_size;
 * SQLite caps the window at its compile-time SQLITE_MAX_MMAP_SIZE, 2 GiB in
 * Debian's build): its pages are the operating system's file cache, shared
 * by every connection and process and counted as file-backed memory, not as
 * the process's own. The page cache of a connection (cache_size, KiB when
 * negative) then only holds pages beyond the window, pages read from the
 * WAL and the pages a write transaction changes, so it is kept small: each
 * server thread has a connection of its own. A bulk load raises it for its
 * one large transaction, so that changed pages are not spilled into the WAL
 * half-way, and it drops back when the transaction ends.
 */
#define NORMAL_CACHE "PRAGMA cache_size=-8192"
#define BULK_CACHE "PRAGMA cache_size=-65536"
#define MMAP_SIZE "PRAGMA mmap_size=1099511627776"

static int fail(struct store *s, const char *what)
{
	struct sq *q = SQ(s);
	int code = q->db ? sqlite3_extended_errcode(q->db) : 0;
	store_fail(s, "%s: %s", what, q->db ? sqlite3_errmsg(q->db) : "no database");
	if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
		s->fault = FAULT_UNIQUE;
	return -1;
}

static int exec_sql(struct store *s, const char *text)
{
	char *msg = NULL;
	if (sqlite3_exec(SQ(s)->db, text, NULL, NULL, &msg) != SQLITE_OK) {
		store_fail(s, "%s", msg ? msg : sqlite3_errmsg(SQ(s)->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The prepared statement for key/text, reset and with its bindings cleared;
 * NULL on failure (the error is set). */
static sqlite3_stmt *prepared(struct sq *q, int key, const char *text)
{
	sqlite3_stmt **slot = NULL;
	if (key >= 0 && key < STMT__MAX) {
		slot = &q->stmt[key];
	} else {
		for (struct shape *h = q->shapes; h; h = h->next)
			if (strcmp(h->sql, text) == 0) {
				slot = &h->stmt;
				break;
			}
	}
	if (slot && *slot) {
		sqlite3_reset(*slot);
		sqlite3_clear_bindings(*slot);
		return *slot;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(q->db, text, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fail(&q->base, "prepare");
		return NULL;
	}
	if (!slot) {
		struct shape *h = xcalloc(1, sizeof(*h));
		h->sql = xstrdup(text);
		h->next = q->shapes;
		q->shapes = h;
		slot = &h->stmt;
	}
	*slot = st;
	return st;
}

static void bind(sqlite3_stmt *st, int i, const struct sparam *p)
{
	switch (p->type) {
	case SP_TEXT:
		/* Not copied: the statement is stepped while the caller's value
		 * lives, and the bindings are cleared before the next use. */
		if (p->t)
			sqlite3_bind_text(st, i, p->t, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i);
		break;
	case SP_INT:
		sqlite3_bind_int64(st, i, p->i);
		break;
	case SP_DATE:
		if (p->i == DATE_NONE) {
			sqlite3_bind_null(st, i);
		} else {
			char t[11];
			date_format((int32_t)p->i, t);
			sqlite3_bind_text(st, i, t, 10, SQLITE_TRANSIENT);
		}
		break;
	case SP_NULL:
		sqlite3_bind_null(st, i);
		break;
	}
}

static int sq_query(struct store *s, int key, const char *sql, const struct sparam *p, int np,
		    store_row_fn row, void *ctx)
{
	struct sq *q = SQ(s);
	sqlite3_stmt *st = prepared(q, key, sql);
	if (!st)
		return -1;
	for (int i = 0; i < np; i++)
		bind(st, i + 1, &p[i]);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!row)
			continue;
		q->cur = st;
		int stop = row(ctx, s);
		q->cur = NULL;
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		/* sqlite3_reset() returned the step's error; errmsg has it. */
		return fail(s, key >= 0 ? "query" : "list");
	}
	return 0;
}

static const char *sq_col_text(struct store *s, int col)
{
	return (const char *)sqlite3_column_text(SQ(s)->cur, col);
}

static int64_t sq_col_int(struct store *s, int col)
{
	return sqlite3_column_int64(SQ(s)->cur, col);
}

static void bulk_free(struct sq *q)
{
	for (int i = 0; i < q->nbulk; i++)
		free(q->bulk_sql[i]);
	free(q->bulk_sql);
	q->bulk_sql = NULL;
	q->nbulk = 0;
}

static void sq_close(struct store *s)
{
	struct sq *q = SQ(s);
	for (int i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(q->stmt[i]);
	for (struct shape *h = q->shapes, *n; h; h = n) {
		n = h->next;
		sqlite3_finalize(h->stmt);
		free(h->sql);
		free(h);
	}
	sqlite3_close_v2(q->db);
	bulk_free(q);
	buf_release(&s->err);
	free(q->path);
	free(q);
}

static int sq_begin(struct store *s)
{
	/* IMMEDIATE: take the write lock now, so a reader turned writer never
	 * fails half-way with SQLITE_BUSY. */
	return exec_sql(s, "BEGIN IMMEDIATE");
}

/* After a bulk load's transaction: the page cache back to its normal size,
 * and the memory it held returned to the system (freed pages would
 * otherwise stay with the allocator). */
static void cache_normal(struct sq *q)
{
	if (!q->bulk_cache || !sqlite3_get_autocommit(q->db))
		return;
	q->bulk_cache = false;
	sqlite3_exec(q->db, NORMAL_CACHE, NULL, NULL, NULL);
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

static int sq_commit(struct store *s)
{
	if (exec_sql(s, "COMMIT") == 0) {
		cache_normal(SQ(s));
		return 0;
	}
	/* A full disk stops the WAL before its commit frame: nothing took
	 * effect. An I/O error (a failed fsync) may come after the commit
	 * frame was written: a crash then replays it. */
	if ((sqlite3_extended_errcode(SQ(s)->db) & 0xff) == SQLITE_IOERR)
		s->uncertain = true;
	cache_normal(SQ(s));
	return -1;
}

static void sq_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(SQ(s)->db))
		sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
	cache_normal(SQ(s));
}

static int sq_schema_version(struct store *s, int *version)
{
	*version = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(SQ(s)->db, "SELECT max(version) FROM schema_migrations", -1, &st,
			       NULL) != SQLITE_OK)
		return 0; /* no table yet: version 0 */
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int sq_backup(struct store *s, const char *path)
{
	sqlite3 *dst;
	int rc = -1;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		store_fail(s, "无法创建备份文件 %s: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", SQ(s)->db, "main");
	if (!b) {
		store_fail(s, "备份失败: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int step;
	while ((step = sqlite3_backup_step(b, 1024)) == SQLITE_OK || step == SQLITE_BUSY ||
	       step == SQLITE_LOCKED)
		if (step != SQLITE_OK)
			sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		store_fail(s, "备份失败: %s", sqlite3_errstr(step));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(dst);
	return rc;
}

static int sq_restore(struct store *s, const char *path)
{
	sqlite3 *src;
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		store_fail(s, "无法打开备份文件 %s: %s", path, sqlite3_errmsg(src));
		sqlite3_close(src);
		return -1;
	}
	/* The copy must be whole before it replaces anything. */
	sqlite3_stmt *st;
	int ok = sqlite3_prepare_v2(src, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
		 sqlite3_step(st) == SQLITE_ROW &&
		 strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (!ok) {
		store_fail(s, "备份文件 %s 不完整或已损坏 (integrity_check)", path);
		sqlite3_close(src);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(SQ(s)->db, "main", src, "main");
	int step = SQLITE_ERROR;
	if (b) {
		while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(20);
		sqlite3_backup_finish(b);
	}
	sqlite3_close(src);
	if (step != SQLITE_DONE)
		return store_fail(s, "恢复失败: %s", sqlite3_errmsg(SQ(s)->db));
	return 0;
}

static int sq_bulk_begin(struct store *s)
{
	struct sq *q = SQ(s);
	sqlite3_stmt *st;
	bulk_free(q);
	/* Explicit indexes only (sql IS NOT NULL): UNIQUE and primary keys stay. */
	if (sqlite3_prepare_v2(q->db,
			       "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
			       " AND tbl_name IN ('projects', 'project_rules') AND sql IS NOT NULL"
			       " ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(s, "bulk");
	struct buf drop = BUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW) {
		q->bulk_sql = xrealloc(q->bulk_sql, (size_t)(q->nbulk + 1) * sizeof(char *));
		q->bulk_sql[q->nbulk++] = xstrdup((const char *)sqlite3_column_text(st, 1));
		/* Index names come from our own schema, quoted as identifiers. */
		buf_addf(&drop, "DROP INDEX \"%s\";", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	int rc = drop.len ? exec_sql(s, drop.data) : 0;
	buf_release(&drop);
	if (rc == 0 && !q->bulk_cache) {
		rc = exec_sql(s, BULK_CACHE);
		q->bulk_cache = rc == 0;
	}
	if (rc != 0)
		bulk_free(q);
	return rc;
}

static int sq_bulk_end(struct store *s)
{
	struct sq *q = SQ(s);
	int rc = 0;
	for (int i = 0; rc == 0 && i < q->nbulk; i++)
		rc = exec_sql(s, q->bulk_sql[i]);
	bulk_free(q);
	return rc;
}

/*
 * A large write by a process alone with the database (the CLI's import of a
 * large file). In WAL mode a transaction larger than the page cache spills
 * its pages into the WAL, and from then on every page it reads is first
 * looked up in the WAL's index, a lookup whose cost grows with the WAL: at
 * a million projects that made the import's time per row half as large
 * again as at 100,000, and the commit then copies every page a second time
 * (the checkpoint). Through a rollback journal the new pages go straight
 * into the database file and only the pages the transaction changes are
 * journalled, durably (synchronous=FULL) before the file is written, so a
 * crash still leaves the database as it was.
 *
 * Leaving WAL mode needs every other connection closed: SQLite refuses at
 * once (SQLITE_BUSY) otherwise, and the write then runs in WAL mode beside
 * the others as usual. The exclusive locking mode, set first, keeps the
 * lock the switch takes, so no connection opens the database in between;
 * until exclusive_end, other processes' connections wait for it (their
 * busy timeout) and then report it locked.
 */
static int sq_exclusive_begin(struct store *s)
{
	struct sq *q = SQ(s);
	sqlite3_stmt *st;
	if (q->exclusive)
		return 1;
	if (exec_sql(s, "PRAGMA locking_mode=EXCLUSIVE") != 0)
		return -1;
	if (sqlite3_prepare_v2(q->db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) != SQLITE_OK) {
		fail(s, "journal_mode");
		exec_sql(s, "PRAGMA locking_mode=NORMAL");
		return -1;
	}
	int rc = sqlite3_step(st);
	bool taken = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "delete") == 0;
	/* In use by another connection: not a failure. */
	bool ok = rc == SQLITE_ROW || (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
	if (!ok)
		fail(s, "journal_mode");
	sqlite3_finalize(st);
	if (taken) {
		q->exclusive = true;
		return 1;
	}
	/* Before anything reads the database again: the others keep their
	 * share of it. */
	if (exec_sql(s, "PRAGMA locking_mode=NORMAL") != 0)
		return -1;
	return ok ? 0 : -1;
}

/* Back to WAL mode, the lock released. Should it fail, the database stays
 * in rollback mode until a connection opens it (every open asks for WAL). */
static void sq_exclusive_end(struct store *s)
{
	struct sq *q = SQ(s);
	if (!q->exclusive)
		return;
	q->exclusive = false;
	sqlite3_exec(q->db, "PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL", NULL, NULL, NULL);
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.migrations = "src/store/sqlite/migrations/",
	.like = "LIKE", /* ASCII case-insensitive in SQLite */
	.split_keyset = true,
	.close = sq_close,
	.query = sq_query,
	.col_text = sq_col_text,
	.col_int = sq_col_int,
	.exec = exec_sql,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.schema_version = sq_schema_version,
	.migrations_ddl = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
			  " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
	.backup = sq_backup,
	.restore = sq_restore,
	.bulk_begin = sq_bulk_begin,
	.bulk_end = sq_bulk_end,
	.exclusive_begin = sq_exclusive_begin,
	.exclusive_end = sq_exclusive_end,
	/* A bulk load holds the write lock and takes every id of its tables
	 * through these blocks, so the ids after the largest are free. Its
	 * inserts then carry their id and need no RETURNING, which SQLite
	 * answers through a temporary table opened and closed for each row
	 * (about 2% of a 100k import). */
	.reserve_ids = "WITH RECURSIVE r(i) AS (SELECT coalesce(max(id), 0) + 1 FROM %s"
		       " UNION ALL SELECT i + 1 FROM r LIMIT ?1) SELECT i FROM r",
};

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

int store_sqlite_open(const char *path, bool create, struct store **out, char **err)
{
	pthread_once(&sqlite_once, sqlite_setup);
	struct sq *q = xcalloc(1, sizeof(*q));
	q->base.ops = &sqlite_ops;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &q->db, flags, NULL) != SQLITE_OK) {
		*err = xstrfmt("无法打开数据库 %s: %s%s", path, q->db ? sqlite3_errmsg(q->db) : "?",
			       create ? "" : " (先运行 zhaoshang init)");
		sq_close(&q->base);
		return -1;
	}
	q->path = xstrdup(path);
	sqlite3_busy_timeout(q->db, 10000);
	sqlite3_extended_result_codes(q->db, 1);
	if (exec_sql(&q->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			       NORMAL_CACHE "; " MMAP_SIZE "; PRAGMA secure_delete=ON;") != 0) {
		*err = xstrfmt("无法打开数据库 %s: %s", path, store_error(&q->base));
		sq_close(&q->base);
		return -1;
	}
	*out = &q->base;
	return 0;
}
