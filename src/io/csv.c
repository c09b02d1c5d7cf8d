/*
 * csv: the CSV reader and writer, the format dispatcher, and the spreadsheet
 * date-serial conversion (see table.h).
 *
 * Reading happens in two passes. First the bytes are made UTF-8: a UTF-8 BOM
 * is stripped, valid UTF-8 is taken as is, anything else is converted from
 * GB18030 with iconv (what Excel on a Chinese Windows saves as "CSV"). Then
 * the UTF-8 text is split into records by an RFC 4180 parser: fields are
 * separated by commas, records by CRLF, LF or a lone CR; a field that starts
 * with a double quote runs to the matching quote, may hold commas and line
 * breaks, and writes a literal quote as two. A quote inside an unquoted field
 * is an ordinary character. Each record gets its number (the first is 1)
 * whether or not it is kept; records whose fields are all empty are dropped.
 * Records are handed to the caller one at a time as they are split (the
 * first pass still needs the whole file: the encoding is decided on all of
 * it), in cells whose buffers are reused from one record to the next.
 * The same file holds table_scan and table_read (format by content), the
 * table_read_* readers that collect a scan into a struct table, and
 * table_release.
 */
#include "io/table.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "util/xalloc.h"

/* Sets *err to a malloc'd message built like printf. */
static void set_err(char **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	*err = xvstrfmt(fmt, ap);
	va_end(ap);
}


/* The 1-based physical line that byte offset off of s falls on. */
static int line_at(const char *s, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

/* Converts GB18030 bytes to UTF-8 into out. Returns 0, or -1 with *err set
 * when a byte sequence is not GB18030. */
static int gb18030_to_utf8(const char *data, size_t len, struct buf *out,
			   char **err)
{
	int rc = -1;
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		set_err(err, "cannot convert from GB18030: %s", strerror(errno));
		return -1;
	}
	char *in = (char *)data;
	size_t inleft = len;
	buf_grow(out, len + len / 2 + 16);
	/* GB18030 is stateless: no final flush call is needed. */
	while (inleft) {
		char *o = out->data + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t before = oleft;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		out->len += before - oleft;
		out->data[out->len] = '\0';
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			buf_grow(out, inleft * 2 + 16);
			continue;
		}
		set_err(err,
			"CSV line %d: the file is neither UTF-8 nor GB18030 "
			"(invalid byte sequence); save it as CSV UTF-8",
			line_at(data, (size_t)(in - data)));
		goto cleanup;
	}
	rc = 0;
cleanup:
	iconv_close(cd);
	return rc;
}

/* The record being parsed: its cells, each with a text buffer of its own that
 * is kept from one record to the next, so that a scan does not allocate per
 * cell. */
struct rowbuf {
	struct cell *cells;
	struct buf *texts; /* texts[i] holds cells[i].text */
	size_t n, cap;
};

/* Starts the next field of the record: returns its text buffer, emptied. */
static struct buf *rowbuf_field(struct rowbuf *rb)
{
	if (rb->n == rb->cap) {
		size_t cap = rb->cap ? rb->cap * 2 : 16;
		rb->cells = xrealloc(rb->cells, cap * sizeof(*rb->cells));
		rb->texts = xrealloc(rb->texts, cap * sizeof(*rb->texts));
		for (size_t i = rb->cap; i < cap; i++)
			buf_init(&rb->texts[i]);
		rb->cap = cap;
	}
	struct buf *b = &rb->texts[rb->n];
	buf_grow(b, 0); /* data is never NULL: cells point at it */
	buf_reset(b);
	return b;
}

/* Ends the field that rowbuf_field started. */
static void rowbuf_end_field(struct rowbuf *rb)
{
	struct buf *b = &rb->texts[rb->n];
	struct cell *c = &rb->cells[rb->n++];
	c->kind = b->len ? CELL_TEXT : CELL_EMPTY;
	c->num = 0;
	c->text = b->data;
}

static void rowbuf_release(struct rowbuf *rb)
{
	for (size_t i = 0; i < rb->cap; i++)
		buf_release(&rb->texts[i]);
	free(rb->texts);
	free(rb->cells);
	memset(rb, 0, sizeof(*rb));
}

/* Passes the record in rb to row() unless every cell is empty, and empties
 * rb. Returns row()'s value (0 for a dropped record). */
