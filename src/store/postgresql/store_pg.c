/*
 * store_pg: the PostgreSQL driver of the store (see store/backend.h).
 *
 * The only file that includes libpq-fe.h. One struct store is one libpq
 * connection, used by one thread at a time (the server opens one per worker
 * thread, so its --threads sizes the pool). Statements are prepared once per
 * connection ("?N" becomes "$N") and run with text parameters in single-row
 * mode, so that a long scan streams instead of being held in memory. During
 * a bulk load the statements without rows are pipelined, and its inserts
 * of projects, their rule pairs, companies, events and audit rows are sent
 * with COPY (see struct pg).
 *
 * Writers are serialised by a transaction-level advisory lock, as SQLite
 * serialises them: the read-check-write of a project update stays atomic
 * across several app servers without retry loops.
 *
 * A connection that breaks (the server restarted, a failover) is made again
 * at the next call with the same URL: with several hosts and
 * target_session_attrs=read-write, libpq finds the new primary. The call
 * that saw the break fails with store_unavailable() true; nothing
 * acknowledged is lost, since a commit is acknowledged only once
 * PostgreSQL has reported it done.
 */
#include "store/backend.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/date.h"
#include "util/xalloc.h"

/* The key of the advisory lock that serialises writers. */
#define WRITE_LOCK "7310021"

struct pshape {
	char *sql;
	int n; /* prepared as "d<n>" */
	struct pshape *next;
};

struct pg {
	struct store base;
	PGconn *conn;
	char *url;
	unsigned generation;               /* bumped by every reconnection */
	unsigned prepared[STMT__MAX];      /* the generation it was prepared in, 0: never */
	struct pshape *shapes;             /* dynamic statements by text */
	unsigned *shape_gen;               /* by shape n */
	int nshapes;
	PGresult *cur;                     /* the result being read */
	int cur_row;                       /* its row being read */
	enum plan_cache { PLAN_UNKNOWN, PLAN_AUTO, PLAN_GENERIC } plan_mode; /* the setting now */
	char **bulk_sql;
	int nbulk;
	/* A bulk load (bulk_begin to the transaction's end): statements
	 * without rows are sent in pipeline mode and their results read with
	 * the next statement that has rows (or at the commit, which a failure
	 * among them prevents), so a row of the load waits on no round trip. */
	bool pipe;
	int pending; /* statements sent in pipeline mode, results unread */
	/* Listening (pg_listen()) since this connection generation; 0: not. */
	unsigned listening;
	/* A bulk load's inserts of store_copy[]: their rows in COPY's text
	 * format, per entry, sent as one COPY once COPY_CHUNK bytes are held
	 * (copy_send()), the rest before any other statement (copy_flush()).
	 * A COPY's result is read only before the next thing is sent, so that
	 * PostgreSQL writes one chunk while the next is being prepared. The
	 * tables' order does not matter: the foreign keys between them are
	 * set aside during the load (pg_bulk_begin()). */
	struct buf *copy;
	int ncopy;
	size_t copy_bytes;
	bool copy_unread; /* a COPY sent, its result not read */
	int64_t *county;  /* by region id: its county-level unit (0: none) */
	int64_t ncounty;  /* entries of county; 0: not read */
};

/* A table's rows are sent by COPY once this many bytes are held. */
#define COPY_CHUNK (256u << 10)

/* Deferred statements read back at least this often. */
#define PIPE_MAX_PENDING 512

#define PG(s) ((struct pg *)(s))

