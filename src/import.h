/*
 * import: projects from a CSV or XLSX file, all or nothing.
 *
 * Reads the interchange table (DOMAIN.md, "Interchange"): headers by key or
 * title in any order, every row checked by projects_apply(). Every problem is
 * collected with its row and column; if there is any, or on a dry run, the
 * transaction is rolled back and nothing is written. The file is read as a
 * stream, row by row, so a large file costs no more memory than its bytes.
 */
#ifndef ZS_IMPORT_H
#define ZS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
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
	int forbidden; /* rows outside the importing user's region */
	struct import_msg *msgs;
	int nmsgs;
	char *encoding;
};

struct import_opts {
	bool dry_run;
	int32_t today;
	/* May be NULL. Called now and then while the file is read (its row
	 * count is not known in advance): rows is the data rows read so far,
	 * done of total how far into the file (in bytes of its text, see
	 * table_info in io/table.h). total is never 0, and done == total on the
	 * last call only, which always comes once a data row has been read. */
	void (*progress)(void *ctx, size_t rows, size_t done, size_t total);
	void *progress_ctx;
	/* Who imports: rows outside a region operator's subtree are errors, and
	 * every changed record gets its audit row. */
	const struct principal *who;
	/* The caller needs nobody else to use the database meanwhile (the
	 * CLI): a large file may take it for itself (store_exclusive_begin). */
	bool exclusive;
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
