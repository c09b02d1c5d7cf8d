/*
 * cli: what the subcommands share: the global options, opening the
 * database, the clock, and the exit-code conventions (0 ok, 1 failure,
 * 2 usage error; every error one line on stderr).
 */
#ifndef ZS_CLI_H
#define ZS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "store/store.h"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

struct cli {
	const char *db;   /* --db, default $ZHAOSHANG_DB or ./zhaoshang.db */
	const char *user; /* --user, default "cli": who a command acts as */
};

extern struct cli cli;

/* Prints "zhaoshang: <message>" on stderr and returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when argv[i] asks for help (-h or --help). */
bool cli_wants_help(int argc, char **argv);

/* Opens the database for a command: applies pending migrations and loads the
 * reference data. On failure prints the error and returns -1. */
int cli_open(struct store **s, struct refdata *rd);
void cli_close(struct store *s, struct refdata *rd);

/* Today (ZHAOSHANG_NOW or the clock). On a malformed ZHAOSHANG_NOW prints the
 * error and returns -1. */
int cli_today(int32_t *today);

/* Parses an option value as a date (YYYY-MM-DD); prints a usage error naming
 * the option and returns -1 when malformed. */
int cli_date_arg(const char *option, const char *value, int32_t *out);

/* Parses an option value as a year (1900..9999); prints a usage error
 * naming the option and returns -1 otherwise. */
int cli_year_arg(const char *option, const char *value, int *out);

/* Writes all of data to path ("-" or NULL: stdout). Returns 0 or -1
 * (message printed). */
int cli_write_file(const char *path, const void *data, size_t len);
/* Reads a whole file; *data is malloc'd. Returns 0 or -1 (message printed). */
int cli_read_file(const char *path, char **data, size_t *len);

int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_warnings(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_migrate_data(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_assess(int argc, char **argv);
int cmd_escalate(int argc, char **argv);
int cmd_duplicates(int argc, char **argv);
int cmd_remind(int argc, char **argv);
int cmd_bulletin(int argc, char **argv);

/* The user a command acts as (--user, default the system account "cli",
 * made when missing): it must exist, be enabled and hold perm. Call inside
 * the write transaction for a command that writes. 0, or -1 (reported). */
int cli_actor(struct store *s, enum perm perm, struct principal *who);

#endif