static int rowbuf_emit(struct rowbuf *rb, int line, table_row_fn row,
		       void *ctx, const struct table_info *info)
{
	bool any = false;
	for (size_t i = 0; i < rb->n && !any; i++)
		any = rb->cells[i].kind != CELL_EMPTY;
	size_t n = rb->n;
	rb->n = 0;
	if (!any)
		return 0;
	struct table_row r = { line, n, rb->cells };
	return row(ctx, &r, info);
}

/* Splits UTF-8 text s[0..n) into records and passes them to row(). Returns
 * 0, -1 with *err set, or row()'s non-zero value. */
static int parse_csv(const char *s, size_t n, table_row_fn row, void *ctx,
		     struct table_info *info, char **err)
{
	int rc = -1;
	struct rowbuf rb = { 0 };
	size_t i = 0;
	int record = 1, phys = 1;

	while (i < n) {
		/* One record: fields until a line break or the end. */
		for (;;) {
			struct buf *field = rowbuf_field(&rb);
			if (i < n && s[i] == '"') {
				int start_phys = phys;
				i++;
				for (;;) {
					if (i >= n) {
						if (start_phys != record)
							set_err(err,
								"CSV line %d (text line %d): a quoted field is never closed (missing \")",
								record, start_phys);
						else
							set_err(err,
								"CSV line %d: a quoted field is never closed (missing \")",
								record);
						goto cleanup;
					}
					if (s[i] == '"') {
						if (i + 1 < n && s[i + 1] == '"') {
							buf_addc(field, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (s[i] == '\n')
						phys++;
					buf_addc(field, s[i++]);
				}
				while (i < n && (s[i] == ' ' || s[i] == '\t'))
					i++;
				if (i < n && s[i] != ',' && s[i] != '\r' &&
				    s[i] != '\n') {
					set_err(err,
						"CSV line %d: text after the closing quote of field %zu (a quote inside a quoted field must be doubled)",
						record, rb.n + 1);
					goto cleanup;
				}
			} else {
				size_t start = i;
				while (i < n && s[i] != ',' && s[i] != '\r' &&
				       s[i] != '\n')
					i++;
				buf_add(field, s + start, i - start);
			}
			rowbuf_end_field(&rb);
			if (i < n && s[i] == ',') {
				i++;
				continue;
			}
			break;
		}
		/* The record ends at a line break or at the end of input. */
		if (i < n && s[i] == '\r')
			i++;
		if (i < n && s[i] == '\n')
			i++;
		phys++;
		info->done = i;
		int r = rowbuf_emit(&rb, record, row, ctx, info);
		if (r != 0) {
			rc = r;
			goto cleanup;
		}
		record++;
	}
	rc = 0;
cleanup:
	rowbuf_release(&rb);
	return rc;
}

/* The number of records that text s[0..n) holds at most, for
 * table_info.rows_hint: its line feeds (or, with none, its carriage
 * returns), plus a last line without a line break. */
static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	char nl = memchr(s, '\n', n) ? '\n' : '\r';
	for (const char *p = s, *end = s + n;
	     (p = memchr(p, nl, (size_t)(end - p))) != NULL; p++)
		lines++;
	if (n && s[n - 1] != '\n' && s[n - 1] != '\r')
		lines++;
	return lines;
}

int table_scan_csv(const char *data, size_t len, table_row_fn row, void *ctx,
		   struct table_info *info, char **err)
{
	int rc = -1;
	struct buf conv = BUF_INIT;
	struct table_info local;
	const char *text = data;
	size_t n = len;

	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	info->encoding = "UTF-8";
	*err = NULL;
	if (len >= 2 && ((unsigned char)data[0] == 0xFF &&
			 (unsigned char)data[1] == 0xFE)) {
		set_err(err, "CSV is UTF-16; save it as CSV UTF-8 instead");
		goto cleanup;
	}
	if (len >= 2 && ((unsigned char)data[0] == 0xFE &&
			 (unsigned char)data[1] == 0xFF)) {
		set_err(err, "CSV is UTF-16; save it as CSV UTF-8 instead");
		goto cleanup;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		text = data + 3;
		n = len - 3;
		size_t ok = text_utf8_prefix(text, n);
		if (ok != n) {
			set_err(err,
				"CSV line %d: invalid UTF-8 in a file marked as UTF-8",
				line_at(text, ok));
			goto cleanup;
		}
	} else if (text_utf8_prefix(data, len) != len) {
		if (gb18030_to_utf8(data, len, &conv, err) < 0)
			goto cleanup;
		text = buf_cstr(&conv);
		n = conv.len;
		info->encoding = "GB18030";
	}
	const char *nul = memchr(text, '\0', n);
	if (nul) {
		set_err(err,
			"CSV line %d: the file contains a NUL byte (not a text CSV file)",
			line_at(text, (size_t)(nul - text)));
		goto cleanup;
	}
	info->rows_hint = count_lines(text, n);
	info->total = n;
	rc = parse_csv(text, n, row, ctx, info, err);
	if (rc == 0)
		info->done = n;
cleanup:
	buf_release(&conv);
	return rc;
}

/* table_read*: the scan's rows, copied into a struct table. */
struct collect {
	struct table *t;
	size_t cap;
};

static int collect_row(void *ctx, const struct table_row *r,
		       const struct table_info *info)
{
	struct collect *c = ctx;
	struct table *t = c->t;
	(void)info;
	if (t->nrows == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		t->rows = xrealloc(t->rows, c->cap * sizeof(*t->rows));
	}
	struct table_row *dst = &t->rows[t->nrows++];
	dst->line = r->line;
	dst->ncells = r->ncells;
	dst->cells = xmalloc(r->ncells * sizeof(*dst->cells));
	for (size_t i = 0; i < r->ncells; i++) {
		dst->cells[i] = r->cells[i];
		dst->cells[i].text = xstrdup(r->cells[i].text);
	}
	return 0;
}

typedef int (*scan_fn)(const char *data, size_t len, table_row_fn row,
		       void *ctx, struct table_info *info, char **err);

/* Reads the whole input into out with the scanner scan. */
static int read_all(scan_fn scan, const char *data, size_t len,
		    struct table *out, char **err)
{
	struct collect c = { out, 0 };
	struct table_info info;
	memset(out, 0, sizeof(*out));
	if (scan(data, len, collect_row, &c, &info, err) != 0) {
		table_release(out);
		return -1;
	}
	out->date1904 = info.date1904;
	out->encoding = xstrdup(info.encoding);
	return 0;
}

int table_read_csv(const char *data, size_t len, struct table *out, char **err)
{
	return read_all(table_scan_csv, data, len, out, err);
}

int table_read_xlsx(const char *data, size_t len, struct table *out, char **err)
{
	return read_all(table_scan_xlsx, data, len, out, err);
}

/* Whether a field must be quoted: it holds a comma, a quote or a line break. */
static bool csv_needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

void csv_write_row(struct buf *out, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		if (i)
			buf_addc(out, ',');
		if (!csv_needs_quotes(s)) {
			buf_adds(out, s);
			continue;
		}
		buf_addc(out, '"');
		for (; *s; s++) {
			if (*s == '"')
				buf_addc(out, '"');
			buf_addc(out, *s);
		}
		buf_addc(out, '"');
	}
	buf_add(out, "\r\n", 2);
}

int table_scan(const char *data, size_t len, table_row_fn row, void *ctx,
	       struct table_info *info, char **err)
{
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		return table_scan_xlsx(data, len, row, ctx, info, err);
	if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		if (info)
			memset(info, 0, sizeof(*info));
		*err = NULL;
		set_err(err,
			"this is an old Excel .xls file or an encrypted "
			"workbook; save it as .xlsx (without a password) or CSV");
		return -1;
	}
	return table_scan_csv(data, len, row, ctx, info, err);
}

int table_read(const char *data, size_t len, struct table *out, char **err)
{
	return read_all(table_scan, data, len, out, err);
}

void table_release(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		struct table_row *row = &t->rows[r];
		for (size_t c = 0; c < row->ncells; c++)
			free(row->cells[c].text);
		free(row->cells);
	}
	free(t->rows);
	free(t->encoding);
	memset(t, 0, sizeof(*t));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int table_serial_to_ymd(double serial, bool date1904, int *y, int *m, int *d)
{
	/* 9999-12-31 is serial 2958465 (1900) or 2957003 (1904); anything far
	 * beyond is rejected before the conversion to an integer. */
	if (!isfinite(serial) || serial < 0 || serial > 3e6)
		return -1;
	long s = (long)floor(serial);
	long days;
	if (date1904) {
		days = days_from_civil(1904, 1, 1) + s;
	} else {
		/* Serial 60 is Lotus's 1900-02-29, a day that never was. */
		if (s < 1 || s == 60)
			return -1;
		days = days_from_civil(1900, 1, 1) + s - (s > 60 ? 2 : 1);
	}
	int yy, mm, dd;
	civil_from_days(days, &yy, &mm, &dd);
	if (yy < 1900 || yy > 9999)
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}