/* Where the dialects differ (the rest is store_sql[]). */
static const char *const pg_sql[STMT__MAX] = {
	[STMT_BD_MONTH] = STORE_BD_SELECT("0, to_char(signed_on, 'YYYY-MM')")
	" GROUP BY to_char(signed_on, 'YYYY-MM')",
	[STMT_PAIRS_OPEN] = STORE_PAIR_SELECT
	" WHERE pr.to_on IS NULL AND pr.to_na = 0 AND pr.due <= ?2 AND pr.from_on <= ?1"
	" AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
	" UNION ALL " STORE_PAIR_SELECT
	" WHERE pr.to_on > ?1 AND pr.to_na = 0 AND pr.due <= ?2 AND pr.from_on <= ?1"
	" AND (p.terminated_on IS NULL OR p.terminated_on > ?1)"
	" ORDER BY 6, 1, 10, 11",
	[STMT_ASSESS_OVERDUE_OPEN] = STORE_ASSESS_OVERDUE_OPEN("pr.due"),
	[STMT_AMOUNT_FLAGS] = "UPDATE projects SET amount_pending = ?2, amount_entered_by = ?3,"
			      " amount_confirmed_by = NULL WHERE id IN"
			      " (SELECT CAST(jsonb_array_elements_text(CAST(?1 AS jsonb)) AS BIGINT))",
	/* The headline's three statements in one pass over the year's
	 * signings in projects_figures: on PostgreSQL faster than the three
	 * range scans (at 1M 42 against 55 ms), on SQLite slower. */
	[STMT_HEADLINE_ONEPASS] =
		"SELECT county_id,"
		" count(*) FILTER (WHERE amount_wan >= 10000 AND investor_province <> ?4),"
		" coalesce(sum(amount_wan) FILTER (WHERE amount_wan >= 10000"
		" AND investor_province <> ?4), 0),"
		" count(*) FILTER (WHERE amount_wan >= 10000 AND investor_province <> ?4"
		" AND started_on <= ?3),"
		" count(*) FILTER (WHERE event_id IS NOT NULL),"
		" coalesce(sum(amount_wan) FILTER (WHERE event_id IS NOT NULL), 0),"
		" count(*) FILTER (WHERE foreign_oriented = 1 AND amount_wan >= 10000)"
		" FROM projects WHERE signed_on >= ?1 AND signed_on <= ?2"
		" AND (terminated_on IS NULL OR terminated_on > ?3) AND amount_pending = 0"
		" GROUP BY county_id",
};

/* Statements planned for every run instead of prepared once: figures over
 * a range of dates, whose row counts only the values tell. Prepared, after
 * five runs PostgreSQL keeps a generic plan estimated on a default
 * selectivity (the headline at 1M: 3,698 rows expected of 133,398, an
 * index-only scan in one process, 51 ms; planned for its values, the same
 * scan in parallel, 40 ms). Their planning costs well under a millisecond. */
static const bool plan_per_run[STMT__MAX] = {
	[STMT_HEADLINE_ONEPASS] = true,
	[STMT_BD_CHAIN] = true,
	[STMT_BD_CHANNEL] = true,
	[STMT_BD_EVENT] = true,
	[STMT_BD_MONTH] = true,
	[STMT_BD_PROVINCE] = true,
	[STMT_PAIRS_OPEN] = true,
	[STMT_PAIRS_ALL] = true,
	[STMT_ASSESS_SIGNED] = true,
	[STMT_ASSESS_PAIRS] = true,
	[STMT_ASSESS_OVERDUE] = true,
	[STMT_ASSESS_OVERDUE_OPEN] = true,
	[STMT_ASSESS_INVESTED] = true,
};

/* The first line of libpq's message. */
static const char *first_line(const char *m, int *len)
{
	const char *nl = strchr(m, '\n');
	*len = nl ? (int)(nl - m) : (int)strlen(m);
	return m;
}

static bool sqlstate_unavailable(const char *state)
{
	/* 08: connection exceptions; 57P0x: shutdown, cannot connect now;
	 * 25006: a read-only transaction (a standby after all). */
	return state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0 ||
			 strcmp(state, "25006") == 0);
}

/* Records the failure of res (may be NULL: the connection's error). */
static int fail(struct store *s, const char *what, const PGresult *res)
{
	struct pg *g = PG(s);
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(g->conn);
	int n;
	first_line(msg && *msg ? msg : "unknown error", &n);
	store_fail(s, "%s: %.*s", what, n, msg && *msg ? msg : "unknown error");
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state && strcmp(state, "23505") == 0)
		s->fault = FAULT_UNIQUE;
	else if (PQstatus(g->conn) != CONNECTION_OK || sqlstate_unavailable(state))
		s->fault = FAULT_UNAVAILABLE;
	return -1;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* notices such as "already exists, skipping" are not errors */
}

/* Session settings every connection needs: dates as YYYY-MM-DD, UTF-8.
 * And no JIT compilation: PostgreSQL compiles a statement whose estimated
 * cost passes jit_above_cost, which the warnings scan and the assessment's
 * pairs do at a million projects; their work is reading and sorting rows,
 * and the compiling cost more than it saved (the warnings statement: 115 ms
 * of JIT in 520; 504 against 434 ms a run with it off). */
static int session_setup(struct pg *g)
{
	PQsetNoticeProcessor(g->conn, quiet, NULL);
	PGresult *r = PQexec(g->conn, "SET DateStyle = 'ISO, YMD'; SET client_encoding = 'UTF8';"
				      " SET client_min_messages = warning; SET jit = off");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fail(&g->base, "连接设置失败", r);
	PQclear(r);
	g->plan_mode = PLAN_AUTO;
	return ok ? 0 : -1;
}

