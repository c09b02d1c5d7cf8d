/*
 * import: projects from a CSV or XLSX file (see import.h).
 *
 * The file is read as a stream (table_scan): the first row is the header,
 * and each later row is checked and applied as soon as the reader hands it
 * over, so memory does not grow with the number of rows (except for the set
 * of codes seen, to report duplicates, and the messages). Everything happens
 * in one transaction that is committed only when the whole file was read
 * without an error. A reader error can come after rows were applied (a CSV
 * quote never closed, broken XML in a worksheet): it is then the only
 * message, as if no row had been read, and the transaction is rolled back.
 *
 * Bulk loading (indexes set aside and rebuilt at the end) pays off when the
 * file has more than BULK_MIN_ROWS rows and more than the table already
 * holds. The row count is not known up front, so the decision is made twice:
 * before the first data row on the reader's estimate (table_info.rows_hint:
 * the number of line breaks of a CSV, the last row of an XLSX sheet's
 * <dimension>), and again once the rows actually read pass both limits, for
 * files without a usable estimate. The estimate can only be too high (empty
 * lines, line breaks inside quotes), which at worst bulk-loads a file a
 * little under the limit: a matter of speed, never of the result.
 *
 * A caller alone with the database (import_opts.exclusive, the CLI) lets a
 * file estimated above BULK_MIN_ROWS take the database for itself for the
 * transaction (store_exclusive_begin): on SQLite that writes through a
 * rollback journal instead of the WAL, which at a million rows is a third
 * faster. When another connection has the database open, nothing is taken
 * and the import runs beside it as usual.
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "dupes.h"
#include "io/table.h"
#include "projects.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Files with more rows than this (and than the table has) are bulk-loaded
 * (see the top of this file). */
#define BULK_MIN_ROWS 5000

