/*
 * pg_insert: the bare-INSERT ceiling of `zhaoshang import` on PostgreSQL.
 * Reads the COPY blocks of a data-only pg_dump (the rows zhaoshang wrote)
 * and writes every row again with one prepared INSERT per row, text
 * parameters, as the import does, but without its look-ups, checks and
 * RETURNING: the cost of the statements and their round trips alone.
 *
 *   pg_insert URL DUMP [--pipeline] [PRE_SQL [POST_SQL]]
 *
 * Everything runs in one transaction: PRE_SQL (e.g. DROP INDEX ...), the
 * rows, POST_SQL (e.g. CREATE INDEX ...), COMMIT. --pipeline sends the
 * INSERTs in libpq's pipeline mode (no wait for each answer), which shows
 * what the round trips cost. Prints the number of rows written.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXCOL 64

static PGconn *conn;

static void die(const char *what, PGresult *r)
{
	fprintf(stderr, "pg_insert: %s: %s", what, r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
	exit(1);
}

static void exec(const char *sql)
{
	PGresult *r = PQexec(conn, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		die(sql, r);
	PQclear(r);
}

/* COPY text format in place: \N is NULL, backslash escapes. */
static char *unescape(char *s)
{
	if (strcmp(s, "\\N") == 0)
		return NULL;
	char *o = s;
	for (char *c = s; *c; c++) {
		if (*c != '\\' || !c[1]) {
			*o++ = *c;
			continue;
		}
		c++;
		switch (*c) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'v': *o++ = '\v'; break;
		default: *o++ = *c; break;
		}
	}
	*o = 0;
	return s;
}

/* The INSERT statement being built (appended to, never formatted). */
static char sql[8192];
static size_t sql_len;

static void sql_add(const char *p, size_t n)
{
	if (sql_len + n >= sizeof(sql)) {
		fprintf(stderr, "pg_insert: statement too long\n");
		exit(1);
	}
	memcpy(sql + sql_len, p, n);
	sql_len += n;
	sql[sql_len] = 0;
}

/* One identifier of the dump's COPY line, from *p up to a delimiter among
 * stop: unquoted as pg_dump wrote it ("a""b" is a"b), then quoted again by
 * libpq (PQescapeIdentifier), so nothing in the dump's text reaches the
 * statement but a quoted name. */
static void sql_add_ident(const char **p, const char *stop)
{
	char raw[256];
	size_t n = 0;
	const char *c = *p;
	if (*c == '"') {
		for (c++; *c && !(c[0] == '"' && c[1] != '"'); c++) {
			if (c[0] == '"')
				c++; /* "" */
			if (n + 1 < sizeof(raw))
				raw[n++] = *c;
		}
		if (*c == '"')
			c++;
	} else {
		for (; *c && !strchr(stop, *c); c++)
			if (n + 1 < sizeof(raw))
				raw[n++] = *c;
	}
	if (n == 0 || n + 1 >= sizeof(raw)) {
		fprintf(stderr, "pg_insert: a COPY line without a usable name: %s\n", *p);
		exit(1);
	}
	raw[n] = 0;
	char *q = PQescapeIdentifier(conn, raw, n);
	if (!q)
		die("escape", NULL);
	sql_add(q, strlen(q));
	PQfreemem(q);
	*p = c;
}

static void sql_add_int(int v)
{
	char t[16], *e = t + sizeof(t), *c = e;
	do
		*--c = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	sql_add(c, (size_t)(e - c));
}

/* "INSERT INTO s.t (a, b) VALUES ($1, $2)" from the dump's
 * "COPY s.t (a, b) FROM stdin;"; the number of columns, 0 for a line of
 * another shape. */