/* Reads one statement's results (up to libpq's NULL), giving its rows to
 * row until it stops; the first failure goes in *rc and is kept. */
static void read_results(struct pg *g, int key, store_row_fn row, void *ctx, int *rc)
{
	bool stop = false;
	PGresult *r;
	while ((r = PQgetResult(g->conn))) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) {
			/* One row a result in single-row mode; all of them at once
			 * should libpq have refused it for a pipelined statement. */
			for (int i = 0; row && !stop && *rc == 0 && i < PQntuples(r); i++) {
				g->cur = r;
				g->cur_row = i;
				stop = row(ctx, &g->base) != 0;
				g->cur = NULL;
			}
		} else if (st != PGRES_COMMAND_OK && *rc == 0) {
			*rc = fail(&g->base, key >= 0 ? "query" : "list", r);
		}
		PQclear(r);
	}
}

/* Reads the statements sent before a Sync, then the Sync's own result. */
static void read_pending(struct pg *g, int *rc)
{
	for (; g->pending > 0; g->pending--)
		read_results(g, 0, NULL, NULL, rc);
}

static void read_sync(struct pg *g, int *rc)
{
	PGresult *r = PQgetResult(g->conn);
	if ((!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC) && *rc == 0)
		*rc = fail(&g->base, "pipeline", r);
	PQclear(r);
}

/* Reads every deferred statement's result; 0 or -1 with the first
 * failure among them. */
static int pipe_sync(struct pg *g)
{
	if (PQpipelineStatus(g->conn) == PQ_PIPELINE_OFF)
		return 0;
	int rc = 0;
	if (!PQpipelineSync(g->conn)) {
		g->pending = 0;
		return fail(&g->base, "pipeline", NULL);
	}
	read_pending(g, &rc);
	read_sync(g, &rc);
	return rc;
}

/* Leaves pipeline mode, for what libpq runs only outside it (PQexec,
 * PQprepare). */
static int pipe_leave(struct pg *g)
{
	if (PQpipelineStatus(g->conn) == PQ_PIPELINE_OFF)
		return 0;
	int rc = pipe_sync(g);
	if (!PQexitPipelineMode(g->conn) && rc == 0)
		rc = fail(&g->base, "pipeline", NULL);
	return rc;
}

/* Puts plan_cache_mode where the next statement wants it: generic plans for
 * STORE_DYNAMIC_GENERIC, PostgreSQL's own choice for the rest. One round
 * trip when it changes (a list page, then the next request's session). */
static int plan_mode(struct pg *g, int key)
{
	enum plan_cache want = key == STORE_DYNAMIC_GENERIC ? PLAN_GENERIC : PLAN_AUTO;
	if (g->plan_mode == want)
		return 0;
	if (pipe_leave(g) != 0)
		return -1;
	PGresult *r = PQexec(g->conn, want == PLAN_GENERIC ? "SET plan_cache_mode = force_generic_plan"
							   : "SET plan_cache_mode = auto");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fail(&g->base, "plan_cache_mode", r);
	PQclear(r);
	g->plan_mode = ok ? want : PLAN_UNKNOWN;
	return ok ? 0 : -1;
}

static void copy_forget(struct pg *g);

/* Makes sure the connection is up, reconnecting once if it broke. */
static int ensure(struct pg *g)
{
	if (PQstatus(g->conn) == CONNECTION_OK)
		return 0;
	PQreset(g->conn);
	g->generation++;
	g->pending = 0;
	copy_forget(g); /* the transaction they were in is gone */
	if (PQstatus(g->conn) != CONNECTION_OK) {
		fail(&g->base, "数据库连接中断", NULL);
		g->base.fault = FAULT_UNAVAILABLE;
		return -1;
	}
	return session_setup(g);
}

/* sql with "?N" written "$N". */
static char *dollars(const char *sql)
{
	char *out = xstrdup(sql);
	for (char *c = out; *c; c++)
		if (*c == '?' && c[1] >= '0' && c[1] <= '9')
			*c = '$';
	return out;
}

/* The name of the prepared statement for key/sql, preparing it if this
 * connection has not. NULL on failure. */