static void add_msg(struct import_result *res, int line, const char *column, bool warning,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_msg(struct import_result *res, int line, const char *column, bool warning,
		    const char *fmt, ...)
{
	res->msgs = xrealloc(res->msgs, (size_t)(res->nmsgs + 1) * sizeof(*res->msgs));
	struct import_msg *m = &res->msgs[res->nmsgs++];
	va_list ap;
	va_start(ap, fmt);
	m->message = xvstrfmt(fmt, ap);
	va_end(ap);
	m->line = line;
	m->column = column ? xstrdup(column) : NULL;
	m->warning = warning;
	if (warning)
		res->warnings++;
	else
		res->errors++;
}

void import_result_release(struct import_result *res)
{
	for (int i = 0; i < res->nmsgs; i++) {
		free(res->msgs[i].column);
		free(res->msgs[i].message);
	}
	free(res->msgs);
	free(res->encoding);
	memset(res, 0, sizeof(*res));
}

struct row_ctx {
	struct import_result *res;
	int line;
	char *const *header_text; /* per ix column: the header as written, or NULL */
};

static void row_report(void *ctx, int col, const char *msg)
{
	struct row_ctx *rc = ctx;
	const char *name = col >= 0 && col < IX__COUNT
				   ? (rc->header_text[col] ? rc->header_text[col] : ix_columns[col].title)
				   : NULL;
	add_msg(rc->res, rc->line, name, false, "%s", msg);
}

static bool is_date_column(int col)
{
	return col == IX_SIGNED_ON || col == IX_REGISTERED_ON || col == IX_STARTED_ON ||
	       col == IX_INCLUDED_ON || col == IX_PRODUCING_ON || col == IX_TERMINATED_ON;
}

/* What import_row() returns to stop the scan on a storage failure. */
#define STOP_STORE 1

/* The state of one import, carried through the scan by import_row(). */
struct import_state {
	struct store *s;
	const struct import_opts *o;
	struct import_result *res;
	struct apply_ctx ac;
	bool have_header;
	bool skip_rows; /* the header has errors: rows are read, not applied */
	bool in_tx, bulk;
	bool exclusive; /* store_exclusive_begin() took the database */
	int64_t existing; /* projects in the table before the import */
	size_t nrows;     /* rows read, the header included */
	size_t ncols;
	int colmap[512];
	char *header_text[IX__COUNT]; /* per ix column: the header as written */
	/* The file's codes (value: the line), and at a bulk load's start the
	 * table's (value: 0), so that a new code is known not to be there. */
	struct strmap codes;
	struct project_ids amounts; /* new or changed amounts of a bulk import */
};

/* Calls the progress callback with done of total, keeping its contract:
 * total is never 0 and done == total on the last call only. */
static void report_progress(struct import_state *st, size_t done, size_t total, bool last)
{
	if (!total) {
		total = 1;
		done = last;
	} else if (last) {
		done = total;
	} else if (done >= total) {
		done = total - 1;
	}
	st->o->progress(st->o->progress_ctx, (size_t)st->res->rows, done, total);
}

/* Starts bulk loading. Returns 0 or -1 on a storage failure. */
static int table_code(void *ctx, const char *const *cols, int n)
{
	(void)n;
	struct strmap *codes = ctx;
	strmap_add(codes, cols[0], 0, NULL);
	return 0;
}

static int bulk_begin(struct import_state *st)
{
	if (store_bulk_begin(st->s) != 0 ||
	    (st->existing > 0 && store_project_codes(st->s, table_code, &st->codes) != 0))
		return -1;
	st->bulk = true;
	/* New companies are written with the name key the duplicate check
	 * would otherwise fill in at the end. */
	store_bulk_company_key(st->s, dupes_investor_key);
	/* Rows from here on are checked for duplicates and amounts together
	 * at the end. */
	st->ac.defer_duplicates = true;
	st->ac.defer_amounts = true;
	st->ac.deferred = &st->amounts;
	return 0;
}

/* Takes the header row: maps its columns, reports unknown, duplicate and
 * missing columns and, when it is usable, opens the transaction. Returns 0
 * or -1 on a storage failure. */
static int take_header(struct import_state *st, const struct table_row *hdr,
		       const struct table_info *info)
{
	struct import_result *res = st->res;
	size_t ncols = hdr->ncells < 512 ? hdr->ncells : 512;
	st->ncols = ncols;
	if (hdr->ncells > ncols)
		add_msg(res, hdr->line, NULL, true, "表头超过 512 列,第 513 列起已忽略");
	for (size_t i = 0; i < ncols; i++) {
		st->colmap[i] = -1;
		char *h = text_normalize(hdr->cells[i].text);
		int col = *h ? ix_find(h) : -1;
		if (col < 0) {
			if (*h)
				add_msg(res, hdr->line, hdr->cells[i].text, true, "未知的列,已忽略");
		} else if (st->header_text[col]) {
			add_msg(res, hdr->line, hdr->cells[i].text, false, "列重复 (与 \"%s\" 相同)",
				st->header_text[col]);
		} else {
			st->colmap[i] = col;
			st->header_text[col] = xstrdup(hdr->cells[i].text);
		}
		free(h);
	}
	for (int c = 0; c < IX__COUNT; c++)
		if (ix_columns[c].required && !st->header_text[c])
			add_msg(res, hdr->line, ix_columns[c].title, false, "缺少必填列 %s (%s)",
				ix_columns[c].title, ix_columns[c].key);
	if (res->errors) {
		/* The rest is still read: a reader error there replaces these
		 * messages, as it would have had the file been read first. */
		st->skip_rows = true;
		return 0;
	}
	if (st->o->dry_run)
		return 0;
	if (st->o->exclusive && info->rows_hint > BULK_MIN_ROWS) {
		int taken = store_exclusive_begin(st->s);
		if (taken < 0)
			return -1;
		st->exclusive = taken == 1;
	}
	if (store_begin(st->s) != 0)
		return -1;
	st->in_tx = true;
	if (store_project_count(st->s, &st->existing) != 0)
		return -1;
	/* A large file into a smaller table: build the indexes once at the end
	 * instead of row by row (see the top of this file). */
	if (info->rows_hint > BULK_MIN_ROWS && (int64_t)info->rows_hint > st->existing)
		return bulk_begin(st);
	return 0;
}

/* Checks and applies one data row. Returns 0 or -1 on a storage failure. */
static int take_row(struct import_state *st, const struct table_row *row,
		    const struct table_info *info)
{
	struct import_result *res = st->res;
	struct project_input in = {{0}};
	char *owned[IX__COUNT] = {0};
	struct row_ctx rc = {res, row->line, st->header_text};
	int ret = 0;
	st->ac.report_ctx = &rc;
	res->rows++;
	if (st->in_tx && !st->bulk && st->nrows > BULK_MIN_ROWS &&
	    (int64_t)st->nrows > st->existing && bulk_begin(st) != 0)
		return -1;
	for (size_t i = 0; i < st->ncols; i++) {
		if (st->colmap[i] < 0)
			continue;
		int col = st->colmap[i];
		const struct cell *cell = i < row->ncells ? &row->cells[i] : NULL;
		if (!cell) {
			in.val[col] = "";
			continue;
		}
		if (cell->kind == CELL_NUMBER && is_date_column(col)) {
			int y, m, d;
			if (table_serial_to_ymd(cell->num, info->date1904, &y, &m, &d) != 0) {
				add_msg(res, row->line, st->header_text[col], false,
					"日期单元格的值 %s 不是有效日期", cell->text);
				continue;
			}
			char tmp[16];
			snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
			owned[col] = xstrdup(tmp);
			in.val[col] = owned[col];
		} else {
			in.val[col] = cell->text;
		}
	}
	for (size_t i = st->ncols; i < row->ncells; i++)
		if (row->cells[i].kind != CELL_EMPTY) {
			add_msg(res, row->line, NULL, true, "第 %zu 列没有表头,已忽略", i + 1);
			break;
		}
	st->ac.absent = false; /* set below when the code is known to be new */
	if (in.val[IX_CODE]) {
		char *code = text_normalize(in.val[IX_CODE]);
		int64_t first = 0;
		bool added = *code && strmap_add(&st->codes, code, row->line, &first);
		if (*code && !added && first == 0) /* in the table, first in the file */
			strmap_set(&st->codes, code, row->line);
		/* On a bulk load the table's codes are in the map too. */
		st->ac.absent = st->bulk && added;
		if (first > 0)
			add_msg(res, row->line, st->header_text[IX_CODE], false,
				"项目编号 %s 在文件中重复 (第 %d 行已出现)", code, (int)first);
		free(code);
	}
	/* A dry run still resolves events and companies without writing: they
	 * are created only when saving, which a dry run never does. */
	enum apply_result ar = projects_apply(&st->ac, APPLY_UPSERT, &in, NULL);
	for (int c = 0; c < IX__COUNT; c++)
		free(owned[c]);
	switch (ar) {
	case APPLY_CREATED: res->created++; break;
	case APPLY_UPDATED: res->updated++; break;
	case APPLY_UNCHANGED: res->unchanged++; break;
	case APPLY_ERROR:
		add_msg(res, row->line, NULL, false, "保存失败: %s", store_error(st->s));
		ret = -1;
		break;
	case APPLY_FORBIDDEN: res->forbidden++; break;
	default: break;
	}
	if (ret == 0 && st->o->progress && res->rows % 1000 == 0)
		report_progress(st, info->done, info->total, false);
	return ret;
}

/* The scan's row callback: the header first, then the data rows. */
static int import_row(void *ctx, const struct table_row *r, const struct table_info *info)
{
	struct import_state *st = ctx;
	st->nrows++;
	if (!st->have_header) {
		st->have_header = true;
		st->res->encoding = xstrdup(info->encoding);
		return take_header(st, r, info) == 0 ? 0 : STOP_STORE;
	}
	if (st->skip_rows)
		return 0;
	return take_row(st, r, info) == 0 ? 0 : STOP_STORE;
}

int import_run(struct store *s, const struct refdata *rd, const char *data, size_t len,
	       const struct import_opts *o, struct import_result *res)
{
	struct import_state st = {.s = s, .o = o, .res = res};
	struct table_info info;
	char *err = NULL;
	int ret = 1;
	char now[21];
	memset(res, 0, sizeof(*res));
	projects_utc_now(now);
	st.ac = (struct apply_ctx){
		.store = s, .rd = rd, .today = o->today, .now = now,
		.report = row_report, .dry_run = o->dry_run, .who = o->who,
	};

	int rc = table_scan(data, len, import_row, &st, &info, &err);
	if (o->progress && res->rows > 0)
		report_progress(&st, info.done, info.total, true);
	if (err) {
		/* Whatever the rows before it said, the file is unreadable. */
		import_result_release(res);
		add_msg(res, 0, NULL, false, "%s", err);
		free(err);
		goto out;
	}
	if (rc != 0) { /* STOP_STORE */
		ret = -1;
		goto out;
	}
	if (!st.have_header) {
		res->encoding = xstrdup(info.encoding);
		add_msg(res, 0, NULL, false, "文件为空,没有表头");
		goto out;
	}
	if (res->errors)
		goto out;
	/* The amounts flagged while the indexes are set aside: an update then
	 * writes no entry of theirs. */
	if (st.bulk && (projects_amounts_check(s, rd, &st.amounts, o->who ? o->who->username : NULL) != 0 ||
			store_bulk_end(s) != 0 || dupes_scan(s, now, NULL) != 0)) {
		ret = -1;
		goto out;
	}
	if (st.in_tx) {
		if (store_commit(s) != 0) {
			ret = -1;
			goto out;
		}
		st.in_tx = false;
	}
	ret = 0;
out:
	if (st.in_tx)
		store_rollback(s);
	if (st.exclusive)
		store_exclusive_end(s);
	for (int c = 0; c < IX__COUNT; c++)
		free(st.header_text[c]);
	strmap_release(&st.codes);
	free(st.amounts.id);
	return ret;
}
