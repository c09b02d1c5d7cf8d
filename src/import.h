/*
 * import: projects from a CSV or XLSX file, all or nothing.
 *
 * Reads the interchange table (DOMAIN.md, "Interchange"): headers by key or
 * title in any order, every row checked by projects_apply(). Every problem is
 * collected with its row and column; if there is any, or on a dry run, the
 * transaction is rolled back and nothing is written.
 */
#ifndef ZS_IMPORT_H
#define ZS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct import_msg {
	int line;     /* 0 when the message is about the whole file */
	char *column; /* the header as written, or the column's title; may be NULL */
	char *message;
	bool warning;
};

struct import_result {
	int rows;
	int created, updated, unchanged;
	int errors, warnings;
	struct import_msg *msgs;
	int nmsgs;
	char *encoding;
};

struct import_opts {
	bool dry_run;
	int32_t today;
	/* Called now and then with rows done and rows in all (may be NULL). */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

/*
 * Imports the file's bytes. Returns 0 when the file was imported (or, on a
 * dry run, would be), 1 when it has errors (nothing written; see res->msgs),
 * -1 on a storage failure (store_error()). res is always filled; release it
 * with import_result_release().
 */
int import_run(struct store *s, const struct refdata *rd, const char *data, size_t len,
	       const struct import_opts *o, struct import_result *res);
void import_result_release(struct import_result *res);

#endif