static const char *prepared(struct pg *g, int key, const char *sql, char name[16])
{
	unsigned *gen;
	if (key >= 0 && key < STMT__MAX) {
		snprintf(name, 16, "s%d", key);
		gen = &g->prepared[key];
	} else {
		struct pshape *h;
		for (h = g->shapes; h; h = h->next)
			if (strcmp(h->sql, sql) == 0)
				break;
		if (!h) {
			h = xcalloc(1, sizeof(*h));
			h->sql = xstrdup(sql);
			h->n = g->nshapes++;
			h->next = g->shapes;
			g->shapes = h;
			g->shape_gen = xrealloc(g->shape_gen, (size_t)g->nshapes * sizeof(unsigned));
			g->shape_gen[h->n] = 0;
		}
		snprintf(name, 16, "d%d", h->n);
		gen = &g->shape_gen[h->n];
	}
	if (*gen == g->generation + 1)
		return name;
	if (pipe_leave(g) != 0)
		return NULL;
	char *text = dollars(sql);
	PGresult *r = PQprepare(g->conn, name, text, 0, NULL);
	free(text);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fail(&g->base, "prepare", r);
	PQclear(r);
	if (!ok)
		return NULL;
	*gen = g->generation + 1;
	return name;
}

/* Sends a statement: the prepared one called name, or sql planned for this
 * run (per_run). 1 when sent. */
static int send_query(struct pg *g, bool per_run, const char *sql, const char *name, int np,
		      const char *const *values)
{
	if (!per_run)
		return PQsendQueryPrepared(g->conn, name, np, values, NULL, NULL, 0);
	char *text = dollars(sql);
	int ok = PQsendQueryParams(g->conn, text, np, NULL, values, NULL, NULL, 0);
	free(text);
	return ok;
}

/* ---- a bulk load's rows by COPY ---- */

/* The entry of store_copy[] for key, or -1. */
static int copy_entry(int key)
{
	for (int i = 0; store_copy[i].key >= 0; i++)
		if (store_copy[i].key == key)
			return i;
	return -1;
}

static void copy_forget(struct pg *g)
{
	for (int i = 0; i < g->ncopy; i++)
		buf_release(&g->copy[i]);
	free(g->copy);
	g->copy = NULL;
	g->ncopy = 0;
	g->copy_bytes = 0;
	g->copy_unread = false;
	free(g->county);
	g->county = NULL;
	g->ncounty = 0;
}

/* Reads the result of the COPY sent last. 0 or -1 with its failure. */
static int copy_wait(struct pg *g)
{
	if (!g->copy_unread)
		return 0;
	g->copy_unread = false;
	int rc = 0;
	PGresult *r;
	while ((r = PQgetResult(g->conn))) {
		ExecStatusType st = PQresultStatus(r);
		if (st != PGRES_COMMAND_OK && rc == 0)
			rc = fail(&g->base, "copy", r);
		PQclear(r);
		/* Still taking data (its end could not be sent): end it, or
		 * give up on a connection that takes nothing. */
		if (st == PGRES_COPY_IN && PQputCopyEnd(g->conn, "copy abandoned") != 1)
			break;
	}
	return rc;
}

/* Sends entry e's rows held as one COPY, after everything sent before
 * them, without waiting for its result. 0 or -1. */
static int copy_send(struct pg *g, int e)
{
	struct buf *b = &g->copy[e];
	if (copy_wait(g) != 0 || pipe_leave(g) != 0)
		return -1;
	char *sql = xstrfmt("COPY %s FROM STDIN", store_copy[e].target);
	PGresult *r = PQexec(g->conn, sql);
	free(sql);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = fail(&g->base, "copy", r);
	} else {
		bool sent = PQputCopyData(g->conn, b->data, (int)b->len) == 1;
		sent = PQputCopyEnd(g->conn, sent ? NULL : "copy abandoned") == 1 && sent;
		g->copy_unread = true;
		if (!sent) {
			rc = fail(&g->base, "copy", NULL);
			copy_wait(g); /* the outcome, read and dropped */
		}
	}
	PQclear(r);
	g->copy_bytes -= b->len;
	buf_reset(b);
	return rc;
}

/* Sends every row held and reads the results: before any other statement
 * and at the transaction's end. 0 or -1 with the first failure. */
static int copy_flush(struct pg *g)
{
	int rc = 0;
	for (int i = 0; rc == 0 && g->copy_bytes && i < g->ncopy; i++)
		if (g->copy[i].len)
			rc = copy_send(g, i);
	if (copy_wait(g) != 0)
		rc = -1;
	return rc;
}

/* Reads each region's county-level unit, as the project insert's subquery
 * does. */