static int insert_of_copy(const char *line)
{
	const char *p = line + 5; /* after "COPY " */
	sql_len = 0;
	sql_add("INSERT INTO ", 12);
	sql_add_ident(&p, ". (");
	if (*p == '.') {
		sql_add(".", 1);
		p++;
		sql_add_ident(&p, " (");
	}
	if (strncmp(p, " (", 2) != 0)
		return 0;
	p += 2;
	sql_add(" (", 2);
	int ncol = 0;
	for (;;) {
		if (ncol == MAXCOL) {
			fprintf(stderr, "pg_insert: too many columns\n");
			exit(1);
		}
		if (ncol)
			sql_add(", ", 2);
		sql_add_ident(&p, ",)");
		ncol++;
		if (strncmp(p, ", ", 2) == 0)
			p += 2;
		else if (*p == ')')
			break;
		else
			return 0;
	}
	sql_add(") VALUES (", 10);
	for (int i = 1; i <= ncol; i++) {
		sql_add(i > 1 ? ", $" : "$", i > 1 ? 3 : 1);
		sql_add_int(i);
	}
	sql_add(")", 1);
	return ncol;
}

/* Reads the answers of the pipeline up to and including one sync. */
static void drain_sync(void)
{
	for (;;) {
		PGresult *r = PQgetResult(conn);
		if (!r)
			continue; /* end of one statement's results */
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			return;
		}
		if (st != PGRES_COMMAND_OK)
			die("insert", r);
		PQclear(r);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: pg_insert URL DUMP [--pipeline] [PRE_SQL [POST_SQL]]\n");
		return 2;
	}
	int a = 3, pipeline = 0;
	if (a < argc && strcmp(argv[a], "--pipeline") == 0) {
		pipeline = 1;
		a++;
	}
	const char *pre = a < argc ? argv[a++] : "";
	const char *post = a < argc ? argv[a++] : "";
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	conn = PQconnectdb(argv[1]);
	if (PQstatus(conn) != CONNECTION_OK)
		die("connect", NULL);
	exec("SET client_min_messages = warning");
	exec("BEGIN");
	if (*pre)
		exec(pre);
	if (pipeline && !PQenterPipelineMode(conn))
		die("pipeline mode", NULL);

	char *line = NULL, name[32];
	size_t cap = 0;
	ssize_t len;
	int ncol = 0, in_copy = 0, stmt = 0, pending = 0;
	long long rows = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = 0;
		if (!in_copy) {
			if (strncmp(line, "COPY ", 5) != 0)
				continue;
			/* COPY public.t (a, b, c) FROM stdin; names cannot be
			 * bound parameters: they are quoted by libpq; every
			 * value is bound ($1..$N). */
			ncol = insert_of_copy(line);
			if (ncol == 0)
				continue;
			snprintf(name, sizeof(name), "i%d", stmt++);
			if (pipeline) {
				if (!PQsendPrepare(conn, name, sql, 0, NULL))
					die("prepare", NULL);
			} else {
				PGresult *r = PQprepare(conn, name, sql, 0, NULL);
				if (PQresultStatus(r) != PGRES_COMMAND_OK)
					die(sql, r);
				PQclear(r);
			}
			in_copy = 1;
			continue;
		}
		if (strcmp(line, "\\.") == 0) {
			in_copy = 0;
			continue;
		}
		const char *values[MAXCOL];
		char *c = line;
		for (int i = 0; i < ncol; i++) {
			char *tab = strchr(c, '\t');
			if (tab)
				*tab = 0;
			values[i] = unescape(c);
			c = tab ? tab + 1 : c + strlen(c);
		}
		if (pipeline) {
			if (!PQsendQueryPrepared(conn, name, ncol, values, NULL, NULL, 0))
				die("send", NULL);
			/* A sync every 1,000 rows keeps both sides' buffers bounded. */
			if (++pending == 1000) {
				if (!PQpipelineSync(conn))
					die("sync", NULL);
				drain_sync();
				pending = 0;
			}
		} else {
			PGresult *r = PQexecPrepared(conn, name, ncol, values, NULL, NULL, 0);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				die("insert", r);
			PQclear(r);
		}
		rows++;
	}
	free(line);
	fclose(f);
	if (pipeline) {
		if (!PQpipelineSync(conn))
			die("sync", NULL);
		drain_sync();
		if (!PQexitPipelineMode(conn))
			die("pipeline mode", NULL);
	}
	if (*post)
		exec(post);
	exec("COMMIT");
	PQfinish(conn);
	printf("%lld\n", rows);
	return 0;
}
