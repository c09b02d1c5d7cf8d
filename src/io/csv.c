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
 * The same file holds table_read (format by content) and table_release.
 */
#include "io/table.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Sets *err to a malloc'd message built like printf. */
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

/* Returns the length of the longest valid UTF-8 prefix of s[0..n): n when
 * the whole range is valid. Overlong forms, surrogates and code points past
 * U+10FFFF are invalid. */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (n - i < len)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return i;
		i += len;
	}
	return n;
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

/* Growable list of cells for the record being parsed. */
struct cells {
	struct cell *v;
	size_t n, cap;
};

static void cells_push(struct cells *cs, struct buf *text)
{
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 8;
		cs->v = xrealloc(cs->v, cs->cap * sizeof(*cs->v));
	}
	struct cell *c = &cs->v[cs->n++];
	c->kind = text->len ? CELL_TEXT : CELL_EMPTY;
	c->num = 0;
	c->text = buf_detach(text);
}

static void cells_free(struct cells *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->v[i].text);
	free(cs->v);
	cs->v = NULL;
	cs->n = cs->cap = 0;
}

/* Moves the record in cs to a new row of t, or frees it when every cell is
 * empty. cs is empty afterwards. */
static void table_take_row(struct table *t, size_t *cap, struct cells *cs,
			   int line)
{
	bool any = false;
	for (size_t i = 0; i < cs->n && !any; i++)
		any = cs->v[i].kind != CELL_EMPTY;
	if (!any) {
		cells_free(cs);
		return;
	}
	if (t->nrows == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		t->rows = xrealloc(t->rows, *cap * sizeof(*t->rows));
	}
	struct table_row *r = &t->rows[t->nrows++];
	r->line = line;
	r->ncells = cs->n;
	r->cells = xrealloc(cs->v, cs->n * sizeof(*cs->v));
	cs->v = NULL;
	cs->n = cs->cap = 0;
}

/* Splits UTF-8 text s[0..n) into records and appends them to t. Returns 0 or
 * -1 with *err set. */
static int parse_csv(const char *s, size_t n, struct table *t, char **err)
{
	int rc = -1;
	struct cells cs = { NULL, 0, 0 };
	struct buf field = BUF_INIT;
	size_t cap = 0, i = 0;
	int record = 1, phys = 1;

	while (i < n) {
		/* One record: fields until a line break or the end. */
		for (;;) {
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
							buf_addc(&field, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (s[i] == '\n')
						phys++;
					buf_addc(&field, s[i++]);
				}
				while (i < n && (s[i] == ' ' || s[i] == '\t'))
					i++;
				if (i < n && s[i] != ',' && s[i] != '\r' &&
				    s[i] != '\n') {
					set_err(err,
						"CSV line %d: text after the closing quote of field %zu (a quote inside a quoted field must be doubled)",
						record, cs.n + 1);
					goto cleanup;
				}
			} else {
				size_t start = i;
				while (i < n && s[i] != ',' && s[i] != '\r' &&
				       s[i] != '\n')
					i++;
				buf_add(&field, s + start, i - start);
			}
			cells_push(&cs, &field);
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
		table_take_row(t, &cap, &cs, record);
		record++;
	}
	rc = 0;
cleanup:
	cells_free(&cs);
	buf_release(&field);
	return rc;
}

int table_read_csv(const char *data, size_t len, struct table *out, char **err)
{
	int rc = -1;
	struct buf conv = BUF_INIT;
	const char *text = data;
	size_t n = len;
	const char *encoding = "UTF-8";

	memset(out, 0, sizeof(*out));
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
		size_t ok = utf8_valid_prefix((const unsigned char *)text, n);
		if (ok != n) {
			set_err(err,
				"CSV line %d: invalid UTF-8 in a file marked as UTF-8",
				line_at(text, ok));
			goto cleanup;
		}
	} else if (utf8_valid_prefix((const unsigned char *)data, len) != len) {
		if (gb18030_to_utf8(data, len, &conv, err) < 0)
			goto cleanup;
		text = buf_cstr(&conv);
		n = conv.len;
		encoding = "GB18030";
	}
	const char *nul = memchr(text, '\0', n);
	if (nul) {
		set_err(err,
			"CSV line %d: the file contains a NUL byte (not a text CSV file)",
			line_at(text, (size_t)(nul - text)));
		goto cleanup;
	}
	if (parse_csv(text, n, out, err) < 0)
		goto cleanup;
	out->encoding = xstrdup(encoding);
	rc = 0;
cleanup:
	buf_release(&conv);
	if (rc < 0)
		table_release(out);
	return rc;
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

int table_read(const char *data, size_t len, struct table *out, char **err)
{
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		return table_read_xlsx(data, len, out, err);
	if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		memset(out, 0, sizeof(*out));
		set_err(err,
			"this is an old Excel .xls file or an encrypted "
			"workbook; save it as .xlsx (without a password) or CSV");
		return -1;
	}
	return table_read_csv(data, len, out, err);
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
