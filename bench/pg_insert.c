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
			/* COPY public.t (a, b, c) FROM stdin; */
			char *open = strchr(line, '('), *close = strrchr(line, ')');
			if (!open || !close)
				continue;
			ncol = 1;
			for (char *c = open; c < close; c++)
				ncol += *c == ',';
			if (ncol > MAXCOL) {
				fprintf(stderr, "pg_insert: too many columns\n");
				return 1;
			}
			/* The table's name is the dump's own (pg_dump quotes it
			 * where needed): an identifier cannot be a bound
			 * parameter. Every value is bound ($1..$N). */
			char sql[4096];
			int n = snprintf(sql, sizeof(sql), "INSERT INTO %.*s VALUES (",
					 (int)(close - line - 5 + 1), line + 5);
			for (int i = 1; i <= ncol; i++)
				n += snprintf(sql + n, sizeof(sql) - (size_t)n, i > 1 ? ", $%d" : "$%d", i);
			snprintf(sql + n, sizeof(sql) - (size_t)n, ")");
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
