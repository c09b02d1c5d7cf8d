/*
 * export: projects in the interchange table as CSV (UTF-8 with BOM, CRLF) or
 * XLSX, in the table's column order, with Chinese titles or English keys.
 */
#ifndef ZS_EXPORT_H
#define ZS_EXPORT_H

#include <stdbool.h>

#include "store/store.h"
#include "util/buf.h"

enum export_format { EXPORT_CSV, EXPORT_XLSX };

/* Writes every project matching f (its limit and keyset are ignored): CSV
 * into out; XLSX into the file at xlsx_path. Returns 0, or -1 with a message
 * in err. */
int export_run(struct store *s, const struct refdata *rd, const struct project_filter *f,
	       enum export_format fmt,
	       bool english_keys, struct buf *out, const char *xlsx_path, struct buf *err);

#endif