static int copy_counties(struct pg *g)
{
	if (copy_wait(g) != 0 || pipe_leave(g) != 0)
		return -1;
	PGresult *r = PQexec(g->conn, "SELECT id, CASE WHEN level = 'county' THEN id ELSE county_id END"
				      " FROM regions");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fail(&g->base, "copy", r);
		PQclear(r);
		return -1;
	}
	int64_t max = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		int64_t id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		max = id > max ? id : max;
	}
	g->ncounty = max + 1;
	g->county = xcalloc((size_t)g->ncounty, sizeof(int64_t));
	for (int i = 0; i < PQntuples(r); i++)
		if (!PQgetisnull(r, i, 1))
			g->county[strtoll(PQgetvalue(r, i, 0), NULL, 10)] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
	PQclear(r);
	return 0;
}

/* One value in COPY's text format: NULL as \N, the separators escaped. */
static void copy_value(struct buf *b, const char *v)
{
	if (!v) {
		buf_add(b, "\\N", 2);
		return;
	}
	/* The runs between the characters COPY gives a meaning, copied whole
	 * (byte by byte this was a seventh of the program's CPU in a bulk
	 * import). */
	for (;;) {
		size_t n = strcspn(v, "\\\n\r\t");
		buf_add(b, v, n);
		v += n;
		switch (*v) {
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default: return; /* the end */
		}
		v++;
	}
}

/* Holds the row of entry e whose parameters are values. 0 or -1. */
static int copy_row(struct pg *g, int e, const char *const *values, int np)
{
	const struct store_copy *c = &store_copy[e];
	if (!g->copy) {
		while (store_copy[g->ncopy].key >= 0)
			g->ncopy++;
		g->copy = xcalloc((size_t)g->ncopy, sizeof(*g->copy));
	}
	struct buf *b = &g->copy[e];
	size_t before = b->len;
	for (int k = 0; k < c->ncols; k++) {
		int src = c->src[k];
		char num[24];
		const char *v;
		if (src == STORE_COPY_ONE) {
			v = "1";
		} else if (src > 100) {
			if (!g->ncounty && copy_counties(g) != 0)
				return -1;
			const char *region = src - 100 <= np ? values[src - 101] : NULL;
			int64_t id = region ? strtoll(region, NULL, 10) : 0;
			int64_t county = id > 0 && id < g->ncounty ? g->county[id] : 0;
			snprintf(num, sizeof(num), "%lld", (long long)county);
			v = county ? num : NULL;
		} else {
			v = src <= np ? values[src - 1] : NULL;
		}
		if (k)
			buf_addc(b, '\t');
		copy_value(b, v);
	}
	buf_addc(b, '\n');
	g->copy_bytes += b->len - before;
	return b->len < COPY_CHUNK ? 0 : copy_send(g, e);
}

