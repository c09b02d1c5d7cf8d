/*
 * xlsx_write: the XLSX writer (see table.h), a thin layer on libxlsxwriter.
 *
 * One worksheet. The first row written is the header: bold, and frozen so it
 * stays visible while scrolling. Numbers are written as numbers, dates as
 * date cells with a yyyy-mm-dd format, text as strings (never as formulas, so
 * a value starting with "=" stays text). A value that does not parse as its
 * kind says is written as text rather than lost. Column widths are estimated
 * from the longest value in each column, counting East Asian wide characters
 * as two. libxlsxwriter only writes the file in workbook_close, so errors of
 * single cells are remembered and reported, with the first write error, by
 * xlsx_out_close.
 */
#include "io/table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "util/xalloc.h"

#define MIN_WIDTH 6
#define MAX_WIDTH 60

struct xlsx_out {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *date, *bold_date;
	lxw_row_t row;       /* the next row to write */
	unsigned *widths;   /* per column, in characters */
	size_t nwidths;
	char *path;
	char *err;          /* the first cell error, if any */
};

static void set_err(char **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(char **err, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	*err = buf_detach(&b);
}

struct xlsx_out *xlsx_out_open(const char *path, const char *sheet, char **err)
{
	struct xlsx_out *x = NULL;
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		set_err(err, "cannot create XLSX workbook %s", path);
		return NULL;
	}
	lxw_error e = workbook_validate_sheet_name(wb, sheet);
	if (e != LXW_NO_ERROR) {
		set_err(err, "invalid sheet name \"%s\": %s", sheet,
			lxw_strerror(e));
		lxw_workbook_free(wb);
		return NULL;
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
	if (!ws) {
		set_err(err, "cannot add sheet \"%s\"", sheet);
		lxw_workbook_free(wb);
		return NULL;
	}
	x = xcalloc(1, sizeof(*x));
	x->wb = wb;
	x->ws = ws;
	x->path = xstrdup(path);
	x->bold = workbook_add_format(wb);
	format_set_bold(x->bold);
	x->date = workbook_add_format(wb);
	format_set_num_format(x->date, "yyyy-mm-dd");
	x->bold_date = workbook_add_format(wb);
	format_set_bold(x->bold_date);
	format_set_num_format(x->bold_date, "yyyy-mm-dd");
	return x;
}

/* Whether code point cp is East Asian wide or fullwidth (shown two columns
 * wide): CJK ideographs and punctuation, kana, Hangul, fullwidth forms. */
static bool is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) ||
	       (cp >= 0x2E80 && cp <= 0x303E) ||
	       (cp >= 0x3041 && cp <= 0x33FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xA000 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	       (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* The display width of UTF-8 text: its longest line, wide characters
 * counting two. */
static unsigned text_width(const char *s)
{
	unsigned best = 0, cur = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp = *p;
		int extra = 0;
		if (cp >= 0xF0)
			cp &= 0x07, extra = 3;
		else if (cp >= 0xE0)
			cp &= 0x0F, extra = 2;
		else if (cp >= 0xC0)
			cp &= 0x1F, extra = 1;
		p++;
		for (; extra > 0 && (*p & 0xC0) == 0x80; extra--, p++)
			cp = (cp << 6) | (*p & 0x3F);
		if (cp == '\n') {
			cur = 0;
			continue;
		}
		cur += is_wide(cp) ? 2 : 1;
		if (cur > best)
			best = cur;
	}
	return best;
}

/* Parses a strict YYYY-MM-DD into dt. Returns 0 or -1. */
static int parse_ymd(const char *s, lxw_datetime *dt)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	}
	if (s[10])
		return -1;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	memset(dt, 0, sizeof(*dt));
	dt->year = y;
	dt->month = m;
	dt->day = d;
	return 0;
}

/* Remembers the first cell error. */
static void note_error(struct xlsx_out *x, lxw_col_t col, lxw_error e)
{
	if (e == LXW_NO_ERROR || x->err)
		return;
	set_err(&x->err, "XLSX row %lu, column %u: %s",
		(unsigned long)x->row + 1, (unsigned)col + 1, lxw_strerror(e));
}

void xlsx_out_row(struct xlsx_out *x, const struct xcell *cells, size_t n)
{
	bool header = x->row == 0;
	if (n > LXW_COL_MAX)
		n = LXW_COL_MAX;
	if (n > x->nwidths) {
		x->widths = xrealloc(x->widths, n * sizeof(*x->widths));
		memset(x->widths + x->nwidths, 0,
		       (n - x->nwidths) * sizeof(*x->widths));
		x->nwidths = n;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = cells[i].text;
		lxw_col_t col = (lxw_col_t)i;
		lxw_error e = LXW_NO_ERROR;
		bool done = false;
		if (!s || !*s)
			continue;
		if (cells[i].kind == XCELL_NUMBER) {
			char *end;
			double v = strtod(s, &end);
			if (end != s && !*end) {
				e = worksheet_write_number(
					x->ws, x->row, col, v,
					header ? x->bold : NULL);
				done = true;
			}
		} else if (cells[i].kind == XCELL_DATE) {
			lxw_datetime dt;
			if (parse_ymd(s, &dt) == 0) {
				e = worksheet_write_datetime(
					x->ws, x->row, col, &dt,
					header ? x->bold_date : x->date);
				done = true;
			}
		}
		if (!done)
			e = worksheet_write_string(x->ws, x->row, col, s,
						   header ? x->bold : NULL);
		note_error(x, col, e);
		unsigned w = text_width(s) + (header ? 1 : 0);
		if (w > x->widths[i])
			x->widths[i] = w;
	}
	if (header)
		worksheet_freeze_panes(x->ws, 1, 0);
	x->row++;
}

int xlsx_out_close(struct xlsx_out *x, char **err)
{
	int rc = -1;
	for (size_t i = 0; i < x->nwidths; i++) {
		unsigned w = x->widths[i];
		if (w < MIN_WIDTH)
			w = MIN_WIDTH;
		if (w > MAX_WIDTH)
			w = MAX_WIDTH;
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
				     w + 2, NULL);
	}
	lxw_error e = workbook_close(x->wb); /* frees the workbook */
	if (x->err) {
		*err = x->err;
		x->err = NULL;
		goto cleanup;
	}
	if (e != LXW_NO_ERROR) {
		set_err(err, "cannot write %s: %s", x->path, lxw_strerror(e));
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(x->widths);
	free(x->path);
	free(x->err);
	free(x);
	return rc;
}
