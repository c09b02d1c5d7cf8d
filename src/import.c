/*
 * import: projects from a CSV or XLSX file (see import.h).
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "io/table.h"
#include "projects.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Files with more rows than this (and than the table has) are bulk-loaded. */
#define BULK_MIN_ROWS 5000

static void add_msg(struct import_result *res, int line, const char *column, bool warning,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_msg(struct import_result *res, int line, const char *column, bool warning,
		    const char *fmt, ...)
{
	res->msgs = xrealloc(res->msgs, (size_t)(res->nmsgs + 1) * sizeof(*res->msgs));
	struct import_msg *m = &res->msgs[res->nmsgs++];
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	m->line = line;
	m->column = column ? xstrdup(column) : NULL;
	m->message = buf_detach(&b);
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

/* Simple string hash set for duplicate codes. */
struct codeset {
	char **slot;
	int *line;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Adds code; returns the line it was first seen on, or 0 if new. */
static int codeset_add(struct codeset *cs, const char *code, int line)
{
	if ((cs->n + 1) * 2 > cs->cap) {
		struct codeset big = {0};
		big.cap = cs->cap ? cs->cap * 2 : 1024;
		big.slot = xcalloc(big.cap, sizeof(char *));
		big.line = xcalloc(big.cap, sizeof(int));
		for (size_t i = 0; i < cs->cap; i++)
			if (cs->slot[i])
				codeset_add(&big, cs->slot[i], cs->line[i]), free(cs->slot[i]);
		free(cs->slot);
		free(cs->line);
		*cs = big;
	}
	size_t i = hash_str(code) & (cs->cap - 1);
	while (cs->slot[i]) {
		if (strcmp(cs->slot[i], code) == 0)
			return cs->line[i];
		i = (i + 1) & (cs->cap - 1);
	}
	cs->slot[i] = xstrdup(code);
	cs->line[i] = line;
	cs->n++;
	return 0;
}

static void codeset_release(struct codeset *cs)
{
	for (size_t i = 0; i < cs->cap; i++)
		free(cs->slot[i]);
	free(cs->slot);
	free(cs->line);
}

int import_run(struct store *s, const struct refdata *rd, const char *data, size_t len,
	       const struct import_opts *o, struct import_result *res)
{
	struct table t = {0};
	char *err = NULL;
	int colmap[512];
	char *header_text[IX__COUNT] = {0};
	struct codeset codes = {0};
	bool in_tx = false;
	int ret = 1;
	char now[21];
	memset(res, 0, sizeof(*res));
	projects_utc_now(now);

	if (table_read(data, len, &t, &err) != 0) {
		add_msg(res, 0, NULL, false, "%s", err);
		free(err);
		goto out;
	}
	res->encoding = xstrdup(t.encoding ? t.encoding : "");
	if (t.nrows == 0) {
		add_msg(res, 0, NULL, false, "文件为空,没有表头");
		goto out;
	}
	const struct table_row *hdr = &t.rows[0];
	size_t ncols = hdr->ncells < 512 ? hdr->ncells : 512;
	if (hdr->ncells > ncols)
		add_msg(res, hdr->line, NULL, true, "表头超过 512 列,第 513 列起已忽略");
	for (size_t i = 0; i < ncols; i++) {
		colmap[i] = -1;
		char *h = text_normalize(hdr->cells[i].text);
		int col = *h ? ix_find(h) : -1;
		if (col < 0) {
			if (*h)
				add_msg(res, hdr->line, hdr->cells[i].text, true, "未知的列,已忽略");
		} else if (header_text[col]) {
			add_msg(res, hdr->line, hdr->cells[i].text, false, "列重复 (与 \"%s\" 相同)",
				header_text[col]);
		} else {
			colmap[i] = col;
			header_text[col] = xstrdup(hdr->cells[i].text);
		}
		free(h);
	}
	for (int c = 0; c < IX__COUNT; c++)
		if (ix_columns[c].required && !header_text[c])
			add_msg(res, hdr->line, ix_columns[c].title, false, "缺少必填列 %s (%s)",
				ix_columns[c].title, ix_columns[c].key);
	if (res->errors)
		goto out;

	bool bulk = false;
	if (!o->dry_run) {
		if (store_begin(s) != 0) {
			ret = -1;
			goto out;
		}
		in_tx = true;
		/* A large file into a smaller table: build the indexes once at
		 * the end instead of row by row. */
		int64_t existing;
		if (store_project_count(s, &existing) != 0) {
			ret = -1;
			goto out;
		}
		if (t.nrows > BULK_MIN_ROWS && (int64_t)t.nrows > existing) {
			if (store_bulk_begin(s) != 0) {
				ret = -1;
				goto out;
			}
			bulk = true;
		}
	}
	struct apply_ctx ac = {
		.store = s, .rd = rd, .today = o->today, .now = now,
		.report = row_report, .dry_run = o->dry_run,
	};
	/* A dry run still resolves events and companies without writing: they
	 * are created only when saving, which a dry run never does. */
	size_t total = t.nrows - 1;
	for (size_t ri = 1; ri < t.nrows; ri++) {
		const struct table_row *row = &t.rows[ri];
		struct project_input in = {{0}};
		char *owned[IX__COUNT] = {0};
		struct row_ctx rc = {res, row->line, header_text};
		ac.report_ctx = &rc;
		res->rows++;
		for (size_t i = 0; i < ncols; i++) {
			if (colmap[i] < 0)
				continue;
			int col = colmap[i];
			const struct cell *cell = i < row->ncells ? &row->cells[i] : NULL;
			if (!cell) {
				in.val[col] = "";
				continue;
			}
			if (cell->kind == CELL_NUMBER && is_date_column(col)) {
				int y, m, d;
				if (table_serial_to_ymd(cell->num, t.date1904, &y, &m, &d) != 0) {
					add_msg(res, row->line, header_text[col], false,
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
		for (size_t i = ncols; i < row->ncells; i++)
			if (row->cells[i].kind != CELL_EMPTY) {
				add_msg(res, row->line, NULL, true, "第 %zu 列没有表头,已忽略", i + 1);
				break;
			}
		if (in.val[IX_CODE]) {
			char *code = text_normalize(in.val[IX_CODE]);
			int first = *code ? codeset_add(&codes, code, row->line) : 0;
			if (first)
				add_msg(res, row->line, header_text[IX_CODE], false,
					"项目编号 %s 在文件中重复 (第 %d 行已出现)", code, first);
			free(code);
		}
		enum apply_result ar = projects_apply(&ac, APPLY_UPSERT, &in, NULL);
		for (int c = 0; c < IX__COUNT; c++)
			free(owned[c]);
		switch (ar) {
		case APPLY_CREATED: res->created++; break;
		case APPLY_UPDATED: res->updated++; break;
		case APPLY_UNCHANGED: res->unchanged++; break;
		case APPLY_ERROR:
			add_msg(res, row->line, NULL, false, "保存失败: %s", store_error(s));
			ret = -1;
			goto out;
		default: break;
		}
		if (o->progress && (ri % 1000 == 0 || ri == total))
			o->progress(o->progress_ctx, ri, total);
	}
	if (res->errors)
		goto out;
	if (bulk && store_bulk_end(s) != 0) {
		ret = -1;
		goto out;
	}
	if (!o->dry_run) {
		if (store_commit(s) != 0) {
			ret = -1;
			goto out;
		}
		in_tx = false;
	}
	ret = 0;
out:
	if (in_tx)
		store_rollback(s);
	for (int c = 0; c < IX__COUNT; c++)
		free(header_text[c]);
	codeset_release(&codes);
	table_release(&t);
	return ret;
}