static int pg_query(struct store *s, int key, const char *sql, const struct sparam *p, int np,
		    store_row_fn row, void *ctx)
{
	struct pg *g = PG(s);
	if (ensure(g) != 0)
		return -1;
	int e = g->pipe && !row && key >= 0 ? copy_entry(key) : -1;
	if (e < 0 && (key == STORE_DYNAMIC_IDS ? copy_wait(g) : copy_flush(g)) != 0)
		return -1;
	char name[16];
	bool per_run = key == STORE_DYNAMIC_CUSTOM || (key >= 0 && plan_per_run[key]);
	if (e < 0 && (plan_mode(g, key) != 0 || (!per_run && !prepared(g, key, sql, name))))
		return -1;
	const char *values[40];
	char bufs[40][24];
	if (np > 40)
		return store_fail(s, "too many parameters");
	for (int i = 0; i < np; i++) {
		switch (p[i].type) {
		case SP_TEXT:
			values[i] = p[i].t;
			break;
		case SP_INT:
			snprintf(bufs[i], sizeof(bufs[i]), "%lld", (long long)p[i].i);
			values[i] = bufs[i];
			break;
		case SP_DATE:
			if (p[i].i == DATE_NONE) {
				values[i] = NULL;
			} else {
				date_format((int32_t)p[i].i, bufs[i]);
				values[i] = bufs[i];
			}
			break;
		case SP_NULL:
			values[i] = NULL;
			break;
		}
	}
	if (e >= 0)
		return copy_row(g, e, values, np);
	if (g->pipe && !row) {
		/* Deferred: its result is read with the next statement's. */
		if (PQpipelineStatus(g->conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(g->conn))
			return fail(s, "pipeline", NULL);
		if (!send_query(g, per_run, sql, name, np, values))
			return fail(s, "query", NULL);
		return ++g->pending < PIPE_MAX_PENDING ? 0 : pipe_sync(g);
	}
	bool piped = PQpipelineStatus(g->conn) != PQ_PIPELINE_OFF;
	if (!send_query(g, per_run, sql, name, np, values) || (piped && !PQpipelineSync(g->conn)))
		return fail(s, "query", NULL);
	/* Every result is read, even after the callback stops or a failure:
	 * the connection is ready for the next statement afterwards. A
	 * deferred statement's failure is this one's. */
	int rc = 0;
	if (piped)
		read_pending(g, &rc);
	PQsetSingleRowMode(g->conn);
	read_results(g, key, row, ctx, &rc);
	if (piped)
		read_sync(g, &rc);
	if (rc == 0 && PQstatus(g->conn) != CONNECTION_OK)
		rc = fail(s, "query", NULL);
	return rc;
}

static const char *pg_col_text(struct store *s, int col)
{
	struct pg *g = PG(s);
	return PQgetisnull(g->cur, g->cur_row, col) ? NULL : PQgetvalue(g->cur, g->cur_row, col);
}

static int64_t pg_col_int(struct store *s, int col)
{
	const char *t = pg_col_text(s, col);
	if (!t)
		return 0;
	if (*t == 't')
		return 1;
	if (*t == 'f')
		return 0;
	/* PostgreSQL writes integers as [-]digits; read without strtoll (a
	 * large result reads several a row). Anything else stops at its
	 * first non-digit, as strtoll would. */
	bool neg = *t == '-';
	uint64_t v = 0;
	for (t += neg; *t >= '0' && *t <= '9'; t++)
		v = v * 10 + (uint64_t)(*t - '0');
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

/* Runs statements without rows; 0 or -1. */
static int pg_exec(struct store *s, const char *script)
{
	struct pg *g = PG(s);
	if (ensure(g) != 0 || copy_flush(g) != 0 || pipe_leave(g) != 0)
		return -1;
	PGresult *r = PQexec(g->conn, script);
	ExecStatusType st = PQresultStatus(r);
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : fail(s, "exec", r);
	PQclear(r);
	return rc;
}

static int pg_begin(struct store *s)
{
	if (pg_exec(s, "BEGIN") != 0)
		return -1;
	if (pg_exec(s, "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")") != 0) {
		pg_exec(s, "ROLLBACK");
		return -1;
	}
	return 0;
}

static int pg_commit(struct store *s)
{
	PG(s)->pipe = false;
	if (pg_exec(s, "COMMIT") == 0) {
		copy_forget(PG(s));
		return 0;
	}
	/* The connection went while committing: the server may have
	 * committed. An error answer means it did not. */
	if (PQstatus(PG(s)->conn) != CONNECTION_OK)
		s->uncertain = true;
	return -1;
}

static void pg_rollback(struct store *s)
{
	struct pg *g = PG(s);
	g->pipe = false;
	if (PQstatus(g->conn) == CONNECTION_OK)
		copy_wait(g); /* its failure no longer matters */
	copy_forget(g); /* rows held are not sent */
	if (PQstatus(g->conn) == CONNECTION_OK)
		pipe_leave(g); /* the statements' failures no longer matter */
	if (PQstatus(g->conn) == CONNECTION_OK && PQtransactionStatus(g->conn) != PQTRANS_IDLE) {
		PGresult *r = PQexec(g->conn, "ROLLBACK");
		PQclear(r);
		g->plan_mode = PLAN_UNKNOWN; /* a SET in the transaction is undone */
	}
}

static int pg_schema_version(struct store *s, int *version)
{
	*version = 0;
	struct pg *g = PG(s);
	if (ensure(g) != 0 || pipe_leave(g) != 0)
		return -1;
	PGresult *r = PQexec(g->conn, "SELECT to_regclass('schema_migrations') IS NOT NULL");
	int rc = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = fail(s, "schema version", r);
	} else if (PQgetvalue(r, 0, 0)[0] == 't') {
		PQclear(r);
		r = PQexec(g->conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			rc = fail(s, "schema version", r);
		else
			*version = atoi(PQgetvalue(r, 0, 0));
	}
	PQclear(r);
	return rc;
}

static int pg_backup(struct store *s, const char *path)
{
	(void)path;
	return store_fail(s, "PostgreSQL 数据库请用 pg_dump 或 pg_basebackup 备份 (见 docs/deploy.md)");
}

static int pg_restore(struct store *s, const char *path)
{
	(void)path;
	return store_fail(s, "PostgreSQL 数据库请用 pg_restore 或基础备份恢复 (见 docs/deploy.md)");
}

static void bulk_free(struct pg *g)
{
	for (int i = 0; i < g->nbulk; i++)
		free(g->bulk_sql[i]);
	free(g->bulk_sql);
	g->bulk_sql = NULL;
	g->nbulk = 0;
}

static int pg_bulk_begin(struct store *s)
{
	struct pg *g = PG(s);
	bulk_free(g);
	copy_forget(g); /* the regions are read again */
	/* Each statement setting something aside, and the one making it again:
	 * the secondary indexes (those behind constraints, keys and UNIQUE,
	 * stay), then the foreign keys (checked row by row, each a query;
	 * added again at the end, one query checks all rows). */
	PGresult *r = PQexec(g->conn,
			     "SELECT 'DROP INDEX ' || quote_ident(indexname), indexdef, 1 AS k, indexname"
			     " FROM pg_indexes WHERE schemaname = current_schema()"
			     " AND tablename IN ('projects', 'project_rules')"
			     " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
			     " UNION ALL SELECT 'ALTER TABLE ' || conrelid::regclass::text"
			     " || ' DROP CONSTRAINT ' || quote_ident(conname),"
			     " 'ALTER TABLE ' || conrelid::regclass::text || ' ADD CONSTRAINT '"
			     " || quote_ident(conname) || ' ' || pg_get_constraintdef(oid), 2, conname"
			     " FROM pg_constraint WHERE contype = 'f'"
			     " AND conrelid IN ('projects'::regclass, 'project_rules'::regclass)"
			     " ORDER BY 3, 4");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fail(s, "bulk", r);
		PQclear(r);
		return -1;
	}
	struct buf drop = BUF_INIT;
	for (int i = 0; i < PQntuples(r); i++) {
		g->bulk_sql = xrealloc(g->bulk_sql, (size_t)(g->nbulk + 1) * sizeof(char *));
		g->bulk_sql[g->nbulk++] = xstrdup(PQgetvalue(r, i, 1));
		buf_addf(&drop, "%s;", PQgetvalue(r, i, 0));
	}
	PQclear(r);
	int rc = drop.len ? pg_exec(s, drop.data) : 0;
	buf_release(&drop);
	if (rc != 0)
		bulk_free(g);
	g->pipe = rc == 0;
	return rc;
}

static int pg_bulk_end(struct store *s)
{
	struct pg *g = PG(s);
	int rc = 0;
	for (int i = 0; rc == 0 && i < g->nbulk; i++)
		rc = pg_exec(s, g->bulk_sql[i]);
	bulk_free(g);
	return rc;
}

static void pg_close(struct store *s)
{
	struct pg *g = PG(s);
	PQfinish(g->conn);
	for (struct pshape *h = g->shapes, *n; h; h = n) {
		n = h->next;
		free(h->sql);
		free(h);
	}
	free(g->shape_gen);
	bulk_free(g);
	copy_forget(g);
	buf_release(&s->err);
	free(g->url);
	free(g);
}

/* The versions' channel (migration 0016). The connection is named, so that
 * an administrator (and the tests) can tell it in pg_stat_activity. */
static int pg_listen(struct store *s)
{
	struct pg *g = PG(s);
	if (pg_exec(s, "SET application_name = 'zhaoshang-watch'") != 0 ||
	    pg_exec(s, "LISTEN zhaoshang_version") != 0)
		return -1;
	g->listening = g->generation + 1;
	return 0;
}

/* Each notification of the channel, "data_version 42". */
static void notified(PGconn *conn, void (*fn)(void *ctx, enum store_version which, int64_t value),
		     void *ctx)
{
	PGnotify *n;
	while ((n = PQnotifies(conn)) != NULL) {
		const char *p = n->extra;
		enum store_version which = STORE_VERSION__MAX;
		if (strncmp(p, "data_version ", 13) == 0)
			which = STORE_VERSION_DATA, p += 13;
		else if (strncmp(p, "session_version ", 16) == 0)
			which = STORE_VERSION_SESSION, p += 16;
		char *end;
		long long v = strtoll(p, &end, 10);
		if (which != STORE_VERSION__MAX && end != p && *end == '\0')
			fn(ctx, which, (int64_t)v);
		PQfreemem(n);
	}
}

/* What a listening process announces: its connection's name with the
 * versions it knows, "zhaoshang-watch 42 7" (pg_stat_activity shows a
 * name as soon as it is set). */
static int pg_announce(struct store *s, const int64_t v[STORE_VERSION__MAX])
{
	char name[64];
	snprintf(name, sizeof(name), "zhaoshang-watch %lld %lld", (long long)v[STORE_VERSION_DATA],
		 (long long)v[STORE_VERSION_SESSION]);
	return pg_query(s, STORE_DYNAMIC, "SELECT set_config('application_name', ?1, false)",
			(const struct sparam[]){{SP_TEXT, name, 0}}, 1, NULL, NULL);
}

static int laggards_row(void *ctx, struct store *s)
{
	*(int64_t *)ctx = pg_col_int(s, 0);
	return 1;
}

static void pg_await_listeners(struct store *s, const int64_t v[STORE_VERSION__MAX], int timeout_ms)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int64_t behind = 0;
		if (pg_query(s, STORE_DYNAMIC,
			     "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
			     " AND application_name ~ '^zhaoshang-watch [0-9]+ [0-9]+$'"
			     " AND (CAST(split_part(application_name, ' ', 2) AS BIGINT) < ?1"
			     " OR CAST(split_part(application_name, ' ', 3) AS BIGINT) < ?2)",
			     (const struct sparam[]){{SP_INT, NULL, v[STORE_VERSION_DATA]},
						     {SP_INT, NULL, v[STORE_VERSION_SESSION]}},
			     2, laggards_row, &behind) != 0 ||
		    behind == 0)
			return; /* the write stands either way */
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >= timeout_ms)
			return;
		struct timespec nap = {0, 200 * 1000};
		nanosleep(&nap, NULL);
	}
}

