/*
 * table: a spreadsheet-like grid read from a CSV or XLSX file, and the
 * writers for both formats.
 *
 * Readers turn a file's bytes into rows of cells holding UTF-8 text, either
 * one row at a time through a callback (table_scan: what importing a large
 * file needs) or all at once into a struct table (table_read, built on the
 * scanner). They do not interpret the content (headers, dates, amounts):
 * that is the importer's job (src/import.c). What they guarantee:
 *  - every cell's text is valid UTF-8 (CSV in GB18030 is converted);
 *  - rows whose cells are all empty are dropped;
 *  - each row carries the line number a user sees: for CSV the record's
 *    number (the header record is 1; a quoted field spanning several physical
 *    lines still makes one record), for XLSX the sheet's row number;
 *  - an XLSX numeric cell is CELL_NUMBER with its value in `num` and, in
 *    `text`, the value as a spreadsheet shows it: the shortest decimal of
 *    at most 15 significant digits that reads back as the same double, else
 *    the value at 15 digits (3.3000000000000003 -> "3.3"); a date-formatted
 *    cell is a number too.
 * Text is not trimmed or normalised here.
 */
#ifndef ZS_TABLE_H
#define ZS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

enum cell_kind {
	CELL_EMPTY,
	CELL_TEXT,
	CELL_NUMBER,
};

struct cell {
	enum cell_kind kind;
	char *text; /* never NULL; "" for CELL_EMPTY */
	double num; /* CELL_NUMBER only */
};

struct table_row {
	int line;
	size_t ncells;
	struct cell *cells;
};

struct table {
	size_t nrows;
	struct table_row *rows;
	bool date1904; /* XLSX workbook uses the 1904 date system */
	char *encoding; /* "UTF-8", "GB18030" or "XLSX" */
};

/*
 * What a scan knows about its input. It is filled before the first row is
 * passed, and done is brought up to date before each row.
 */
struct table_info {
	const char *encoding; /* "UTF-8", "GB18030" or "XLSX" (static text) */
	bool date1904;        /* XLSX workbook uses the 1904 date system */
	/* Roughly how many rows the input holds (header included), known
	 * before the first row, 0 when unknown: for CSV the number of line
	 * breaks, for XLSX the last row of the sheet's <dimension>. Empty lines
	 * and line breaks inside quotes make it an overestimate. */
	size_t rows_hint;
	/* Progress, in bytes of the text being parsed: for CSV the UTF-8 text
	 * (after any GB18030 conversion), for XLSX the unpacked worksheet XML.
	 * done is where the row just passed ends; total may be 0 when unknown.
	 * done == total once the scan has returned 0. */
	size_t done, total;
};

/* Receives one row of a scan. r and its cells are valid only during the call.
 * Returns 0 to go on; any other value stops the scan. */
typedef int (*table_row_fn)(void *ctx, const struct table_row *r,
			    const struct table_info *info);

/*
 * Reads a file's bytes row by row, in order, without building a table: row()
 * is called for each row kept (the rows a struct table would hold, with the
 * same cells and line numbers), and memory stays bounded by the longest row
 * (plus, for XLSX, the shared strings; for GB18030 CSV, the converted text).
 * Format by content, as table_read. info (may be NULL) is filled as above.
 * Returns 0 after the last row; -1 with *err set (malloc'd, caller frees)
 * when the file cannot be read, which may come after rows have been passed;
 * or row()'s non-zero value, with *err NULL, when row() stopped the scan.
 */
int table_scan(const char *data, size_t len, table_row_fn row, void *ctx,
	       struct table_info *info, char **err);
/* table_scan for CSV and for XLSX: the formats of table_read_csv and
 * table_read_xlsx. */
int table_scan_csv(const char *data, size_t len, table_row_fn row, void *ctx,
		   struct table_info *info, char **err);
int table_scan_xlsx(const char *data, size_t len, table_row_fn row, void *ctx,
		    struct table_info *info, char **err);

/*
 * Reads a CSV file's bytes. Encoding: a UTF-8 BOM means UTF-8; otherwise
 * valid UTF-8 is UTF-8; otherwise the bytes are converted from GB18030 (an
 * invalid sequence there is an error). Fields follow RFC 4180 (quotes, doubled
 * quotes, CRLF or LF). Returns 0, or -1 with *err set to a malloc'd one-line
 * message (caller frees). On success the caller releases *out.
 */
int table_read_csv(const char *data, size_t len, struct table *out, char **err);

/* Reads the first worksheet of an XLSX workbook (shared strings, inline
 * strings, numbers, booleans, formula results). Same contract as above. */
int table_read_xlsx(const char *data, size_t len, struct table *out, char **err);

/* Picks the reader by content: a ZIP signature means XLSX, anything else CSV
 * (an old .xls or encrypted workbook is refused). */
int table_read(const char *data, size_t len, struct table *out, char **err);

void table_release(struct table *t);

/*
 * Converts a spreadsheet date serial to a calendar date. Fractions (times)
 * are dropped. In the 1900 system serial 1 is 1900-01-01 and the fictitious
 * 1900-02-29 (serial 60) is rejected; in the 1904 system serial 0 is
 * 1904-01-01. Returns 0, or -1 when the serial is not a date in 1900..9999.
 */
int table_serial_to_ymd(double serial, bool date1904, int *y, int *m, int *d);

/* Appends one CSV record (RFC 4180 quoting where needed, CRLF at the end). */
void csv_write_row(struct buf *out, const char *const *cells, size_t n);

/* XLSX output: one worksheet, written with libxlsxwriter. */
enum xcell_kind {
	XCELL_TEXT,   /* text as is */
	XCELL_NUMBER, /* text is a plain decimal, written as a number */
	XCELL_DATE,   /* text is YYYY-MM-DD, written as a date cell (yyyy-mm-dd) */
};

struct xcell {
	enum xcell_kind kind;
	const char *text; /* NULL or "" writes nothing */
};

struct xlsx_out;

/* Opens a new workbook at path with one sheet named sheet (UTF-8). NULL on
 * failure with *err set (caller frees). */
struct xlsx_out *xlsx_out_open(const char *path, const char *sheet, char **err);
/* Appends a row; the first call writes the header (bold, frozen). */
void xlsx_out_row(struct xlsx_out *x, const struct xcell *cells, size_t n);
/* Sets column widths from the content, writes and closes the file. Returns 0
 * or -1 with *err set. Frees x in both cases. */
int xlsx_out_close(struct xlsx_out *x, char **err);

#endif