static int pg_notifications(struct store *s, int wake_fd, int timeout_ms,
			    void (*fn)(void *ctx, enum store_version which, int64_t value), void *ctx)
{
	struct pg *g = PG(s);
	/* A connection reset since LISTEN (ensure() reconnects silently) has
	 * lost it: the caller listens anew. */
	if (g->listening != g->generation + 1 || PQstatus(g->conn) != CONNECTION_OK)
		return fail(s, "数据库连接中断", NULL);
	notified(g->conn, fn, ctx); /* those read with the replies of statements */
	struct pollfd pf[2] = {{PQsocket(g->conn), POLLIN, 0}, {wake_fd, POLLIN, 0}};
	int n = poll(pf, wake_fd >= 0 ? 2 : 1, timeout_ms);
	if (n < 0)
		return 0; /* EINTR: the caller comes back */
	if (pf[0].revents) {
		if (!PQconsumeInput(g->conn) || PQstatus(g->conn) != CONNECTION_OK)
			return fail(s, "数据库连接中断", NULL);
		notified(g->conn, fn, ctx);
	}
	return 0;
}

static const struct store_ops pg_ops = {
	.name = "postgresql",
	.migrations = "src/store/postgresql/migrations/",
	.like = "ILIKE", /* ASCII case-insensitive under the "C" collation, as SQLite's LIKE */
	.dialect_sql = pg_sql,
	.close = pg_close,
	.query = pg_query,
	.col_text = pg_col_text,
	.col_int = pg_col_int,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.schema_version = pg_schema_version,
	.migrations_ddl = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
			  " name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
	.backup = pg_backup,
	.restore = pg_restore,
	.bulk_begin = pg_bulk_begin,
	.bulk_end = pg_bulk_end,
	.identity_reset = "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
			  " coalesce(max(id), 0) + 1, false) FROM %s",
	/* The sequence found once (per row, the lookup took 5 of 6 ms for
	 * 1,000 ids). */
	.reserve_ids = "WITH q AS MATERIALIZED (SELECT CAST(pg_get_serial_sequence('%s', 'id')"
		       " AS regclass) AS s) SELECT nextval(q.s) FROM q, generate_series(1, ?1)",
	.listen = pg_listen,
	.notifications = pg_notifications,
	.announce = pg_announce,
	.await_listeners = pg_await_listeners,
};

int store_pg_open(const char *url, bool create, struct store **out, char **err)
{
	(void)create; /* the database itself is made by its administrator */
	struct pg *g = xcalloc(1, sizeof(*g));
	g->base.ops = &pg_ops;
	g->url = xstrdup(url);
	g->conn = PQconnectdb(url);
	if (PQstatus(g->conn) != CONNECTION_OK || session_setup(g) != 0) {
		char *shown = store_redact_url(url);
		int n;
		const char *m = first_line(PQerrorMessage(g->conn), &n);
		*err = xstrfmt("无法连接数据库 %s: %.*s", shown, n, m);
		free(shown);
		pg_close(&g->base);
		return -1;
	}
	*out = &g->base;
	return 0;
}
